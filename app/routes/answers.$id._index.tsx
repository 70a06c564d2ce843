import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { findAnswerPage } from '~/forum/questions.server'
import { getUser } from '~/platform/auth/auth.server'
import { can } from '~/platform/auth/permissions'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams } from '~/platform/request-input.server'

/**
 * `/answers/:id`, an answer's permanent address: to the page of its thread that shows it now, for
 * this viewer (votes move answers between pages). Links in notifications, mail and profiles use it.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const place = await findAnswerPage({ answerId: requireId(pathParams(params).id), viewerId: user?.id ?? null, canModerate: can(user, 'moderate:content:any') })
  invariantResponse(place, 'There is no such answer. It may have been deleted.')
  return redirect(place.path)
}

// A route with a component, so a client-side navigation here follows the redirect like any other.
export default function AnswerPermalink() {
  return null
}
