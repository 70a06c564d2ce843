import { json, type ActionFunctionArgs } from '@remix-run/node'
import { receiveInboundEmail } from '~/tickets/inbound-mail.server'
import { secretsMatch } from '~/platform/crypto.server'
import { env } from '~/platform/env.server'
import { InboundEmailSchema, MAX_INBOUND_EMAIL_BYTES } from '~/tickets/forms.server'
import { readBoundedText } from '~/platform/request-input.server'

const tooLarge = () => json({ error: `The mail is too large: at most ${MAX_INBOUND_EMAIL_BYTES / 1024 / 1024} MB of JSON, attachments included.` }, { status: 413 })

/**
 * The mail provider's inbound webhook: JSON {from, subject, text, message-id, in-reply-to, to?, cc?},
 * authenticated by `Authorization: Bearer $INBOUND_EMAIL_SECRET`. Off (404) when no secret is set.
 * At most MAX_INBOUND_EMAIL_BYTES, else a 413; only an authenticated sender's body is read at all.
 */
export async function action({ request }: ActionFunctionArgs) {
  const secret = env.inboundEmailSecret
  if (!secret) throw json({ message: 'Inbound mail is not configured.' }, { status: 404 })
  const given = request.headers.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1] ?? ''
  if (!secretsMatch(given, secret)) return json({ error: 'Wrong or missing secret.' }, { status: 401 })
  if (request.method !== 'POST') return json({ error: 'Use POST.' }, { status: 405 })
  // Counted as it streams in (and refused by its Content-Length first): never held whole past the limit.
  const text = await readBoundedText(request, MAX_INBOUND_EMAIL_BYTES, tooLarge)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return json({ error: 'The body must be JSON.' }, { status: 400 })
  }
  // PostgreSQL cannot store U+0000; a mail carrying one is refused rather than half-stored.
  if (JSON.stringify(body).includes('\\u0000')) return json({ error: 'The mail contains a character that is not allowed (U+0000).' }, { status: 400 })
  const parsed = InboundEmailSchema.safeParse(body)
  if (!parsed.success) return json({ error: 'Invalid mail.', fields: parsed.error.flatten().fieldErrors }, { status: 400 })
  const mail = parsed.data
  const result = await receiveInboundEmail({
    from: mail.from,
    subject: mail.subject,
    text: mail.text,
    messageId: mail['message-id'],
    inReplyTo: mail['in-reply-to'] ?? null,
    to: [mail.to, mail.cc].filter(Boolean).join(', '),
    headers: mail.headers,
  })
  // 200, not an error: the provider must not retry an auto-reply or a bounce.
  if (result.action === 'ignored') return json({ ticket: null, action: 'ignored', reason: result.reason })
  const created = result.action === 'created' || result.action === 'follow-up' || result.action === 'created-escalated'
  return json({ ticket: result.number, action: result.action }, { status: created ? 201 : 200 })
}
