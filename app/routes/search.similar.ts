import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { findSimilarQuestions } from '#search/queries.server'

/** Similar questions for a title being typed on /questions/new (fetched as the member types). */
export async function loader({ request }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get('title') ?? '').slice(0, 150)
  const similar = await findSimilarQuestions(title)
  return json({ similar: similar.map(({ questionId, title, hasAcceptedAnswer, hasOfficialAnswer, answerCount }) => ({ questionId, title, hasAcceptedAnswer, hasOfficialAnswer, answerCount })) })
}
