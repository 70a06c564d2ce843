import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { HTML_ONCE_KEY, type HtmlOnce } from '~/platform/html-once'
import { useActionData, useLoaderData } from '@remix-run/react'
import { formState, type SubmissionReply } from '~/platform/form-state'
import { getThread } from '~/forum/questions.server'
import { performThreadIntent } from '~/forum/thread-actions.server'
import { AnswerForm } from '~/forum/ui/answer-form'
import { AnswerList } from '~/forum/ui/thread-answers'
import { QuestionHeader, QuestionPost, RelatedQuestions } from '~/forum/ui/thread-question'
import { LinkCopiedStatus } from '~/forum/ui/thread-post-parts'
import threadStyles from '~/forum/ui/thread.css'
import { convertThreadToTicket, getTicketNumberForQuestion } from '~/tickets/open.server'
import { ConvertSchema } from '~/tickets/forms.server'
import { ConvertThreadForm } from '~/tickets/ui/convert-thread-form'
import { findRelatedQuestions } from '#search/queries.server'
import { getUser, requireUser } from '~/platform/auth/auth.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { markdownToPlainExcerpt } from '~/platform/markdown.server'
import { invariantResponse, questionPath, requireId, threadPagePath } from '~/platform/misc'
import { can } from '~/platform/auth/permissions'
import { requireUserWithPermission, restrictionNotice } from '~/platform/auth/permissions.server'
import { useOptionalUser } from '~/root'
import { rateLimitedForm } from '~/rate-limits/forms.server'
import { screenPosting } from '~/moderation/screening.server'
import { screenedForm } from '~/moderation/screening-forms.server'
import { rateLimitRefusal } from '~/rate-limits/counter.server'
import { WatchControls } from '~/notifications/ui/watch-controls'
import { setWatch } from '~/notifications/watches.server'
import { WatchSchema } from '~/notifications/forms.server'
import { pathParams } from '~/platform/request-input.server'
import { canonicalThreadRedirect } from '~/platform/page-cache.server'
import { questionVisibleTo, VISITOR } from '~/forum/visibility.server'
import { checkFormAttachments, readFormWithAttachments, withAttachmentMarkdown } from '~/uploads/form.server'
import { useRoutedClicks, useRoutedSubmits } from '~/ui/routed-links'
import { composerLinks } from '~/ui/composer'
import { NewAnswersBar } from '~/forum/ui/new-answers-bar'
import { originOf, pageMeta } from '~/platform/seo'
import { isoDates, pageData } from '~/platform/page-data.server'

/**
 * One page of a thread: `/questions/:id/:slug` is page 1, `/questions/:id/:slug/page/:page` (the
 * route `questions.$id.$slug.page.$page` shares this module) the later ones. Every post body goes
 * under `htmlOnce`, which a document's embedded data leaves out (decision 020).
 */
