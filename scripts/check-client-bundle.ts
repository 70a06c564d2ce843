/**
 * `npm run check:bundle`: builds the app, then
 * - fails when server-only code reached the browser bundle: drizzle (the schema), zod or a database
 *   driver. Each leaves a string no browser code of ours contains;
 * - prints, for every route, the gzipped JavaScript a document of that route makes the browser load
 *   (the manifest, the entry, every route module from root to the route, and all their static
 *   imports, each file counted once), and names every page over the budget of 100 KB. With
 *   `--enforce-budget` (as CI runs it) a page over it fails the check.
 *   Dynamic `import()`s (formatting, uploads, live preview, live updates) load after hydration or on
 *   first use and are not counted against the budget; the table shows them in brackets. Sizes are
 *   gzip level 9 of each file, as a CDN or `compression` at its best
 *   would serve them; a size is deterministic, so this gate never flakes.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 100

const SERVER_ONLY = [
  { name: 'drizzle-orm', marker: 'drizzle:entityKind' },
  { name: 'zod', marker: 'ZodError' },
  { name: 'postgres.js / PGlite', marker: 'pg_catalog' },
]

const publicDir = path.resolve('public')
const buildDir = path.join(publicDir, 'build')

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npx', ['remix', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? jsFiles(full) : entry.name.endsWith('.js') ? [full] : []
  })
}

const problems: string[] = []
let allGzipped = 0
for (const file of jsFiles(buildDir)) {
  const code = readFileSync(file, 'utf8')
  allGzipped += gzipSync(code, { level: 9 }).length
  for (const { name, marker } of SERVER_ONLY) {
    if (code.includes(marker)) problems.push(`${path.relative(process.cwd(), file)} contains ${name}`)
  }
}

// --- Per page, from the build manifest --------------------------------------------------------
type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; module: string; imports?: string[] }
type Manifest = { entry: { module: string; imports?: string[] }; routes: Record<string, ManifestRoute>; url: string }

const manifestFile = readdirSync(buildDir).find((name) => /^manifest-.*\.js$/.test(name))
if (!manifestFile) {
  console.error('No manifest-*.js in public/build: did the build run?')
  process.exit(1)
}
const manifestSource = readFileSync(path.join(buildDir, manifestFile), 'utf8')
const manifest = JSON.parse(manifestSource.replace(/^window\.__remixManifest=/, '').replace(/;\s*$/, '')) as Manifest

const gzippedSize = new Map<string, number>()
const staticImports = new Map<string, string[]>()
const fileOf = (url: string) => path.join(publicDir, url.replace(/^\//, ''))

function sizeOf(url: string) {
  let size = gzippedSize.get(url)
  if (size === undefined) {
    size = gzipSync(readFileSync(fileOf(url)), { level: 9 }).length
    gzippedSize.set(url, size)
  }
  return size
}

/** The module's static imports (esbuild writes `import…from"/build/…"` and `import"/build/…"`), not `import()`. */
function importsOf(url: string) {
  let imports = staticImports.get(url)
  if (!imports) {
    const code = readFileSync(fileOf(url), 'utf8')
    imports = [...code.matchAll(/(?:\bfrom|\bimport)\s*"([^"]+\.js)"/g)].map((m) => new URL(m[1]!, `http://x${url}`).pathname)
    staticImports.set(url, imports)
  }
  return imports
}

/** The module's `import("/build/…")`s: what it loads after hydration or on first use. */
const dynamicImportsOf = (url: string) => [...readFileSync(fileOf(url), 'utf8').matchAll(/\bimport\("([^"]+\.js)"\)/g)].map((m) => new URL(m[1]!, `http://x${url}`).pathname)

function closure(urls: string[], into: Set<string>, withDynamic = false) {
  const stack = [...urls]
  while (stack.length) {
    const url = stack.pop()!
    if (into.has(url)) continue
    into.add(url)
    stack.push(...importsOf(url), ...(withDynamic ? dynamicImportsOf(url) : []))
  }
  return into
}

function chainOf(id: string) {
  const chain: ManifestRoute[] = []
  for (let route: ManifestRoute | undefined = manifest.routes[id]; route; route = route.parentId ? manifest.routes[route.parentId] : undefined) chain.unshift(route)
  return chain
}

const manifestBytes = gzipSync(manifestSource, { level: 9 }).length
/** What loading these files costs a page: the manifest, then each file once. */
const bytesOf = (files: Set<string>) => manifestBytes + [...files].reduce((sum, url) => sum + sizeOf(url), 0)

const base = closure([manifest.entry.module, ...(manifest.entry.imports ?? [])], new Set())
const baseBytes = bytesOf(base)

/** Resource routes (no component: JSON, feeds, files) are no page: their source has no default export. */
function isPage(route: ManifestRoute) {
  const source = ['.tsx', '.ts', '.jsx', '.js'].map((ext) => path.resolve('app', route.id + ext)).find((file) => existsSync(file))
  return !source || /export\s+default\b|export\s*\{[^}]*\bdefault\b/.test(readFileSync(source, 'utf8'))
}

const rows = Object.values(manifest.routes)
  .filter(isPage)
  .map((route) => {
    const modules = chainOf(route.id).flatMap((r) => [r.module, ...(r.imports ?? [])])
    const files = closure(modules, new Set(base))
    // Everything the page can ever load, import()s included (the composer's live part, uploads…).
    const everything = closure(modules, new Set(base), true)
    return { id: route.id, bytes: bytesOf(files), withLater: bytesOf(everything) }
  })
  .sort((a, b) => b.bytes - a.bytes)

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(6)
console.log(`Browser JavaScript per page, gzipped (level 9), budget ${BUDGET_KB} KB; in brackets, with what it may import() later:`)
console.log(`  ${kb(baseBytes)} KB           (manifest + entry + framework, on every page)`)
for (const row of rows) console.log(`  ${kb(row.bytes)} KB (${kb(row.withLater)})  ${row.id}${row.bytes > BUDGET_KB * 1024 ? '   OVER BUDGET' : ''}`)
console.log(`All chunks together: ${kb(allGzipped).trim()} KB gzipped`)

const over = rows.filter((row) => row.bytes > BUDGET_KB * 1024)
const enforceBudget = process.argv.includes('--enforce-budget')
if (over.length && !enforceBudget) console.warn(`Over the budget (not enforced without --enforce-budget; see decision 034): ${over.map((r) => r.id).join(', ')}`)
if (over.length && enforceBudget) problems.push(`${over.length} page(s) over ${BUDGET_KB} KB of gzipped JavaScript: ${over.map((r) => r.id).join(', ')}`)

if (problems.length) {
  console.error(problems.join('\n'))
  process.exit(1)
}
console.log(over.length ? 'No server-only code in the browser bundle.' : 'No server-only code in the browser bundle; every page within the budget.')
