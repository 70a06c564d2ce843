import { json, type ActionFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/platform/auth/auth.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams, readFields } from '~/platform/request-input.server'
import { PRESENCE_STATES, type PresenceState } from '~/tickets/presence'
import { announcePresence } from '~/tickets/presence.server'

/**
 * POST /tickets/:number/presence (state=viewing|replying), sent by the ticket page every ~20 s
 * while open (app/tickets/ui/ticket-presence.tsx): the other readers of the ticket see who else is
 * on it. 404 for a ticket the member may not see, as its page.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const number = requireId(pathParams(params).number)
  const state = (await readFields(request)).get('state')
  invariantResponse(typeof state === 'string' && (PRESENCE_STATES as readonly string[]).includes(state), 'Say viewing or replying.', { status: 400 })
  const told = await announcePresence({ number, viewer: user, state: state as PresenceState })
  invariantResponse(told, 'Not found', { status: 404 })
  return json({ ok: true })
}

export async function loader() {
  throw new Response('Not found', { status: 404 })
}
