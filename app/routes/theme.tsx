import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { updateTheme } from '~/accounts/profile.server'
import { ThemeSchema } from '~/accounts/settings-forms.server'
import { getUser, safeRedirect } from '~/platform/auth/auth.server'
import { env } from '~/platform/env.server'
import { formState } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { invariantResponse } from '~/platform/misc'
import { readFormData } from '~/platform/request-input.server'
import { THEME_LABELS, THEMES, themeCookie, themeFromCookie } from '~/platform/theme'
import { FieldErrors } from '~/ui/field'

// The colour scheme, chosen from the header's Theme menu or on this page; both post here. A
// member's choice is kept on their account (so it follows them to other devices), a visitor's in a
// cookie. Then back to the page the choice was made on.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = getUser(context)
  return json({ theme: user ? user.theme : themeFromCookie(request.headers.get('Cookie')), signedIn: !!user })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = getUser(context)
  const submission = parseForm(await readFormData(request), ThemeSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const { theme, redirectTo } = submission.value
  const to = safeRedirect(redirectTo, '/theme')
  if (user) {
    invariantResponse(await updateTheme({ userId: user.id, theme }), 'Not found')
    return redirect(to)
  }
  return redirect(to, { headers: { 'Set-Cookie': themeCookie(theme, { secure: env.cookieSecure }) } })
}

export default function ThemePage() {
  const { theme, signedIn } = useLoaderData<typeof loader>()
  const form = formState(useActionData<typeof action>()?.result)
  const errors = form.errorsFor('theme')
  return (
    <section className="narrow">
      <h1>Theme</h1>
      <Form method="post" noValidate>
        <fieldset className="field" aria-describedby="theme-hint">
          <legend>Colour scheme</legend>
          <p className="hint" id="theme-hint">
            {signedIn ? 'Kept with your account, on every device you use.' : 'Kept in a cookie on this browser.'} “System” follows your device’s setting.
          </p>
          {THEMES.map((value) => (
            <div className="radio" key={value}>
              <input type="radio" id={`theme-${value}`} name="theme" value={value} defaultChecked={theme === value} />
              <label htmlFor={`theme-${value}`}>{THEME_LABELS[value]}</label>
            </div>
          ))}
          <FieldErrors errors={errors} />
        </fieldset>
        <input type="hidden" name="redirectTo" value="/theme" />
        <button type="submit">Save theme</button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Theme · Parley' }]
