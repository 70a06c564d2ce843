import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { Field, FormErrors, SelectField } from '~/ui/field'
import { formStateFor } from '~/platform/form-state'
import { badRequest, parseForm } from '~/platform/forms.server'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { DeleteWatchedWordSchema, WatchedWordSchema } from '~/moderation/spam-forms.server'
import { deleteWatchedWord, listWatchedWords, saveWatchedWord } from '~/moderation/watched-words.server'
import { WATCHED_WORD_ACTION_LABELS, type WatchedWordAction } from '~/moderation/watched-words'
import { readFormData } from '~/platform/request-input.server'
import { DataTable, RowActionForm } from '~/ui/data-table'
import { DateTime } from '~/ui/time'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:spam:any')
  return json({ words: await listWatchedWords() })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireUserWithPermission(request, context, 'manage:spam:any')
  const formData = await readFormData(request)
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'add') {
    const submission = parseForm(formData, WatchedWordSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    const word = await saveWatchedWord({ ...submission.value, adminId: admin.id })
    return redirect(`/admin/watched-words?saved=${encodeURIComponent(word)}`)
  }
  if (intent === 'delete') {
    const submission = parseForm(formData, DeleteWatchedWordSchema)
    if (submission.status !== 'success') return badRequest(submission, undefined, { intent })
    const word = await deleteWatchedWord({ id: submission.value.id })
    return redirect(word ? `/admin/watched-words?deleted=${encodeURIComponent(word)}` : '/admin/watched-words')
  }
  throw json({ message: 'Unknown action.' }, { status: 400 })
}

const ACTION_OPTIONS = [{ value: '', label: 'Choose…' }, ...Object.entries(WATCHED_WORD_ACTION_LABELS).map(([value, label]) => ({ value, label }))]

export default function AdminWatchedWords() {
  const { words } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const form = formStateFor(actionData, 'add')
  const saved = searchParams.get('saved')
  const deleted = searchParams.get('deleted')
  return (
    <section>
      <h1>Watched words</h1>
      <p className="lede">
        Words and phrases checked in every question’s title, body and tags and every answer as it is written, and in display names and bios. They match whole words, whatever the case or
        accents (“Viagra”, “víagra” and “ＶＩＡＧＲＡ” are the same word; “class” does not contain “ass”). A word is always taken literally. Censored words are masked in what is
        shown; the text the member typed is kept, so an edit applies the list again.
      </p>
      {saved && !actionData ? (
        <p role="status" className="notice">
          “{saved}” is watched.
        </p>
      ) : null}
      {deleted && !actionData ? (
        <p role="status" className="notice">
          “{deleted}” is no longer watched.
        </p>
      ) : null}
      <Form method="post" noValidate aria-labelledby="add-word-heading">
        <h2 id="add-word-heading">Watch a word</h2>
        <FormErrors errors={form.formErrors} />
        <Field label="Word or phrase" name="word" id="watched-word" maxLength={100} defaultValue={form.value('word')} errors={form.errorsFor('word')} />
        <SelectField label="What it does" name="action" id="watched-action" options={ACTION_OPTIONS} defaultValue={form.value('action')} errors={form.errorsFor('action')} />
        <button type="submit" name="intent" value="add">
          Watch word
        </button>
      </Form>
      <h2 id="words-heading">Watched now</h2>
      {words.length === 0 ? (
        <p className="empty-state">No words are watched yet.</p>
      ) : (
        <DataTable
          aria-labelledby="words-heading"
          rows={words}
          rowKey={(w) => w.id}
          columns={[
            { label: 'Word', rowHeader: true, cell: (w) => w.word },
            { label: 'Action', cell: (w) => WATCHED_WORD_ACTION_LABELS[w.action as WatchedWordAction].split(':')[0] },
            {
              label: 'Added',
              cell: (w) => (
                <>
                  <DateTime value={w.createdAt} />
                  {w.createdBy ? ` by ${w.createdBy}` : ''}
                </>
              ),
            },
            { label: 'Remove', hidden: true, cell: (w) => <RowActionForm value={w.id} intent="delete" label="Stop watching" accessibleName={`Stop watching “${w.word}”`} /> },
          ]}
        />
      )}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Watched words · Parley' }]
