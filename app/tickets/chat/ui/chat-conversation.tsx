import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { AttachmentList } from '~/uploads/ui/attachment-list'
import { DateTime } from '~/ui/time'
import { chatTopic, TYPING_EVERY_MS, TYPING_TTL_MS } from '../constants'

export type ChatMessageView = {
  id: number
  authorUsername: string
  byAgent: boolean
  bodyHtml: string
  createdAt: string
  attachments: { url: string; kind: 'image' | 'file'; fileName: string; byteSize: number }[]
}

/** Adds messages not seen yet, in id order: a message is shown once, however often it arrives. */
function merge(known: ChatMessageView[], incoming: ChatMessageView[]) {
  const ids = new Set(known.map((m) => m.id))
  const fresh = incoming.filter((m) => !ids.has(m.id))
  return fresh.length === 0 ? known : [...known, ...fresh].sort((a, b) => a.id - b.id)
}

/**
 * The chat's messages, kept live with JavaScript: the page's own EventSource on `chat:<id>` (its
 * Last-Event-ID replays what a reconnect missed), and on every "message" event and every (re)open
 * it fetches the messages after the newest it has, so a message sent while the server restarted
 * still arrives, and once. State and queue events reload the page's data. Without JavaScript the
 * page refreshes itself (the route's <noscript> meta refresh) and this is plain HTML.
 */
export function ChatConversation({ chatId, messages: fromLoader, typingOf, live }: { chatId: number; messages: ChatMessageView[]; typingOf: 'agent' | 'member'; live: boolean }) {
  const [messages, setMessages] = useState(fromLoader)
  const [typingUntil, setTypingUntil] = useState(0)
  const [, setTick] = useState(0)
  const revalidator = useRevalidator()
  const newest = useRef(0)
  newest.current = messages.at(-1)?.id ?? 0
  const listRef = useRef<HTMLOListElement>(null)

  useEffect(() => setMessages((known) => merge(known, fromLoader)), [fromLoader])

  useEffect(() => {
    const list = listRef.current
    if (list) list.lastElementChild?.scrollIntoView?.({ block: 'nearest' })
  }, [messages.length])

  useEffect(() => {
    if (!live) return
    let fetching = false
    let again = false
    const fetchNew = async () => {
      if (fetching) {
        again = true
        return
      }
      fetching = true
      try {
        do {
          again = false
          const response = await fetch(`/support/chat/${chatId}/messages?after=${newest.current}`, { headers: { Accept: 'application/json' } })
          if (!response.ok) break
          const { messages: incoming } = (await response.json()) as { messages: ChatMessageView[] }
          setMessages((known) => merge(known, incoming))
          if (incoming.length > 0) newest.current = Math.max(newest.current, ...incoming.map((m) => m.id))
        } while (again)
      } catch {
        // The server is away; the stream's next open fetches again.
      } finally {
        fetching = false
      }
    }
    const source = new EventSource(`/events?${new URLSearchParams({ topics: chatTopic(chatId) })}`)
    source.onopen = () => void fetchNew()
    source.onmessage = (event: MessageEvent<string>) => {
      const { payload } = JSON.parse(event.data) as { payload: { kind?: string; who?: string } }
      if (payload.kind === 'message') {
        setTypingUntil(0)
        void fetchNew()
      } else if (payload.kind === 'typing') {
        if (payload.who === typingOf) setTypingUntil(Date.now() + TYPING_TTL_MS)
      } else if (payload.kind === 'state' || payload.kind === 'queue') {
        revalidator.revalidate()
      }
    }
    return () => source.close()
    // revalidator changes identity on every render; the stream must not reopen for it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chatId, live, typingOf])

  // Forgets a typing word whose time has run out.
  useEffect(() => {
    if (!typingUntil) return
    const timer = setTimeout(() => setTick((n) => n + 1), Math.max(0, typingUntil - Date.now()) + 50)
    return () => clearTimeout(timer)
  }, [typingUntil])

  // Says "typing" while this reader types in the chat's message box, at most every few seconds.
  useEffect(() => {
    if (!live) return
    let saidAt = 0
    const onInput = (event: Event) => {
      if (!(event.target instanceof HTMLTextAreaElement) || event.target.name !== 'body') return
      if (Date.now() - saidAt < TYPING_EVERY_MS) return
      saidAt = Date.now()
      void fetch(`/support/chat/${chatId}/typing`, { method: 'POST', body: new URLSearchParams({}) }).catch(() => {})
    }
    document.addEventListener('input', onInput)
    return () => document.removeEventListener('input', onInput)
  }, [chatId, live])

  const typing = typingUntil > Date.now()
  return (
    <section aria-labelledby="chat-messages-title" className="chat-conversation">
      <h2 id="chat-messages-title" className="visually-hidden">
        Messages
      </h2>
      <ol className="chat-messages" ref={listRef} aria-live="polite" aria-relevant="additions">
        {messages.map((m) => (
          <li key={m.id} id={`chat-message-${m.id}`} className={m.byAgent ? 'chat-message chat-message-agent' : 'chat-message chat-message-member'}>
            <p className="chat-message-meta">
              <strong>{m.authorUsername}</strong>
              {m.byAgent ? <span className="badge">Support</span> : null} <DateTime value={m.createdAt} />
            </p>
            {/* Rendered and sanitized once, when it was written (app/platform/markdown.server.ts). */}
            <div className="chat-message-body prose" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
            <AttachmentList attachments={m.attachments} />
          </li>
        ))}
      </ol>
      <p className="chat-typing" role="status">
        {typing ? (typingOf === 'agent' ? 'The agent is typing…' : 'The member is typing…') : ''}
      </p>
    </section>
  )
}
