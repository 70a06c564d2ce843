import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/platform/auth/auth.server'
import { formState } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { pathParams, readFields } from '~/platform/request-input.server'
import { getChat, rateChat } from '~/tickets/chat/chats.server'
import { chatPath } from '~/tickets/chat/constants'
import { ChatRatingSchema } from '~/tickets/chat/forms.server'
import { RATING_OPTIONS } from '~/tickets/constants'
import { Field, FormErrors, SelectField } from '~/ui/field'

/** The link in the transcript mail: the member rates the chat once, 1 to 5 with a comment. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const data = await getChat({ chatId: requireId(pathParams(params).id), viewer: user })
  invariantResponse(data && data.chat.memberId === user.id, 'This chat does not exist, or it is not yours.')
  const { chat } = data
  return json({ chat: { id: chat.id, state: chat.state, rated: chat.rating !== null } })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const chatId = requireId(pathParams(params).id)
  const submission = parseForm(await readFields(request), ChatRatingSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const result = await rateChat({ chatId, memberId: user.id, ...submission.value })
  invariantResponse(result.ok || result.reason !== 'not-found', 'This chat does not exist, or it is not yours.')
  if (!result.ok) return badRequest(submission, { formErrors: [result.reason === 'already-rated' ? 'You have already rated this chat. Thank you!' : 'A chat can be rated once it has ended.'] })
  return json({ result: undefined, thanks: true })
}

export default function RateChat() {
  const { chat } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  if (actionData && 'thanks' in actionData) {
    return (
      <section className="narrow">
        <h1>Thank you</h1>
        <p role="status">Your rating of this chat has been recorded.</p>
        <Link to={chatPath(chat.id)}>Back to the chat</Link>
      </section>
    )
  }
  return (
    <section className="narrow">
      <h1>Rate your chat</h1>
      {chat.rated ? (
        <p className="notice">You have already rated this chat. Thank you!</p>
      ) : chat.state !== 'ended' && chat.state !== 'converted' ? (
        <p className="notice">A chat can be rated once it has ended.</p>
      ) : (
        <Form method="post" noValidate>
          <FormErrors errors={form.formErrors} />
          <SelectField label="Rating" name="score" defaultValue={form.value('score')} errors={form.errorsFor('score')} options={RATING_OPTIONS} />
          <Field as="textarea" label="Comment (optional)" name="comment" rows={3} defaultValue={form.value('comment')} errors={form.errorsFor('comment')} />
          <button type="submit" className="button">
            Send rating
          </button>
        </Form>
      )}
      <p>
        <Link to={chatPath(chat.id)}>Back to the chat</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Rate your chat · Parley' }]
