import { and, asc, eq, gt, or, sql, type SQLWrapper } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, postRevisions, questions } from '#db/schema/index'
import { renderPost } from '~/notifications/events.server'
import { censorHtml } from '~/moderation/watched-words'
import { loadWatchedWords } from '~/moderation/watched-words.server'
import { touchThread } from './thread.server'

/** Sources that Markdown turns into code blocks: only those change when highlighting changes. */
const hasFence = (source: SQLWrapper) => or(sql`strpos(${source}, '\`\`\`') > 0`, sql`strpos(${source}, '~~~') > 0`)!

// The three tables share the columns used here (id, body_source, body_html); drizzle's types see
// each table apart, so the loop below treats them as the questions table.
type Table = typeof questions

/**
 * Renders stored posts again from their Markdown source, after the renderer changed (code
 * highlighting, issue 13): questions, answers and their earlier versions, in batches of `batchSize`
 * rows, each batch one transaction. Only rows whose HTML comes out different are written, and
 * their threads touched (new revision for the page cache, reindex for search). `everything`
 * re-renders every post (and so applies newly censored watched words to old posts); by default only those with a fenced code block. Safe to run again: a
 * second run finds nothing to change. Returns how many rows changed.
 */
export async function rerenderStoredPosts({ everything = false, batchSize = 200 }: { everything?: boolean; batchSize?: number } = {}) {
  const changed = { questions: 0, answers: 0, revisions: 0 }
  // Censored watched words are masked in what is rendered (decision 031): a re-render applies today's list.
  const watched = await loadWatchedWords()
  const tables: [keyof typeof changed, Table][] = [
    ['questions', questions],
    ['answers', answers as unknown as Table],
    ['revisions', postRevisions as unknown as Table],
  ]
  for (const [name, table] of tables) {
    let after = 0
    for (;;) {
      const rows = await db
        .select({ id: table.id, bodySource: table.bodySource, bodyHtml: table.bodyHtml, questionId: table === questions ? questions.id : (table as unknown as typeof answers).questionId })
        .from(table)
        .where(and(gt(table.id, after), everything ? undefined : hasFence(table.bodySource)))
        .orderBy(asc(table.id))
        .limit(batchSize)
      if (rows.length === 0) break
      after = rows[rows.length - 1].id
      await db.transaction(async (tx) => {
        const touched: number[] = []
        for (const row of rows) {
          const html = censorHtml((await renderPost(tx, row.bodySource)).html, watched)
          if (html === row.bodyHtml) continue
          await tx.update(table).set({ bodyHtml: html }).where(eq(table.id, row.id))
          touched.push(row.questionId)
          changed[name]++
        }
        await touchThread(tx, touched)
      })
    }
  }
  return changed
}
