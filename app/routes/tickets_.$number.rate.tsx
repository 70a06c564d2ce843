import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { formState } from '~/platform/form-state'
import { RATING_OPTIONS } from '~/tickets/constants'
import { getTicketForRating, rateTicket } from '~/tickets/rating.server'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse, requireId } from '~/platform/misc'
import { RatingSchema } from '~/tickets/forms.server'
import { readFields, pathParams } from '~/platform/request-input.server'

/**
 * The satisfaction survey link from the "solved" mail. The token in the link stands in for a
 * login, so a customer rates in one click from their inbox; it shows nothing but the subject.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  const ticket = await getTicketForRating({ number: requireId(pathParams(params).number), token })
  invariantResponse(ticket, 'This rating link is not valid.')
  return json({ ticket, token })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readFields(request)
  const number = requireId(pathParams(params).number)
  const submission = parseForm(formData, RatingSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const result = await rateTicket({ number, by: { token: String(formData.get('token') ?? '') }, ...submission.value })
  invariantResponse(result.ok || result.reason !== 'not-found', 'This rating link is not valid.')
  if (!result.ok) {
    const message = result.reason === 'already-rated' ? 'This request has already been rated. Thank you!' : 'This request can no longer be rated.'
    return badRequest(submission, { formErrors: [message] })
  }
  return json({ result: undefined, thanks: true })
}

export default function RateTicket() {
  const { ticket, token } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = formState(actionData?.result)
  if (actionData && 'thanks' in actionData) {
    return (
      <section className="narrow">
        <h1>Thank you</h1>
        <p role="status">Your rating of request #{ticket.number} has been recorded.</p>
      </section>
    )
  }
  return (
    <section className="narrow">
      <h1>Rate our help</h1>
      <p>
        Request #{ticket.number}: {ticket.subject}
      </p>
      {ticket.rated ? (
        <p className="notice">This request has already been rated. Thank you!</p>
      ) : ticket.status !== 'solved' ? (
        <p className="notice">This request can no longer be rated.</p>
      ) : (
        <Form method="post" noValidate>
          <FormErrors errors={form.formErrors} />
          <input type="hidden" name="token" value={token} />
          <SelectField
            label="Rating"
            name="score"
            defaultValue={form.value('score')}
            errors={form.errorsFor('score')}
            options={RATING_OPTIONS}
          />
          <Field as="textarea" label="Comment (optional)" name="comment" rows={3} defaultValue={form.value('comment')} errors={form.errorsFor('comment')} />
          <button type="submit">Send rating</button>
        </Form>
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Rate our help · Parley' }]
