/**
 * The import rule of docs/decisions/013-domain-modules.md, checked in CI (`npm run lint:imports`):
 * routes → domains → platform → db; a domain reaches another only through that domain's entry
 * files; platform, ui and db never import a domain; no import circles anywhere.
 */
const DOMAINS = ['forum', 'tickets', 'moderation', 'notifications', 'accounts', 'rate-limits', 'uploads', 'composer']
const domain = `(${DOMAINS.join('|')})`

/**
 * A domain's entry files: what other domains may import. Everything else in a domain folder is
 * its own business. Browser-safe constants and `ui/` components are entries too.
 */
const ENTRIES = {
  forum: ['visibility.server', 'thread.server', 'publishing.server', 'ui/[^/]+'],
  tickets: ['constants', 'message-access.server', 'ui/[^/]+'],
  moderation: ['blocks.server', 'edit-review.server', 'effects.server', 'posting-gate.server', 'queued-post.server', 'watched-words.server', 'watched-words'],
  notifications: ['notify.server', 'events.server', 'kinds'],
  accounts: ['privacy', 'rules', 'ui/[^/]+'],
  'rate-limits': ['counter.server'],
  uploads: ['attachments.server', 'constants', 'ui/[^/]+'],
  composer: ['drafts.server', 'preview.server', 'keys'],
  search: ['index.server', 'queries.server', 'engine'],
}
const entryFiles = Object.entries(ENTRIES).map(([name, files]) => `^${name === 'search' ? '' : 'app/'}${name}/(${files.join('|')})\\.tsx?$`)

const TESTS = ['\\.test\\.tsx?$', '^tests/', '^search/engine-contract\\.ts$']
/** Composition roots wire the domains together; they may import anything. */
const ROOTS = ['^app/(server|worker|jobs\\.server|root|entry\\.client|entry\\.server)\\.tsx?$', '^scripts/', '^search/reindex\\.ts$']

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import circles make load order matter and hide a missing boundary.', from: {}, to: { circular: true } },
    { name: 'db-imports-no-app', severity: 'error', comment: 'db/ is schema, migrations and the connection: it knows nothing of the app.', from: { path: '^db/', pathNot: TESTS }, to: { path: '^(app|search|scripts)/' } },
    { name: 'platform-imports-no-domain', severity: 'error', comment: 'platform/ is domain-free plumbing; a domain plugs into it, never the other way round.', from: { path: '^app/platform/', pathNot: TESTS }, to: { path: ['^app/', '^search/', '^scripts/'], pathNot: '^app/platform/' } },
    { name: 'ui-imports-no-domain', severity: 'error', comment: 'app/ui/ is domain-free components; domain UI lives in <domain>/ui/.', from: { path: '^app/ui/', pathNot: TESTS }, to: { path: ['^app/', '^search/'], pathNot: ['^app/ui/', '^app/platform/'] } },
    { name: 'routes-never-import-db', severity: 'error', comment: 'Routes parse, authorize, call a domain and render; the database is the domains’ business.', from: { path: '^app/routes/' }, to: { path: '^db/' } },
    { name: 'nothing-imports-routes', severity: 'error', comment: 'Routes are leaves: Remix loads them; nothing else may.', from: { path: '^(app|search|db)/', pathNot: ['^app/routes/', ...TESTS] }, to: { path: '^app/routes/' } },
    { name: 'only-roots-import-roots', severity: 'error', comment: 'The server, the worker, the job registry and the root route compose the app; domains do not reach up into them.', from: { path: ['^app/', '^search/', '^db/'], pathNot: [...ROOTS, '^app/routes/', ...TESTS] }, to: { path: ROOTS[0] } },
    {
      name: 'domain-through-entry-files',
      severity: 'error',
      comment: 'A domain reaches another only through that domain’s entry files (ENTRIES in this file).',
      from: { path: `^app/${domain}/`, pathNot: TESTS },
      to: { path: [`^app/${domain}/`, '^search/'], pathNot: ['^app/$1/', ...entryFiles] },
    },
    {
      name: 'search-through-entry-files',
      severity: 'error',
      comment: 'search/ is a domain like the others.',
      from: { path: '^search/', pathNot: [...TESTS, ...ROOTS] },
      to: { path: `^app/${domain}/`, pathNot: entryFiles },
    },
    { name: 'search-imports-no-routes-or-ui', severity: 'error', from: { path: '^search/', pathNot: TESTS }, to: { path: '^app/(routes|ui)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^build/', '^public/build/', '^\\.cache/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
