/**
 * The demo forum's threads beyond the four the tests know by name: enough that a newcomer's first
 * look is a forum in use (decision 026). Authors are demo accounts or the demo people below (who
 * cannot log in); `hoursAgo` spreads the threads over the last weeks.
 */
export const demoPeople = [
  { username: 'priya', displayName: 'Priya Raman', bio: 'Runs IT for a small architecture office. Mostly here for sync and backups.' },
  { username: 'jonas', displayName: 'Jonas Weber', bio: 'Developer; I break the API so you don’t have to.' },
  { username: 'mei', displayName: 'Mei Chen', bio: 'Writer and long-time user. Ask me about exports and formatting.' },
  { username: 'tomas', displayName: 'Tomás Ortega', bio: '' },
  { username: 'amara', displayName: 'Amara Okafor', bio: 'Community volunteer.' },
  { username: 'lukas', displayName: null, bio: '' },
] as const

import type { DemoImage } from './demo-images'

type Person = (typeof demoPeople)[number]['username'] | 'member' | 'moderator' | 'agent' | 'admin'

export type DemoAnswer = { by: Person; body: string; upvotes?: Person[]; downvotes?: Person[]; accepted?: boolean; official?: boolean }
export type DemoThread = {
  category: 'technical' | 'account' | 'content' | 'community'
  by: Person
  title: string
  body: string
  tags: string[]
  hoursAgo: number
  answers: DemoAnswer[]
  /** A picture the asker uploaded with the question (scripts/demo-images.ts), shown after the body. */
  image?: DemoImage
}

