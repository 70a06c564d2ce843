import { Form } from '@remix-run/react'

/**
 * Watch, mute, or go back to the default, for a thread or a category. One form, the buttons carry
 * the level; the page's action takes intent "watch".
 */
export function WatchControls({ level, what }: { level: 'watching' | 'muted' | null; what: 'thread' | 'category' }) {
  const status =
    level === 'watching'
      ? `You are watching this ${what}: ${what === 'thread' ? 'new answers' : 'new questions'} notify you.`
      : level === 'muted'
        ? `You muted this ${what}: it never notifies you${what === 'thread' ? '' : ' of its threads'}.`
        : null
  return (
    <Form method="post" className="watch-controls inline-form" preventScrollReset>
      <input type="hidden" name="intent" value="watch" />
      {status ? <span>{status}</span> : null}
      {level !== 'watching' ? (
        <button type="submit" name="level" value="watching" className="button-secondary button-small">
          Watch this {what}
        </button>
      ) : (
        <button type="submit" name="level" value="default" className="button-quiet button-small">
          Stop watching
        </button>
      )}
      {level !== 'muted' ? (
        <button type="submit" name="level" value="muted" className="button-quiet button-small">
          Mute this {what}
        </button>
      ) : (
        <button type="submit" name="level" value="default" className="button-quiet button-small">
          Unmute
        </button>
      )}
    </Form>
  )
}
