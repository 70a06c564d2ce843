import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { verifyEmail } from '~/accounts/account.server'
import { getUser } from '~/platform/auth/auth.server'
import { pathParams } from '~/platform/request-input.server'

/**
 * The link from a verification mail. Opening it is the proof, so the GET uses the token up; it
 * works without logging in, since the mail may be read on another device.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const result = await verifyEmail({ token: pathParams(params).token ?? '' })
  return json({ ...result, loggedIn: getUser(context) !== null })
}

// The token is used up by the first load: loading again would only say so.
export const shouldRevalidate = () => false

export default function VerifyEmail() {
  const data = useLoaderData<typeof loader>()
  const settingsLink = data.loggedIn ? (
    <p>
      <Link to="/settings/account">Go to your email settings</Link>
    </p>
  ) : (
    <p>
      <Link to="/login">Log in</Link> to ask for a new link from your settings.
    </p>
  )
  return (
    <section className="narrow">
      <h1>Confirm your email address</h1>
      {data.status === 'verified' ? (
        <>
          <p className="notice" role="status">
            Thank you: {data.email} is confirmed.
          </p>
          <p>
            <Link to="/">Go to the forum</Link>
          </p>
        </>
      ) : data.status === 'address-changed' ? (
        <>
          <p className="notice" role="status">
            This link was for an address your account no longer uses, so nothing was confirmed. Use the link we mailed to your current address.
          </p>
          {settingsLink}
        </>
      ) : (
        <>
          <p className="notice" role="status">
            This link has expired or was already used. If you have confirmed your address already, there is nothing more to do.
          </p>
          {settingsLink}
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Confirm your email address · Parley' }]
