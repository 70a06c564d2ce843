import type { ReactNode } from 'react'

type FieldProps = {
  label: string
  name: string
  errors?: string[] | null
  hint?: ReactNode
  children?: never
} & (
  | ({ as?: 'input' } & React.InputHTMLAttributes<HTMLInputElement>)
  | ({ as: 'textarea' } & React.TextareaHTMLAttributes<HTMLTextAreaElement>)
)

/** A labelled control with its hint and errors tied to it for screen readers. */
export function Field({ label, name, errors, hint, as = 'input', ...props }: FieldProps) {
  const id = (props.id as string | undefined) ?? `field-${name}`
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined
  const shared = { id, name, 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': describedBy }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {as === 'textarea' ? (
        <textarea {...(props as React.TextareaHTMLAttributes<HTMLTextAreaElement>)} {...shared} />
      ) : (
        <input {...(props as React.InputHTMLAttributes<HTMLInputElement>)} {...shared} />
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  )
}

export function FieldErrors({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors?.length) return null
  return (
    <ul className="field-errors" id={id}>
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  )
}

/** Errors that belong to no single field (e.g. "wrong username or password"). */
export function FormErrors({ errors }: { errors?: string[] | null }) {
  if (!errors?.length) return null
  return (
    <div role="alert" className="form-errors">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  )
}

type SelectFieldProps = {
  label: string
  name: string
  options: readonly { value: string; label: string }[]
  errors?: string[] | null
  hint?: ReactNode
} & Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'children'>

/** A labelled select, with hint and errors tied to it like Field. */
export function SelectField({ label, name, options, errors, hint, ...props }: SelectFieldProps) {
  const id = props.id ?? `field-${name}`
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <select {...props} id={id} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  )
}
