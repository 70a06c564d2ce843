export type SubmissionReply = { error?: Record<string, string[] | null> | null; initialValue?: Record<string, unknown> | null } | undefined

/** Reads a returned submission: errors by field ('' holds the form's own) and what was typed. */
export function formState(result: SubmissionReply) {
  const errors = result?.error ?? {}
  const values = (result?.initialValue ?? {}) as Record<string, string | undefined>
  return {
    errorsFor: (name: string) => errors[name] ?? null,
    formErrors: errors[''] ?? null,
    value: (name: string, fallback = '') => (typeof values[name] === 'string' ? (values[name] as string) : fallback),
  }
}

/** For a page with several forms: the reply belongs to this form only if it answers its intent. */
export function formStateFor(actionData: unknown, intent: string) {
  const data = actionData as { intent?: string; result?: SubmissionReply } | undefined
  return formState(data?.intent === intent ? data.result : undefined)
}
