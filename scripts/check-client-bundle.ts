/**
 * `npm run check:bundle`: builds the app and fails when server-only code reached the browser
 * bundle: drizzle (the schema) or zod. Each leaves a string no browser code of ours contains.
 * Prints the gzipped JavaScript weight of the entry plus every route, as a measurement, not a gate.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

const SERVER_ONLY = [
  { name: 'drizzle-orm', marker: 'drizzle:entityKind' },
  { name: 'zod', marker: 'ZodError' },
  { name: 'postgres.js / PGlite', marker: 'pg_catalog' },
]

const buildDir = path.resolve('public/build')

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
let gzipped = 0
for (const file of jsFiles(buildDir)) {
  const code = readFileSync(file, 'utf8')
  gzipped += gzipSync(code).length
  for (const { name, marker } of SERVER_ONLY) {
    if (code.includes(marker)) problems.push(`${path.relative(process.cwd(), file)} contains ${name}`)
  }
}

console.log(`Browser JavaScript, all chunks: ${(gzipped / 1024).toFixed(1)} KB gzipped`)
if (problems.length) {
  console.error(`Server-only code in the browser bundle:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('No server-only code in the browser bundle.')
