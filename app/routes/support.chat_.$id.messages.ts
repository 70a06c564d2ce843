import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/platform/auth/auth.server'
import { idOrNull, invariantResponse, requireId } from '~/platform/misc'
import { pathParams } from '~/platform/request-input.server'
import { chatMessagesAfter } from '~/tickets/chat/chats.server'

/**
 * GET /support/chat/:id/messages?after=<message id>: the messages the live chat page has not shown
 * yet (app/tickets/chat/ui/chat-conversation.tsx), after an event or a reconnect. 404 for a chat
 * the viewer may not see, as its page.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const chatId = requireId(pathParams(params).id)
  const afterParam = new URL(request.url).searchParams.get('after')
  const after = afterParam === null || afterParam === '0' ? 0 : idOrNull(afterParam)
  invariantResponse(after !== null, 'after must be a message id.', { status: 400 })
  const messages = await chatMessagesAfter({ chatId, viewer: user, afterId: after })
  invariantResponse(messages, 'Not found')
  return json({ messages }, { headers: { 'Cache-Control': 'no-store' } })
}
