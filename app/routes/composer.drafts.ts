import { json, redirect, type ActionFunctionArgs } from '@remix-run/node'
import { discardDraft, saveDraft } from '~/composer/drafts.server'
import { readDraftFields } from '~/composer/forms.server'
import { requireUser, safeRedirect } from '~/platform/auth/auth.server'
import { rateLimitRefusal, tooManyRequests } from '~/rate-limits/counter.server'
import { readFormData } from '~/platform/request-input.server'

/**
 * Saves or discards the member's draft for one composer. The composer's script posts here as the
 * member pauses typing and asks for JSON; without JavaScript the "Save draft" and "Discard draft"
 * buttons post the page's whole form here, and the member goes back to the page, whose loader
 * puts the draft in the composer.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const formData = await readFormData(request)
  const wantsJson = (request.headers.get('accept') ?? '').includes('application/json')
  const parsed = readDraftFields(formData)
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'That draft was not understood.'
    throw json({ message }, { status: 400 })
  }
  const { intent, draftKey: key, title, body } = parsed.data
  let savedAt: string | null = null
  if (intent === 'discard-draft') {
    await discardDraft({ userId: user.id, key })
  } else {
    const limited = await rateLimitRefusal({ action: 'draft-save', context })
    if (limited) return tooManyRequests(limited)
    const saved = await saveDraft({ userId: user.id, key, title, body })
    savedAt = saved.saved ? saved.updatedAt.toISOString() : null
  }
  if (wantsJson) return json({ savedAt })
  return redirect(safeRedirect(formData.get('draftReturnTo')))
}
