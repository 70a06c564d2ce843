// npm run posts:rerender [-- --all]: renders stored questions, answers and their earlier versions
// again from their Markdown, after the renderer changed (code highlighting came in issue 13). By
// default only posts with a fenced code block; --all renders every post. Safe to run twice.
import { parseArgs } from 'node:util'
import { closeDatabase } from '../db/client.server'
import { rerenderStoredPosts } from '~/forum/rerender.server'
import { jobRegistry } from '~/jobs.server'
import { migrateAll } from '~/platform/migrate.server'

const { values } = parseArgs({ options: { all: { type: 'boolean', default: false } } })
await migrateAll(jobRegistry)
const changed = await rerenderStoredPosts({ everything: values.all })
console.log(`Rendered again: ${changed.questions} questions, ${changed.answers} answers, ${changed.revisions} earlier versions changed.`)
await closeDatabase()
