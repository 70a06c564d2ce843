import { json } from '@remix-run/node'
import type { SubmissionReply } from '~/platform/form-state'
import { renderMarkdown } from '~/platform/markdown.server'
import { hasNul } from '~/platform/request-input.server'
import { COMPOSER_MAX_LENGTH } from './keys'

/**
 * The preview is the post as it will be stored: the same markdown-it + sanitize-html pipeline
 * (@mentions stay plain text until posted, when the members they name are looked up). Null for
 * an empty text, a text too long to post, or one the database would refuse.
 */
export function renderPreview(source: string): string | null {
  if (!source.trim() || source.length > COMPOSER_MAX_LENGTH || hasNul(source)) return null
  return renderMarkdown(source)
}

/**
 * Without JavaScript a composer's "Preview" button (intent=preview) posts the page's own form: the
 * page answers with the preview and everything typed, saves nothing. `field` is the composer's
 * textarea; `extra` tells a page with several forms which one this is.
 */
export function previewReply<Extra extends Record<string, unknown> = Record<never, never>>(formData: FormData, field: string, extra?: Extra) {
  const initialValue = Object.fromEntries([...formData].filter(([name, value]) => typeof value === 'string' && name !== 'intent' && !hasNul(value)))
  const source = formData.get(field)
  const result: SubmissionReply = { initialValue }
  const preview: string | null = typeof source === 'string' ? renderPreview(source) : null
  return json({ ...(extra as Extra), result, preview })
}
