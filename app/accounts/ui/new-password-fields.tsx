import { MIN_PASSWORD_LENGTH } from '~/accounts/rules'
import { Field } from '~/ui/field'

type NewPasswordFieldsProps = {
  /** "Password" on sign-up, "New password" elsewhere; the confirmation is labelled after it. */
  label: 'Password' | 'New password'
  name: string
  form: { errorsFor: (name: string) => string[] | null }
  /** Said after the password rule, e.g. what setting it does to other devices. */
  hintMore?: string
  /** Prefix for the ids, where the page has another form with fields of the same names. */
  idPrefix?: string
}

/** A new password and its confirmation (field confirmPassword), with the rule the server applies. */
export function NewPasswordFields({ label, name, form, hintMore, idPrefix }: NewPasswordFieldsProps) {
  const rule = `At least ${MIN_PASSWORD_LENGTH} characters, and not a common password.`
  return (
    <>
      <Field
        id={idPrefix ? `${idPrefix}-new-password` : undefined}
        label={label}
        name={name}
        type="password"
        autoComplete="new-password"
        hint={hintMore ? `${rule} ${hintMore}` : rule}
        errors={form.errorsFor(name)}
        required
      />
      <Field
        id={idPrefix ? `${idPrefix}-confirm-password` : undefined}
        label={`Confirm ${label.toLowerCase()}`}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        errors={form.errorsFor('confirmPassword')}
        required
      />
    </>
  )
}
