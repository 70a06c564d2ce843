import { eq, sql } from 'drizzle-orm'
import { db, type DbOrTx } from '#db/client.server'
import { answers, questions, reviewItems } from '#db/schema/index'
import { publishQueuedPost } from '~/forum/publishing.server'
import { renderPost } from '~/notifications/events.server'
import type { DecideResult, Moderator } from './decision'
import { loadTarget, recordAction, setRemoved, tellMembers, targetLabel } from './effects.server'
import { lockPendingItem, resolveItem } from './queue.server'
import { reviewQueueChanged } from './queue-events.server'
import { queuedPostActionRefusal, type QueuedPostAction } from './queued-post-actions'
import { censorPost } from './watched-words.server'

/**
 * The "queued post" item (Discourse's ReviewableQueuedPost, decision 031): a question or answer
 * stored with queued_at set, which only its author and moderators see, until a moderator approves
 * it (published with its original time and every effect of a normal post), edits and approves it,
 * or rejects it with a reason the author reads.
 */

/** Opens the queue item for a post just stored as waiting; in the post's transaction. */
export async function queuePostForApproval(tx: DbOrTx, { kind, id, authorId, reasons, score }: { kind: 'question' | 'answer'; id: number; authorId: number; reasons: string[]; score: number }) {
  await reviewQueueChanged(tx)
  const [item] = await tx
    .insert(reviewItems)
    .values({ kind: 'queued-post', targetKind: kind, targetId: id, targetUserId: authorId, openedById: authorId, score, urgency: 1, statement: reasons.join('\n') })
    .returning({ id: reviewItems.id })
  return item.id
}

/**
 * A watched word's "flag" (and, on an edit or a profile, "require approval"): the post or profile is
 * public and a report item asks moderators to look, merged with any pending report on it (one item
 * per target), with the words as its description.
 */
export async function flagPost(tx: DbOrTx, { kind, id, authorId, flags }: { kind: 'question' | 'answer' | 'user'; id: number; authorId: number; flags: string[] }) {
  if (flags.length === 0) return
  const statement = flags.join('\n')
  await reviewQueueChanged(tx)
  await tx
    .insert(reviewItems)
    .values({ kind: 'report', targetKind: kind, targetId: id, targetUserId: authorId, score: 0, urgency: 1, reasons: ['other'], statement })
    .onConflictDoUpdate({
      target: [reviewItems.targetKind, reviewItems.targetId],
      targetWhere: sql`${reviewItems.kind} = 'report' and ${reviewItems.status} = 'pending'`,
      set: { statement: sql`concat_ws(E'\n', ${reviewItems.statement}, ${statement}::text)`, version: sql`${reviewItems.version} + 1`, updatedAt: new Date() },
    })
}

const outcomeWords: Record<QueuedPostAction, string> = {
  approve: 'it was approved and is now public',
  'edit-approve': 'it was approved with a moderator’s edits and is now public',
  reject: 'it was not approved and will not be published',
}

/**
 * A moderator decides a queued post. `reason` is required to reject (the author reads it) and
 * optional otherwise; `edit` (title for a question, body) applies only with 'edit-approve'.
 */
export async function decideQueuedPost({
  id,
  version,
  moderator,
  action,
  reason,
  edit,
}: {
  id: number
  version: number
  moderator: Moderator
  action: QueuedPostAction
  reason: string
  edit?: { title?: string; body: string } | null
}): Promise<DecideResult> {
  return db.transaction(async (tx) => {
    const locked = await lockPendingItem(tx, id, version, 'queued-post')
    if (locked.error) return locked.error
    const { item } = locked
    const target = await loadTarget(tx, item.targetKind!, item.targetId!)
    const refused = queuedPostActionRefusal(action, { ...item, target }, moderator)
    if (refused) return refused
    if (!target || target.kind === 'user') return { ok: false, reason: 'not-found' } as const
    if (action === 'reject' && reason.trim().length < 5) return { ok: false, reason: 'invalid', message: 'Give the author a reason of at least 5 characters.' } as const
    if (action === 'edit-approve' && !edit?.body.trim()) return { ok: false, reason: 'invalid', message: 'Write the post as it should be published.' } as const

    const now = new Date()
    const common = { moderatorId: moderator.id, target, reviewItemId: id, at: now }
    const why = reason.trim() || outcomeWords[action]
    if (action === 'reject') {
      // Removed, and still marked as never published: it counts for nothing, and the purge wipes it in 30 days.
      await setRemoved(tx, target, why)
      await recordAction(tx, { ...common, action: 'reject', reason: why })
    } else {
      if (action === 'edit-approve' && edit) {
        const { html } = await renderPost(tx, edit.body)
        if (target.kind === 'question') {
          const censored = await censorPost(tx, { html, title: edit.title?.trim() || target.title })
          await tx.update(questions).set({ title: censored.title, bodySource: edit.body, bodyHtml: censored.html }).where(eq(questions.id, target.id))
        } else {
          const censored = await censorPost(tx, { html })
          await tx.update(answers).set({ bodySource: edit.body, bodyHtml: censored.html }).where(eq(answers.id, target.id))
        }
      }
      await publishQueuedPost(tx, { kind: target.kind, id: target.id })
      await recordAction(tx, { ...common, action, reason: why })
    }
    await resolveItem(tx, id, moderator.id, action, why)
    await tellMembers(tx, {
      userIds: [target.userId],
      kind: 'moderation-outcome',
      subject: action === 'reject' ? `A moderator did not approve ${targetLabel(target)}` : `A moderator approved ${targetLabel(target)}`,
      lines: [`A moderator reviewed ${targetLabel(target)}, which was waiting for approval: ${outcomeWords[action]}.`, ...(reason.trim() ? [`Reason: ${reason.trim()}`] : [])],
    })
    return { ok: true } as const
  })
}
