import { listQuestions, type QuestionFilter } from '~/forum/questions.server'
import { decodeCursor } from '~/platform/cursor'

const filters: QuestionFilter[] = ['all', 'unanswered', 'unsolved', 'solved']

/** The shared loader body of every question list: filter and cursor from the URL, one page out. */
export async function loadQuestionList(request: Request, scope: { categoryId?: number; tagName?: string } = {}) {
  const url = new URL(request.url)
  const requested = url.searchParams.get('filter') ?? 'all'
  const filter = filters.find((f) => f === requested) ?? 'all'
  const page = await listQuestions({ ...scope, filter, after: decodeCursor(url.searchParams.get('after')) })
  let nextHref: string | null = null
  if (page.nextCursor) {
    const next = new URLSearchParams(url.searchParams)
    next.set('after', page.nextCursor)
    nextHref = `${url.pathname}?${next}`
  }
  return { questions: page.questions, filter, nextHref, now: new Date().toISOString() }
}
