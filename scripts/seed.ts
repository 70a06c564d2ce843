import { pathToFileURL } from 'node:url'
import { sql } from 'drizzle-orm'
import { createAnswer, setAcceptedAnswer, setOfficialAnswer, voteOnAnswer } from '~/forum/answers.server'
import { createQuestion } from '~/forum/questions.server'
import { addTicketMessage, assignTicket } from '~/tickets/changes.server'
import { convertThreadToTicket, createTicket } from '~/tickets/open.server'
import { seedSlaDefaults } from '~/tickets/sla-settings.server'
import { createUser } from '~/accounts/users.server'
import { env } from '~/platform/env.server'
import { closeDatabase, db } from '../db/client.server'
import { demoAccounts } from './demo-accounts'
import { categories, users } from '../db/schema/index'

export { demoAccounts }

/** The kinds of help our support policy covers; every installation starts with them. */
const baseCategories = [
  { slug: 'technical', name: 'Technical', description: 'Errors, bugs, set-up and anything that does not work as expected.', position: 1 },
  { slug: 'account', name: 'Account', description: 'Signing in, billing, plans and account settings.', position: 2 },
  { slug: 'content', name: 'Content', description: 'Creating, editing, importing and sharing content.', position: 3 },
  { slug: 'community', name: 'Community', description: 'Introductions, feedback and everything about this forum.', position: 4 },
]


export async function seedBase() {
  await db.insert(categories).values(baseCategories).onConflictDoNothing({ target: categories.slug })
  await seedSlaDefaults()
}

export function demoSeedingAllowed() {
  return !env.isProduction || process.env.SEED_DEMO === '1'
}

/** Demo accounts and a few threads, only into a database with no users yet. Returns whether it seeded. */
export async function seedDemo(): Promise<boolean> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(users)
  if (count > 0) return false
  const ids: Record<string, number> = {}
  for (const account of demoAccounts) {
    const result = await createUser({ ...account, emailVerified: true })
    if (!result.ok) throw new Error(`Could not create demo account ${account.username}: ${JSON.stringify(result.errors)}`)
    ids[account.username] = result.user.id
  }
  const cats = await db.select({ id: categories.id, slug: categories.slug }).from(categories)
  const cat = (slug: string) => cats.find((c) => c.slug === slug)!.id

  const reset = await createQuestion({
    authorId: ids.member,
    title: 'How do I reset my password if I no longer have access to my email?',
    bodySource: 'I changed jobs and lost access to the address I signed up with. **Is there another way** to get back in?',
    categoryId: cat('account'),
    tagNames: ['password', 'login'],
  })
  const first = await createAnswer({ questionId: reset.id, authorId: ids.moderator, bodySource: 'Try signing in with your username instead: it works even when the email is gone.' })
  const official = await createAnswer({
    questionId: reset.id,
    authorId: ids.agent,
    bodySource: 'Open a support ticket from the **Help** menu with your username and the last invoice number; we verify ownership and update the address for you.',
  })
  await setOfficialAnswer({ questionId: reset.id, answerId: official!.id, staffId: ids.agent })
  await voteOnAnswer({ answerId: first!.id, voterId: ids.member, value: 1 })

  const sync = await createQuestion({
    authorId: ids.member,
    title: 'Sync stops after the latest update',
    bodySource: 'Since updating, sync stops after a few minutes.\n\n```\nError: sync timeout (code 504)\n```\n\nWhat can I try?',
    categoryId: cat('technical'),
    tagNames: ['sync', 'update'],
  })
  const fix = await createAnswer({ questionId: sync.id, authorId: ids.moderator, bodySource: 'Sign out and back in once: the update needs a fresh token. That fixed it for me.' })
  await setAcceptedAnswer({ questionId: sync.id, answerId: fix!.id })

  await createQuestion({
    authorId: ids.member,
    title: 'Can I export my content as Markdown?',
    bodySource: 'I would like to keep a copy of everything I wrote. Is there an export?',
    categoryId: cat('content'),
    tagNames: ['export'],
  })

  // Two support tickets, so the agent's queue and the member's requests are not empty.
  const billing = await createQuestion({
    authorId: ids.member,
    title: 'My invoices disappeared from the billing page',
    bodySource: 'Since yesterday the billing page lists no invoices at all, not even last year’s.',
    categoryId: cat('account'),
    tagNames: ['billing'],
  })
  await convertThreadToTicket({ questionId: billing.id, staffId: ids.agent, priority: 'high' })
  const request = await createTicket({
    requesterId: ids.member,
    subject: 'Two-factor codes are rejected',
    priority: 'medium',
    details: {
      whatHappened: 'Every code from my authenticator app is rejected as invalid, so I cannot sign in on my laptop.',
      stepsTried: 'Checked the phone’s clock; tried the backup code (it worked once).',
      environment: 'Firefox 140 on Ubuntu 24.04',
      accountDetails: 'Signed up with my work address.',
    },
  })
  const agent = { id: ids.agent, role: 'agent' as const, username: 'agent' }
  await addTicketMessage({ number: request.number, author: agent, bodySource: 'Thanks! Could you tell us whether your phone’s time zone is set automatically?', statusAfter: 'pending' })
  await assignTicket({ number: request.number, staff: agent, assigneeId: ids.agent })
  return true
}

export function printDemoAccounts(log = console.log) {
  log('\nDemo accounts (for trying Parley out; remove them before real use):')
  for (const a of demoAccounts) log(`  ${a.role.padEnd(10)} username: ${a.username.padEnd(10)} password: ${a.password}`)
  log('')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { migrateAll } = await import('~/platform/migrate.server')
  const { jobRegistry } = await import('~/jobs.server')
  await migrateAll(jobRegistry)
  await seedBase()
  if (demoSeedingAllowed() && (await seedDemo())) printDemoAccounts()
  else console.log('Categories are in place; demo data was not added (the database has users, or NODE_ENV=production without SEED_DEMO=1).')
  await closeDatabase()
}

export async function demoAccountsExist() {
  const [row] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${demoAccounts[0].email}`).limit(1)
  return !!row
}