export const demoThreads: DemoThread[] = [
  {
    category: 'technical',
    by: 'priya',
    title: 'Desktop app uses 100% CPU after waking from sleep',
    body: 'Every morning the desktop app pins one core until I quit it. Activity Monitor shows the `sync-helper` process.\n\nmacOS 15.1, app version 4.12.0.',
    tags: ['desktop', 'performance', 'macos'],
    hoursAgo: 3,
    image: 'cpu-chart',
    answers: [
      { by: 'jonas', body: 'Same here. It looks like it retries the file watcher in a tight loop. Quitting and reopening is my workaround for now.', upvotes: ['priya', 'mei'] },
      {
        by: 'agent',
        body: 'Thanks for the report! This is a known issue in 4.12.0, fixed in **4.12.1** (rolling out today). Until it reaches you:\n\n```\nSettings → Advanced → Reset file watcher\n```\n\nThat stops the loop without a restart.',
        upvotes: ['priya', 'jonas', 'tomas'],
        official: true,
      },
    ],
  },
  {
    category: 'technical',
    by: 'jonas',
    title: 'API returns 429 even though I stay under the documented limit',
    body: 'I send about 50 requests a minute, well under the 120/min in the docs, but I get `429 Too Many Requests` in bursts.\n\n```js\nfor (const id of ids) {\n  await fetch(`/api/v2/items/${id}`, { headers })\n}\n```\n\nIs the limit per token or per IP?',
    tags: ['api', 'rate-limit'],
    hoursAgo: 9,
    answers: [
      {
        by: 'agent',
        body: 'The limit is per token **and** per 10-second window: 120/min allows at most 20 in any 10 seconds. Spreading the calls fixes it:\n\n```js\nfor (const id of ids) {\n  await fetch(`/api/v2/items/${id}`, { headers })\n  await new Promise((r) => setTimeout(r, 500))\n}\n```\n\nWe will make the docs say so.',
        upvotes: ['jonas', 'priya'],
        accepted: true,
      },
      { by: 'tomas', body: 'The response also carries a `Retry-After` header; honouring it is the sturdier fix.', upvotes: ['jonas'] },
    ],
  },
  {
    category: 'technical',
    by: 'tomas',
    title: 'Images do not load on the Android app over mobile data',
    body: 'On Wi-Fi everything is fine; on mobile data every image shows a grey box. Android 14, Pixel 7.',
    tags: ['android', 'mobile', 'images'],
    hoursAgo: 20,
    image: 'grey-boxes',
    answers: [
      { by: 'amara', body: 'Check *Settings → Data saver* in the app: with it on, images load only when you tap them.', upvotes: ['tomas', 'mei'], accepted: true },
    ],
  },
  {
    category: 'technical',
    by: 'mei',
    title: 'Keyboard shortcuts stopped working in the editor',
    body: 'Ctrl+B and Ctrl+I do nothing since yesterday. Other shortcuts (Ctrl+S) still work. Firefox 140 on Windows 11.',
    tags: ['editor', 'keyboard'],
    hoursAgo: 30,
    answers: [
      { by: 'jonas', body: 'Do you have a browser extension that grabs shortcuts? A password manager did that to me.', upvotes: ['mei'] },
      { by: 'mei', body: 'That was it: a grammar checker extension. Disabling it on this site fixed it, thanks!' },
    ],
  },
  {
    category: 'technical',
    by: 'lukas',
    title: 'Import from CSV skips rows with accented names',
    body: 'Rows like `Müller;Zürich;2024-01-05` are silently skipped on import. Plain ASCII rows work.\n\nThe file is saved from Excel as "CSV (semicolon separated)".',
    tags: ['import', 'csv', 'encoding'],
    hoursAgo: 52,
    answers: [
      {
        by: 'agent',
        body: 'Excel saves that format in Windows-1252, and the importer expects UTF-8. Choose **CSV UTF-8 (comma delimited)** in Excel, or convert the file:\n\n```sh\niconv -f WINDOWS-1252 -t UTF-8 export.csv > export-utf8.csv\n```',
        upvotes: ['lukas', 'priya', 'mei'],
        official: true,
      },
    ],
  },
  {
    category: 'technical',
    by: 'priya',
    title: 'Backups fail with "disk quota exceeded" but the disk is half empty',
    body: 'Nightly backups to our NAS fail with:\n\n```\nbackup: write failed: disk quota exceeded (errno 122)\n```\n\n`df -h` shows 48% used.',
    tags: ['backup', 'storage'],
    hoursAgo: 75,
    image: 'quota-dialog',
    answers: [
      { by: 'jonas', body: 'errno 122 is a *user* quota, not the disk. Run `quota -s` as the backup user; the NAS probably sets one per account.', upvotes: ['priya', 'tomas'], accepted: true },
      { by: 'tomas', body: 'Also check snapshots: some NAS count them against the quota.' },
    ],
  },
  {
    category: 'technical',
    by: 'amara',
    title: 'Is there a dark mode for the web app?',
    body: 'Working late, the white background is hard on the eyes. Is there a setting, or does it follow the system?',
    tags: ['appearance', 'accessibility'],
    hoursAgo: 110,
    answers: [
      { by: 'moderator', body: 'It follows your system setting. On most systems: *Settings → Appearance → Dark*.', upvotes: ['amara', 'mei', 'lukas'], accepted: true },
    ],
  },
  {
    category: 'technical',
    by: 'jonas',
    title: 'Webhook signatures do not verify in Node.js',
    body: 'I compute the HMAC like this and it never matches the `X-Signature` header:\n\n```js\nconst mac = crypto.createHmac(\'sha256\', secret).update(JSON.stringify(req.body)).digest(\'hex\')\n```',
    tags: ['api', 'webhooks', 'nodejs'],
    hoursAgo: 140,
    answers: [
      {
        by: 'agent',
        body: 'Sign the **raw** body, not a re-serialised one: `JSON.stringify` changes spacing and key order.\n\n```js\napp.post(\'/hook\', express.raw({ type: \'application/json\' }), (req, res) => {\n  const mac = crypto.createHmac(\'sha256\', secret).update(req.body).digest(\'hex\')\n  const ok = crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(req.get(\'x-signature\') ?? \'\'))\n})\n```',
        upvotes: ['jonas', 'tomas', 'priya', 'lukas'],
        official: true,
        accepted: true,
      },
    ],
  },
  {
    category: 'technical',
    by: 'member',
    title: 'Search does not find words with hyphens',
    body: 'Searching for `e-mail` finds nothing, although several of my notes contain it.',
    tags: ['search'],
    hoursAgo: 200,
    answers: [{ by: 'mei', body: 'Try searching without the hyphen (`email`) or in quotes (`"e-mail"`); both work for me.', upvotes: ['member'] }],
  },
  {
    category: 'technical',
    by: 'tomas',
    title: 'Printing cuts off the right margin',
    body: 'When I print a page from the web app, the last few characters of every line are cut off. Chrome, A4 paper.',
    tags: ['printing'],
    hoursAgo: 6,
    answers: [],
  },
  {
    category: 'technical',
    by: 'lukas',
    title: 'Self-hosted install: which PostgreSQL versions are supported?',
    body: 'Planning an install on Debian 12, which ships PostgreSQL 15. Is that fine, or do I need 16?',
    tags: ['self-hosting', 'postgresql'],
    hoursAgo: 14,
    answers: [],
  },
  {
    category: 'account',
    by: 'mei',
    title: 'How do I change the email address on my account?',
    body: 'I am moving to a new provider and want to keep my account. Where do I change the address?',
    tags: ['email', 'settings'],
    hoursAgo: 12,
    answers: [
      { by: 'agent', body: 'Go to **Settings → Account**, enter the new address and confirm with the link we mail to it. Until you confirm, the old address stays active.', upvotes: ['mei', 'amara'], official: true },
    ],
  },
  {
    category: 'account',
    by: 'tomas',
    title: 'Charged twice for the annual plan',
    body: 'My card shows two charges of the annual price on the same day. Only one plan is active on my account.',
    tags: ['billing', 'refund'],
    hoursAgo: 40,
    answers: [
      { by: 'moderator', body: 'Billing questions need your account details, which should not be posted here: please use **Contact support**, the team refunds duplicate charges quickly.', upvotes: ['tomas'] },
    ],
  },
  {
    category: 'account',
    by: 'priya',
    title: 'Can I move my team from the monthly to the annual plan mid-cycle?',
    body: 'We have 8 seats on the monthly plan. If we switch now, is the rest of this month credited?',
    tags: ['billing', 'plans', 'teams'],
    hoursAgo: 90,
    answers: [
      { by: 'agent', body: 'Yes: the unused part of the month is credited pro rata against the first annual invoice. Switch under *Settings → Plan*.', upvotes: ['priya', 'jonas'], official: true, accepted: true },
    ],
  },
  {
    category: 'account',
    by: 'amara',
    title: 'What happens to my posts if I delete my account?',
    body: 'I want to leave but I don’t want to break threads where my answers helped people.',
    tags: ['privacy', 'account-deletion'],
    hoursAgo: 160,
    answers: [
      { by: 'moderator', body: 'Your posts stay, shown as by “deleted member”; your profile, email and everything personal are removed after 30 days. Logging in within those 30 days cancels the deletion.', upvotes: ['amara', 'mei', 'lukas'], accepted: true },
    ],
  },
  {
    category: 'account',
    by: 'lukas',
    title: 'Single sign-on with Microsoft Entra ID',
    body: 'Does the business plan support SAML or OIDC sign-in with Entra ID (formerly Azure AD)?',
    tags: ['sso', 'teams'],
    hoursAgo: 26,
    answers: [],
  },
  {
    category: 'content',
    by: 'mei',
    title: 'Tables lose their formatting when pasted from a spreadsheet',
    body: 'Pasting a range from a spreadsheet gives one long line of text instead of a table.',
    tags: ['editor', 'tables', 'formatting'],
    hoursAgo: 8,
    answers: [
      {
        by: 'jonas',
        body: 'Paste it as Markdown instead; a small range looks like this:\n\n```\n| Month | Visits |\n|-------|--------|\n| Jan   | 1,204  |\n| Feb   | 1,377  |\n```',
        upvotes: ['mei'],
      },
    ],
  },
  {
    category: 'content',
    by: 'priya',
    title: 'Bulk-move 300 notes to another folder',
    body: 'Is there a way to select many notes at once? Dragging them one by one takes forever.',
    tags: ['organising', 'notes'],
    hoursAgo: 60,
    answers: [
      { by: 'amara', body: 'Shift-click the first and last note in the list to select the range, then drag any of them: all selected notes move.', upvotes: ['priya', 'tomas'], accepted: true },
    ],
  },
  {
    category: 'content',
    by: 'jonas',
    title: 'Code blocks lose indentation on export to PDF',
    body: 'Exported PDFs show my Python code with all indentation stripped, which makes it wrong:\n\n```python\ndef greet(name):\n    if name:\n        return f"Hello, {name}"\n    return "Hello"\n```',
    tags: ['export', 'pdf', 'code'],
    hoursAgo: 96,
    answers: [
      { by: 'agent', body: 'Confirmed and fixed in the export service this morning: exports made from now on keep indentation. Please export again.', upvotes: ['jonas', 'mei'], official: true },
    ],
  },
  {
    category: 'content',
    by: 'tomas',
    title: 'Sharing a read-only link with people outside my team',
    body: 'I want a client to read one document without an account. Is a public link possible, and can I revoke it later?',
    tags: ['sharing', 'permissions'],
    hoursAgo: 130,
    answers: [
      { by: 'mei', body: '*Share → Anyone with the link → Can view*. Turning the switch off later revokes the link at once.', upvotes: ['tomas', 'amara'], accepted: true },
      { by: 'lukas', body: 'You can also set an expiry date on the link, handy for clients.', upvotes: ['tomas'] },
    ],
  },
  {
    category: 'content',
    by: 'amara',
    title: 'Version history only goes back 30 days',
    body: 'I need a version of a document from three months ago. Is older history kept anywhere?',
    tags: ['history', 'plans'],
    hoursAgo: 250,
    answers: [{ by: 'agent', body: 'The free plan keeps 30 days of history, paid plans a year. Older versions are not kept, sorry.', upvotes: ['amara'], official: true }],
  },
  {
    category: 'content',
    by: 'member',
    title: 'Embedding a video from our intranet',
    body: 'Pasting the link of a video hosted on our intranet shows just the link. Can it be embedded?',
    tags: ['embeds', 'video'],
    hoursAgo: 18,
    answers: [],
  },
  {
    category: 'community',
    by: 'amara',
    title: 'Welcome! Introduce yourself here',
    body: 'New here? Say hello and tell us what you use the app for. Reading a few answered threads is a good way to start.',
    tags: ['introductions'],
    hoursAgo: 400,
    answers: [
      { by: 'priya', body: 'Hi all! IT for a 20-person architecture office; we use it for project notes and client handovers.', upvotes: ['amara'] },
      { by: 'jonas', body: 'Hello! I build integrations with the API and hang around in the technical category.', upvotes: ['amara', 'mei'] },
      { by: 'mei', body: 'Writer here. I keep all my drafts in it and help out with formatting questions.', upvotes: ['amara'] },
    ],
  },
  {
    category: 'community',
    by: 'jonas',
    title: 'Feature request: a command palette',
    body: 'A Ctrl+K palette to jump to notes and run actions would save me a lot of clicks. Anyone else?',
    tags: ['feature-request', 'keyboard'],
    hoursAgo: 70,
    answers: [
      { by: 'tomas', body: '+1, especially for moving notes between folders.', upvotes: ['jonas'] },
      { by: 'moderator', body: 'Passed on to the product team with a link to this thread; we will post here when there is news.', upvotes: ['jonas', 'tomas', 'priya'] },
    ],
  },
  {
    category: 'community',
    by: 'mei',
    title: 'Tips for writing a question that gets answered quickly',
    body: 'After a year here, what works: a specific title, what you expected vs. what happened, the version and system, and what you already tried. Add yours!',
    tags: ['meta', 'tips'],
    hoursAgo: 300,
    answers: [
      { by: 'amara', body: 'Paste error messages as text in a code block, not as a screenshot: people can search for them.', upvotes: ['mei', 'jonas', 'priya', 'tomas'] },
      { by: 'moderator', body: 'And mark the answer that solved it as accepted: it helps the next person with the same problem.', upvotes: ['mei', 'amara'] },
    ],
  },
  {
    category: 'community',
    by: 'tomas',
    title: 'Meetup in Madrid in the spring?',
    body: 'Several of us seem to be in Spain. Would anyone come to an informal meetup in Madrid in April?',
    tags: ['events'],
    hoursAgo: 46,
    answers: [{ by: 'lukas', body: 'Count me in if it is on a weekend.' }],
  },
]

