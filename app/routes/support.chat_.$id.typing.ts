import { json, type ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/platform/auth/auth.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams, readFields } from '~/platform/request-input.server'
import { announceTyping } from '~/tickets/chat/chats.server'

/** POST /support/chat/:id/typing: the chat page says its reader is typing (a few seconds' word). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const chatId = requireId(pathParams(params).id)
  await readFields(request)
  invariantResponse(await announceTyping({ chatId, viewer: user }), 'Not found', { status: 404 })
  return json({ ok: true })
}

export async function loader() {
  throw new Response('Not found', { status: 404 })
}
