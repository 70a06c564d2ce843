/** What the notifications page needs of each notification to group it. */
type Groupable = { questionId: number | null; questionTitle: string | null; ticketNumber: number | null; ticketSubject: string | null }

export type NotificationGroup<N> = { key: string; title: string | null; href: string | null; notifications: N[] }

/**
 * Notifications grouped by what they are about: one group per question thread or ticket, in the
 * order of each group's newest notification (the list comes newest first); notifications about
 * neither (a moderation decision about the member, say) each stand alone.
 */
export function groupByThread<N extends Groupable & { id: number }>(list: N[]): NotificationGroup<N>[] {
  const groups = new Map<string, NotificationGroup<N>>()
  for (const n of list) {
    const key = n.questionId !== null ? `question:${n.questionId}` : n.ticketNumber !== null ? `ticket:${n.ticketNumber}` : `single:${n.id}`
    let group = groups.get(key)
    if (!group) {
      group =
        n.questionId !== null
          ? { key, title: n.questionTitle, href: `/questions/${n.questionId}`, notifications: [] }
          : n.ticketNumber !== null
            ? { key, title: `Request #${n.ticketNumber}: ${n.ticketSubject ?? ''}`.trim(), href: `/tickets/${n.ticketNumber}`, notifications: [] }
            : { key, title: null, href: null, notifications: [] }
      groups.set(key, group)
    }
    group.notifications.push(n)
  }
  return [...groups.values()]
}