/** Spam the moderators have to look at: an answer reported by two people. */
export const demoSpamAnswer = {
  threadTitle: 'Backups fail with "disk quota exceeded" but the disk is half empty',
  by: 'lukas' as const,
  body: 'Best cheap backup hosting here!!! Visit backup-deals dot example for 90% off, limited time only.',
}

/** A curt answer a moderator hid, which its author appeals: the queue's appeal. */
export const demoAppealedAnswer = {
  threadTitle: 'Feature request: a command palette',
  by: 'lukas' as const,
  body: 'If you want a command palette, just use another app. This one is not for power users.',
  reportedBy: 'jonas' as const,
  hiddenBecause: 'Dismissive of the request; please keep answers constructive.',
  statement: 'I meant it as honest feedback, not as an attack. Could it be shown again?',
}

/**
 * Support requests solved over the past four weeks, for the /staff/sla chart and report: each opened
 * `daysAgo` days ago (at `hour` UTC), answered and solved `replyHours` later; some rated. Written
 * through the domain functions, then moved back in time as a whole (scripts/seed.ts).
 */
export type DemoTicketHistory = {
  by: Person
  subject: string
  priority: 'low' | 'medium' | 'high' | 'critical'
  daysAgo: number
  hour: number
  replyHours: number
  reply: string
  closed?: boolean
  rating?: { score: 1 | 2 | 3 | 4 | 5; comment: string }
}

