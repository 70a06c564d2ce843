/**
 * `npm run search:reindex [-- --clear]`: rebuilds the search index from the forum's tables, for a
 * new engine, a changed document mapping, or an index that drifted. Walks the questions by id, 500
 * at a time; each batch is independent and takes no table locks, so on PostgreSQL it runs while
 * the forum serves (and can be stopped and run again at any time). It migrates nothing.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { asc, count, gt } from 'drizzle-orm'
import { closeDatabase, db } from '#db/client.server'
import { questions } from '#db/schema/index'
import { getSearchEngine, indexQuestions } from './index.server'

const BATCH_SIZE = 500
const usage = 'Usage: npm run search:reindex [-- --clear]   (--clear empties the index first)'

/**
 * PGlite's data directory can be open in one process only, and PGlite keeps postmaster.pid there
 * while it is: a second opener (this script beside npm start) would corrupt the database.
 */
function pgliteInUse() {
  if (process.env.DATABASE_URL) return null
  const dataDir = process.env.PGLITE_DIR ?? './data'
  if (dataDir === 'memory://') return 'PGLITE_DIR is memory://: there is no stored forum to index.'
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return null
  return [
    `The PGlite database in ${dataDir} is in use (${pidFile} exists), and PGlite cannot be opened by two processes.`,
    'Stop the server (npm start) and run this again, or run Parley on PostgreSQL (DATABASE_URL), where reindexing runs beside the server.',
    `If no Parley process is running, the last one stopped without closing the database: start and stop npm start once, or remove ${pidFile}.`,
  ].join('\n')
}

async function reindex({ clear }: { clear: boolean }) {
  const engine = getSearchEngine()
  console.log(`Reindexing questions into the ${engine.name} search engine${clear ? ', starting from an empty index' : ''}.`)
  if (clear) await engine.clear()

  const [{ total }] = await db.select({ total: count() }).from(questions)
  const bar = new cliProgress.SingleBar({ format: 'Search index [{bar}] {percentage}% | {value}/{total} questions | ETA {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
  bar.start(total, 0)
  let indexed = 0
  let removed = 0
  let seen = 0
  let afterId = 0
  try {
    for (;;) {
      const batch = await db.select({ id: questions.id }).from(questions).where(gt(questions.id, afterId)).orderBy(asc(questions.id)).limit(BATCH_SIZE)
      if (batch.length === 0) break
      const result = await indexQuestions(
        batch.map((q) => q.id),
        engine,
      )
      indexed += result.indexed
      removed += result.removed
      seen += batch.length
      afterId = batch[batch.length - 1].id
      // Questions posted during the run make the count grow.
      if (seen > total) bar.setTotal(seen)
      bar.update(seen)
    }
  } finally {
    bar.stop()
  }
  console.log(`Done: ${indexed} questions indexed, ${removed} hidden or removed ones left out.`)
}

let options: { clear: boolean } | null = null
try {
  const { values } = parseArgs({ options: { clear: { type: 'boolean', default: false } } })
  options = { clear: values.clear ?? false }
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n${usage}`)
  process.exitCode = 1
}

const refusal = options ? pgliteInUse() : null
if (refusal) {
  console.error(refusal)
  process.exitCode = 1
} else if (options) {
  try {
    await reindex(options)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const hint = /relation "(questions|search_documents)" does not exist/.test(message) ? '\nThe database has not been migrated: run npm run db:migrate (or npm start) first.' : ''
    console.error(`Reindexing failed: ${message}${hint}`)
    process.exitCode = 1
  } finally {
    await closeDatabase()
  }
}
