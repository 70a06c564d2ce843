import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type LinksFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { FormErrors } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { QuestionForm } from '~/forum/ui/question-form'
import { listCategories } from '~/forum/categories.server'
import { createQuestion } from '~/forum/questions.server'
import { findSimilarQuestions } from '#search/queries.server'
import { questionPath } from '~/platform/misc'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { screenPosting } from '~/moderation/screening.server'
import { screenedForm } from '~/moderation/screening-forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { requireUser } from '~/platform/auth/auth.server'
import { restrictionOf } from '~/platform/auth/permissions'
import { requirePermission, restrictedForm, restrictionNotice } from '~/platform/auth/permissions.server'
import { readQuestionForm } from '~/forum/forms.server'
import { gatePost, type PostGate } from '~/moderation/posting-gate.server'
import { checkFormAttachments, readFormWithAttachments, withAttachmentMarkdown } from '~/uploads/form.server'
import { discardDraft, getDraft } from '~/composer/drafts.server'
import { QUESTION_DRAFT_KEY } from '~/composer/keys'
import { composerLinks } from '~/ui/composer'

import { pageMeta } from '~/platform/seo'

export const links: LinksFunction = composerLinks

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  // A suspended or banned member is told why instead of being shown a form that would be refused.
  const restriction = restrictionNotice(user)
  if (!restriction) requirePermission(user, 'create:question')
  const [categories, draft] = await Promise.all([listCategories(), getDraft({ userId: user.id, key: QUESTION_DRAFT_KEY })])
  return json({ categories, restriction, draft })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const sent = await readFormWithAttachments(request)
  const { formData } = sent
  const restriction = restrictionOf(user)
  if (restriction) return restrictedForm(formData, restriction, { preview: null })
  requirePermission(user, 'create:question')
  if (formData.get('intent') === 'similar') {
    // Without JavaScript: show questions like the title, and give back everything typed so far.
    const title = String(formData.get('title') ?? '').replace(/\u0000/g, '')
    const values = Object.fromEntries([...formData].filter(([, v]) => typeof v === 'string'))
    return json({ result: { initialValue: values }, preview: null, similar: await findSimilarQuestions(title) })
  }
  // The posting gate (decision 031): a watched word refuses the post beside its field; otherwise it
  // says whether the question is published or waits for approval.
  let gate: PostGate | undefined
  const form = await readQuestionForm(formData, async (input) => {
    const verdict = await gatePost({ author: user, kind: 'question', texts: { title: input.title, body: input.bodySource, tags: input.tagNames }, ip: context.clientIp })
    if (verdict.action === 'block') return verdict
    gate = verdict
    return null
  })
  if (form.reply) return form.reply
  const { input } = form
  const attachments = await checkFormAttachments(sent, { preview: null })
  if (!attachments.ok) return attachments.response
  const limited = await rateLimitRefusal({ action: 'post-question', context })
  if (limited) return rateLimitedForm(formData, limited, { preview: null })
  if ((await screenPosting({ userId: user.id, ip: context.clientIp })) === 'block') return screenedForm(formData, { preview: null })
  const uploads = await attachments.save({ ownerId: user.id, private: false })
  const question = await createQuestion({ ...input, bodySource: withAttachmentMarkdown(input.bodySource, uploads), authorId: user.id, gate })
  await discardDraft({ userId: user.id, key: QUESTION_DRAFT_KEY })
  return redirect(questionPath(question))
}

export default function AskQuestion() {
  const { categories, restriction, draft } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  // The form stays for a refused post (the member was restricted while typing), so nothing typed is lost.
  if (restriction && !actionData) {
    return (
      <section>
        <h1>Ask a question</h1>
        <p className="notice notice-moderation" role="status">
          {restriction}
        </p>
      </section>
    )
  }
  return (
    <section>
      <h1>Ask a question</h1>
      <FormErrors errors={formState(actionData?.result).formErrors} />
      <QuestionForm
        categories={categories}
        result={actionData?.result}
        preview={actionData?.preview}
        similar={actionData && 'similar' in actionData ? actionData.similar : null}
        offerSimilar
        withAttachments
        submitLabel="Post your question"
        initial={draft ? { title: draft.title ?? '', body: draft.body, categoryId: null, tags: '' } : undefined}
        draft={{ key: QUESTION_DRAFT_KEY, titleField: 'title', saved: draft }}
      />
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta({ matches, title: 'Ask a question · Parley', description: 'Ask the Parley community and our support team a question: describe the problem, what you tried, and what you expected.', path: '/questions/new' })