/** The thread's own styles; the answer box is the composer, with attachments. */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: threadStyles }, ...composerLinks()]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  const { id, page: pageParam } = pathParams(params)
  const page = pageParam === undefined ? 1 : requireId(pageParam)
  const thread = await getThread({ questionId: requireId(id), viewerId: user?.id ?? null, canModerate: can(user, 'moderate:content:any'), page })
  invariantResponse(thread, 'There is no such question. It may have been deleted.')
  invariantResponse(page <= thread.pageCount, 'This thread has no such page.')
  // One address per thread (decision 026). app/server.ts sends a bare id, and any request without a
  // session, there before Remix (the page cache needs the same row); a signed-in request with a slug
  // is checked here, with the thread already loaded, instead of costing one more query on every view.
  if (params.slug !== undefined) {
    const url = new URL(request.url)
    const isPublic = questionVisibleTo(thread.question, VISITOR)
    const canonical = canonicalThreadRedirect(url.pathname + url.search, { id: thread.question.id, title: thread.question.title, isPublic })
    if (canonical) throw redirect(canonical, 301)
  }
  // Page 1 has one address.
  if (pageParam !== undefined && page === 1) throw redirect(questionPath(thread.question), 301)
  // Only the asker and support staff learn that the thread became a private ticket.
  const [ticketNumber, related] = await Promise.all([
    user && (user.id === thread.question.authorId || can(user, 'work:ticket:any')) ? getTicketNumberForQuestion({ questionId: thread.question.id }) : null,
    findRelatedQuestions(thread.question),
  ])
  const { bodyHtml: questionHtml, viewerDraft } = thread.question
  const htmlOnce: HtmlOnce = { q: questionHtml }
  const answers = thread.answers.map((a) => ((htmlOnce[`a${a.id}`] = a.bodyHtml), isoDates(a, 'bodyHtml')))
  const revisions = thread.revisions.map((r) => ((htmlOnce[`r${r.id}`] = r.bodyHtml), isoDates(r, 'bodyHtml')))
  // Plain JSON values (dates as text): a document's render takes this object as it is (pageData).
  return pageData(request, {
    question: { ...isoDates(thread.question, 'bodyHtml'), viewerDraft: viewerDraft && isoDates(viewerDraft) },
    answers,
    revisions,
    page,
    pageCount: thread.pageCount,
    answerTotal: thread.answerTotal,
    ticketNumber,
    related,
    restriction: restrictionNotice(user),
    description: markdownToPlainExcerpt(questionHtml, 160),
    now: new Date().toISOString(),
    [HTML_ONCE_KEY]: htmlOnce,
  })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const questionId = requireId(pathParams(params).id)
  const sent = await readFormWithAttachments(request)
  const { formData } = sent
  const intent = formData.get('intent')

  // Watching is the notifications domain's, converting the tickets domain's: the forum imports neither.
  if (intent === 'watch') {
    const submission = parseForm(formData, WatchSchema)
    invariantResponse(submission.status === 'success', 'Choose watch, mute or neither.', { status: 400 })
    // A thread the member may not see cannot be watched either.
    const thread = await getThread({ questionId, viewerId: user.id, canModerate: can(user, 'moderate:content:any') })
    invariantResponse(thread, 'There is no such question. It may have been deleted.')
    await setWatch({ userId: user.id, target: { questionId }, level: submission.value.level })
    return redirect(questionPath(thread.question))
  }

  if (intent === 'convert-to-ticket') {
    requireUserWithPermission(request, context, 'work:ticket:any')
    const submission = parseForm(formData, ConvertSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    const result = await convertThreadToTicket({ questionId, staffId: user.id, priority: submission.value.priority })
    if (!result.ok) {
      invariantResponse(result.reason === 'already-converted', 'There is no such question. It may have been deleted.')
      return badRequest(submission, { formErrors: [`This thread is already ticket #${result.number}.`] }, { intent, existingTicket: result.number })
    }
    return redirect(`/tickets/${result.number}`)
  }

  // Attached files are checked before anything else happens; stored only once the answer may be posted.
  const attachments = intent === 'answer' ? await checkFormAttachments(sent) : null
  if (attachments && !attachments.ok) return attachments.response
  return performThreadIntent({
    questionId,
    user,
    formData,
    ip: context.clientIp,
    attachToAnswer: attachments?.ok ? async (body) => withAttachmentMarkdown(body, await attachments.save({ ownerId: user.id, private: false })) : undefined,
    limitAnswer: async () => {
      const limited = await rateLimitRefusal({ action: 'post-answer', context })
      if (limited) return rateLimitedForm(formData, limited)
      return (await screenPosting({ userId: user.id, ip: context.clientIp })) === 'block' ? screenedForm(formData) : null
    },
  })
}

export default function Thread() {
  const data = useLoaderData<typeof loader>()
  const { question, revisions, now, ticketNumber, related, restriction, htmlOnce } = data
  // The answer form's errors come back without an intent; the convert form's with one.
  const actionData = useActionData<typeof action>() as { intent?: string; result?: SubmissionReply; existingTicket?: number } | undefined
  const converting = actionData?.intent === 'convert-to-ticket'
  const user = useOptionalUser()
  // Links and vote forms in the thread are plain elements (no per-link path resolution); these route their clicks and submits.
  const routeClicks = useRoutedClicks()
  const routeSubmits = useRoutedSubmits()

  return (
    <article className="thread" aria-labelledby="question-title" onClick={routeClicks} onSubmit={routeSubmits}>
      <QuestionHeader question={question} now={now}>
        {user ? <WatchControls level={question.viewerWatch} what="thread" /> : null}
      </QuestionHeader>
      <QuestionPost question={question} revisions={revisions} now={now} ticketNumber={ticketNumber} user={user} htmlOnce={htmlOnce} />
      {can(user, 'work:ticket:any') && !ticketNumber ? <ConvertThreadForm form={formState(converting ? actionData.result : undefined)} existingTicket={converting ? (actionData.existingTicket ?? null) : null} /> : null}
      <NewAnswersBar questionId={question.id} />
      <AnswerList thread={data} user={user} />
      <RelatedQuestions related={related} />
      <AnswerForm
        question={question}
        signedIn={user !== null}
        restriction={restriction}
        form={formState(converting ? undefined : actionData?.result)}
        preview={converting ? null : ((actionData as { preview?: string | null } | undefined)?.preview ?? null)}
      />
      <LinkCopiedStatus />
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Question not found · Parley' }]
  const origin = originOf(matches)
  const { question } = data
  return pageMeta({
    matches,
    title: data.page > 1 ? `${question.title} (page ${data.page}) · Parley` : `${question.title} · Parley`,
    description: data.description || question.title,
    // Each page is its own address for search engines; page 1 is the thread's.
    path: threadPagePath(question, data.page),
    type: 'article',
    card: true,
    extra: [
      ...(data.page > 1 ? [{ tagName: 'link', rel: 'prev', href: `${origin}${threadPagePath(question, data.page - 1)}` }] : []),
      ...(data.page < data.pageCount ? [{ tagName: 'link', rel: 'next', href: `${origin}${threadPagePath(question, data.page + 1)}` }] : []),
      { property: 'article:published_time', content: question.createdAt },
      ...(question.categoryName ? [{ property: 'article:section', content: question.categoryName }] : []),
      ...question.tagNames.map((tag) => ({ property: 'article:tag', content: tag })),
    ],
  })
}
