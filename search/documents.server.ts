/**
 * What the search index may know about a question: built from the forum's tables in two queries,
 * whatever the number of questions. Hidden and removed questions and answers never get in, and
 * tickets are a different table altogether, so private support text cannot reach the index.
 */
import { sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import sanitizeHtml from 'sanitize-html'
import { db, rowsOf } from '#db/client.server'
import { answers, questions } from '#db/schema/index'
import { answerStatePublicSql, questionPublicSql } from '~/forum/visibility.server'
import type { SearchDocument } from './engine'

type QuestionRow = {
  id: number
  title: string
  body_html: string
  category_id: number
  category_slug: string
  category_name: string
  tag_names: string[]
  author_username: string
  has_accepted_answer: boolean
  has_official_answer: boolean
  created_ms: number
  last_activity_ms: number
}

type AnswersRow = { question_id: number; answers_html: string; answer_count: number }

const STRIP_ALL: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'] }
// Block boundaries become spaces, so "<p>one</p><p>two</p>" does not index the word "onetwo".
const BLOCK_BOUNDARY = /<\/?(?:p|br|hr|h[1-6]|li|ul|ol|blockquote|pre|table|thead|tbody|tr|td|th|div)\b[^>]*>/gi
const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' }

/**
 * The plain text of stored post HTML. sanitize-html decodes every entity while parsing and escapes
 * only these few again on output, so decoding them gives back the text as written.
 */
export function htmlToPlainText(html: string) {
  const text = sanitizeHtml(html.replace(BLOCK_BOUNDARY, ' $&'), STRIP_ALL)
  return text
    .replace(/&(?:amp|lt|gt|quot|#39|#x27|nbsp);/g, (entity) => entities[entity])
    .replace(/\s+/g, ' ')
    .trim()
}

// Named as the raw SQL below names them, so the visibility rule reads the right rows.
const q = alias(questions, 'q')
const a = alias(answers, 'a')

const idArray = (ids: number[]) => `{${ids.map((id) => Math.trunc(Number(id))).join(',')}}`

/**
 * Search documents for the given questions, with the ids that must not be in the index (hidden,
 * removed or no longer existing questions) in `invisibleIds`.
 */
export async function loadSearchDocuments(questionIds: number[]): Promise<{ documents: SearchDocument[]; invisibleIds: number[] }> {
  const ids = [...new Set(questionIds)]
  if (ids.length === 0) return { documents: [], invisibleIds: [] }
  const wanted = idArray(ids)

  const questionRows = rowsOf<QuestionRow>(
    await db.execute(sql`
      select q.id, q.title, q.body_html, q.category_id, c.slug as category_slug, c.name as category_name,
        array(select t.name from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = q.id order by t.name) as tag_names,
        u.username as author_username,
        q.accepted_answer_id is not null as has_accepted_answer,
        q.official_answer_id is not null as has_official_answer,
        (extract(epoch from q.created_at) * 1000)::float8 as created_ms,
        (extract(epoch from q.last_activity_at) * 1000)::float8 as last_activity_ms
      from questions q
        join categories c on c.id = q.category_id
        join users u on u.id = q.author_id
      where q.id = any(${wanted}::int[]) and ${questionPublicSql(q)}
    `),
  )
  const visible = new Set(questionRows.map((q) => Number(q.id)))
  const invisibleIds = ids.filter((id) => !visible.has(id))
  if (questionRows.length === 0) return { documents: [], invisibleIds }

  const answerRows = rowsOf<AnswersRow>(
    await db.execute(sql`
      select a.question_id, string_agg(a.body_html, E'\n' order by a.id) as answers_html, count(*)::int as answer_count
      from answers a
      where a.question_id = any(${idArray([...visible])}::int[]) and ${answerStatePublicSql(a)}
      group by a.question_id
    `),
  )
  const answersByQuestion = new Map(answerRows.map((a) => [Number(a.question_id), a]))

  const documents = questionRows.map((q): SearchDocument => {
    const answers = answersByQuestion.get(Number(q.id))
    const body = [htmlToPlainText(q.body_html), answers ? htmlToPlainText(answers.answers_html) : ''].filter(Boolean).join('\n\n')
    return {
      questionId: Number(q.id),
      title: q.title,
      body,
      categoryId: Number(q.category_id),
      categorySlug: q.category_slug,
      categoryName: q.category_name,
      tagNames: q.tag_names,
      authorUsername: q.author_username,
      // Answers the public sees: hidden and removed ones are not counted.
      answerCount: Number(answers?.answer_count ?? 0),
      hasAcceptedAnswer: q.has_accepted_answer,
      hasOfficialAnswer: q.has_official_answer,
      createdAt: new Date(Number(q.created_ms)),
      lastActivityAt: new Date(Number(q.last_activity_ms)),
    }
  })
  return { documents, invisibleIds }
}
