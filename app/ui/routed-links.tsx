import { useNavigate, useSubmit } from '@remix-run/react'
import type { FormEvent, MouseEvent } from 'react'

// Remix's <Link>, <NavLink> and <Form> each resolve their path (and NavLink matches it against the
// location) on every render, which a signed-in page pays for on every request. Parts of the page
// with many links (the site header, an answer list) use plain <a> and <form> instead, and route
// their clicks and submits through Remix once, with one handler on a container. Without
// JavaScript they are ordinary links and forms.

/** Clicks on plain same-site links inside the element become client-side navigations. */
export function useRoutedClicks() {
  const navigate = useNavigate()
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const link = (event.target as HTMLElement).closest('a')
    const href = link?.getAttribute('href')
    if (!link || !href?.startsWith('/') || href.startsWith('//') || link.target || link.hasAttribute('download')) return
    event.preventDefault()
    navigate(href)
  }
}

/** Submits of the plain POST forms inside the element go through Remix (with their button's name and value). */
export function useRoutedSubmits() {
  const submit = useSubmit()
  return (event: FormEvent<HTMLElement>) => {
    const form = event.target as HTMLFormElement
    if (event.defaultPrevented || form.getAttribute('method') !== 'post') return
    event.preventDefault()
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
    submit(submitter ?? form, { method: 'post', preventScrollReset: form.hasAttribute('data-keep-scroll') })
  }
}

/**
 * Of a group of links (a header's), the one the location is at or below, preferring the longest
 * match: at /questions/new only "Ask a question" is current, not "Questions" as well.
 */
export function currentLink(pathname: string, links: { to: string; end?: boolean }[]) {
  let best: string | null = null
  for (const link of links) if (navLinkState(pathname, link.to, link).className && (best === null || link.to.length > best.length)) best = link.to
  return best
}

/**
 * What NavLink would put on a link to `to` at `pathname`: class "active" and aria-current="page"
 * when the location is `to` or (unless `end`) below it, compared case-insensitively as NavLink does.
 */
export function navLinkState(pathname: string, to: string, { end = false, className }: { end?: boolean; className?: string } = {}) {
  const here = pathname.toLowerCase()
  const target = to.toLowerCase()
  const active = here === target || (!end && here.startsWith(target) && here.charAt(target.length) === '/')
  return {
    className: [className, active ? 'active' : null].filter(Boolean).join(' ') || undefined,
    'aria-current': active ? ('page' as const) : undefined,
  }
}
