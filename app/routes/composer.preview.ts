import { json, type ActionFunctionArgs } from '@remix-run/node'
import { COMPOSER_MAX_LENGTH } from '~/composer/keys'
import { renderPreview } from '~/composer/preview.server'
import { rateLimitRefusal, tooManyRequests } from '~/rate-limits/counter.server'
import { hasNul, readFormData } from '~/platform/request-input.server'

/**
 * The composer's live preview (POST, fetched as the member pauses typing): the text rendered by
 * the pipeline that stores posts, so what the preview shows is what will be posted. Members only,
 * counted by the rate limits, and no longer than a post may be.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.user) return json({ message: 'Log in to preview what you write.' }, { status: 401 })
  const formData = await readFormData(request)
  const source = formData.get('body')
  if (typeof source !== 'string') return json({ message: 'Send the text to preview as "body".' }, { status: 400 })
  if (source.length > COMPOSER_MAX_LENGTH) return json({ message: `A post can be at most ${COMPOSER_MAX_LENGTH.toLocaleString('en')} characters, so this is too long to preview.` }, { status: 413 })
  if (hasNul(source)) return json({ message: 'The text contains a character that is not allowed.' }, { status: 400 })
  const limited = await rateLimitRefusal({ action: 'preview', context })
  if (limited) return tooManyRequests(limited)
  return json({ html: renderPreview(source) ?? '' })
}