export const demoTicketHistory: DemoTicketHistory[] = [
  { by: 'priya', subject: 'Sync conflicts after renaming a shared folder', priority: 'medium', daysAgo: 27, hour: 15, replyHours: 2, reply: 'Renaming while a device is offline makes two copies; we merged them on our side.', closed: true, rating: { score: 5, comment: 'Fixed within the afternoon.' } },
  { by: 'jonas', subject: 'Webhook deliveries delayed by 20 minutes', priority: 'high', daysAgo: 26, hour: 17, replyHours: 0.5, reply: 'A queue backlog on our side; it has drained and deliveries are live again.', closed: true },
  { by: 'mei', subject: 'Footnotes lost when exporting to DOCX', priority: 'low', daysAgo: 24, hour: 10, replyHours: 30, reply: 'Fixed in the export service; please export again.', closed: true, rating: { score: 3, comment: 'Took a while, but it works now.' } },
  { by: 'tomas', subject: 'Cannot remove a former colleague from our team', priority: 'medium', daysAgo: 23, hour: 16, replyHours: 3, reply: 'Removed; their notes were moved to you as the workspace owner.', closed: true },
  { by: 'amara', subject: 'Receipt shows the wrong company address', priority: 'low', daysAgo: 21, hour: 18, replyHours: 20, reply: 'Updated the billing address; new receipts carry it.', closed: true, rating: { score: 4, comment: '' } },
  { by: 'lukas', subject: 'SAML login loops back to the sign-in page', priority: 'high', daysAgo: 20, hour: 17, replyHours: 6, reply: 'The IdP sent an expired certificate; once rotated, sign-in works.', closed: true, rating: { score: 2, comment: 'We were locked out most of the day.' } },
  { by: 'priya', subject: 'All devices signed out at once', priority: 'critical', daysAgo: 19, hour: 16, replyHours: 0.3, reply: 'A token refresh bug in 4.11.2; 4.11.3 is out and keeps you signed in.', closed: true, rating: { score: 5, comment: 'Answered in minutes.' } },
  { by: 'jonas', subject: 'API pagination returns the same page twice', priority: 'medium', daysAgo: 17, hour: 20, replyHours: 4, reply: 'Use the `next` cursor rather than offsets; the docs now say so.', closed: true },
  { by: 'mei', subject: 'Spell check marks every word in Welsh', priority: 'low', daysAgo: 16, hour: 17, replyHours: 48, reply: 'Welsh dictionaries are now available under Settings → Language.', closed: true },
  { by: 'tomas', subject: 'Charged in USD instead of EUR', priority: 'medium', daysAgo: 14, hour: 18, replyHours: 1, reply: 'Refunded the difference and switched the account to EUR.', closed: true, rating: { score: 5, comment: 'Quick refund, thank you.' } },
  { by: 'amara', subject: 'Notifications arrive twice on Android', priority: 'low', daysAgo: 13, hour: 16, replyHours: 10, reply: 'Two push registrations for one phone; we removed the stale one.', closed: true },
  { by: 'lukas', subject: 'Self-hosted upgrade stuck on a migration', priority: 'high', daysAgo: 12, hour: 21, replyHours: 9, reply: 'Run the migration with `--lock-timeout 0`; a long backup held the lock.', closed: true, rating: { score: 3, comment: '' } },
  { by: 'priya', subject: 'Shared link asks guests to sign in', priority: 'medium', daysAgo: 10, hour: 17, replyHours: 2, reply: 'The link had been set to "team only"; switched back to "anyone with the link".', closed: true },
  { by: 'jonas', subject: 'Rate limit headers missing on 429 responses', priority: 'low', daysAgo: 9, hour: 18, replyHours: 26, reply: 'Deployed: 429s carry Retry-After and X-RateLimit-* again.' },
  { by: 'mei', subject: 'Lost the last hour of edits after a crash', priority: 'critical', daysAgo: 8, hour: 17, replyHours: 2, reply: 'Restored from the server-side history; the document is back as of the crash.', rating: { score: 4, comment: 'Relieved to get it back.' } },
  { by: 'tomas', subject: 'Team invite mails never arrive', priority: 'medium', daysAgo: 6, hour: 16, replyHours: 1.5, reply: 'Your mail server rejected us for a missing SPF record on our side; fixed.' },
  { by: 'amara', subject: 'Dark mode makes tables unreadable', priority: 'low', daysAgo: 5, hour: 19, replyHours: 5, reply: 'Fixed in today’s release: table borders and text now follow the theme.', rating: { score: 5, comment: '' } },
  { by: 'lukas', subject: 'Audit log export times out', priority: 'high', daysAgo: 4, hour: 17, replyHours: 14, reply: 'Exports of more than a year now run in the background and are mailed to you.' },
  { by: 'priya', subject: 'Printer-friendly view lost its margins', priority: 'medium', daysAgo: 3, hour: 18, replyHours: 3, reply: 'A stylesheet regression; fixed and deployed.' },
  { by: 'jonas', subject: 'OAuth app stuck "pending review"', priority: 'medium', daysAgo: 2, hour: 16, replyHours: 1, reply: 'Approved; your app can request the write scope now.', rating: { score: 5, comment: 'Thanks for the quick review.' } },
]
