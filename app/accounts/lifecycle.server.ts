/**
 * A member's own account: deactivating it, asking for its deletion, getting it back by logging in,
 * and the anonymisation that makes a deletion final once the grace period is over.
 *
 * Anonymising keeps the rows that other people's reading depends on (posts, ticket messages,
 * conflict messages, reports, the audit log) and takes out everything that says who wrote them.
 */
import { and, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import { db, rowsOf, type DbOrTx } from '#db/client.server'
import {
  accountTokens,
  answers,
  mailOutbox,
  notificationPreferences,
  notifications,
  postRevisions,
  questions,
  ticketEvents,
  ticketCallBacks,
  ticketMessages,
  tickets,
  userBlocks,
  users,
  watches,
} from '#db/schema/index'
import { recordAction } from '~/moderation/effects.server'
import { DELETED_MEMBER_NAME, DELETION_GRACE_DAYS, WRONG_PASSWORD } from '~/accounts/rules'
import { deleteAvatarFile } from '~/accounts/avatar.server'
import { formatDateTime } from '~/platform/dates'
import { env } from '~/platform/env.server'
import { queueMail, sendMailQueue } from '~/platform/mail.server'
import { clearAccountHits, pruneRateLimits } from '~/rate-limits/counter.server'
import { touchThread } from '~/forum/thread.server'
import { endAllSessions } from '~/platform/auth/sessions.server'
import { memberWithPassword } from './users.server'
import { discardAllDrafts } from '~/composer/drafts.server'

const DAY_MS = 24 * 60 * 60 * 1000
const GRACE_MS = DELETION_GRACE_DAYS * DAY_MS

/** When a deletion asked for at `requestedAt` becomes final. */
export const deletionFinalAt = (requestedAt: Date) => new Date(requestedAt.getTime() + GRACE_MS)

export type AccountChangeResult =
  | { ok: true }
  | { ok: false; field: 'password' | 'confirmUsername' | ''; message: string }

/**
 * The checks both forms share: the member's current password, and that an admin does not leave
 * the site without one (the admin page refuses self-demotion for the same reason).
 */
async function refusal(tx: DbOrTx, userId: number, password: string): Promise<AccountChangeResult | null> {
  const user = await memberWithPassword({ userId, password, forUpdate: true }, tx)
  if (!user) return { ok: false, field: 'password', message: WRONG_PASSWORD }
  if (user.role === 'admin') {
    const [other] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), ne(users.id, userId), isNull(users.deactivatedAt), isNull(users.deletedAt)))
      .limit(1)
    if (!other) return { ok: false, field: '', message: 'You are the only active admin: make someone else an admin first.' }
  }
  return null
}

/**
 * Hidden and logged out until the member logs in again. The sessions go in the same transaction
 * as the flag (what lucia.invalidateUserSessions would do after it), so no request can slip
 * between the two; authenticate() refuses a deactivated member's session in any case.
 */
export async function deactivateAccount({ userId, password, now = new Date() }: { userId: number; password: string; now?: Date }): Promise<AccountChangeResult> {
  return db.transaction(async (tx) => {
    const refused = await refusal(tx, userId, password)
    if (refused) return refused
    await tx.update(users).set({ deactivatedAt: now }).where(eq(users.id, userId))
    await endAllSessions({ userId }, tx)
    return { ok: true } as const
  })
}

/**
 * Deactivates the account now and deletes it for good after the grace period, unless the member
 * logs in before then. The request is in the audit log and confirmed by mail with the final date.
 */
export async function requestAccountDeletion({
  userId,
  password,
  confirmUsername,
  now = new Date(),
}: {
  userId: number
  password: string
  confirmUsername: string
  now?: Date
}): Promise<AccountChangeResult> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ username: users.username, email: users.email }).from(users).where(eq(users.id, userId))
    if (!user) return { ok: false, field: '', message: 'There is no such account.' } as const
    const refused = await refusal(tx, userId, password)
    if (refused) return refused
    if (confirmUsername.trim().toLowerCase() !== user.username.toLowerCase())
      return { ok: false, field: 'confirmUsername', message: `Type your username, ${user.username}, to confirm.` } as const

    await tx.update(users).set({ deactivatedAt: now, deletionRequestedAt: now }).where(eq(users.id, userId))
    await endAllSessions({ userId }, tx)
    await recordAction(tx, {
      moderatorId: userId,
      action: 'request-deletion',
      target: { kind: 'user', id: userId, userId },
      reason: `The member asked for their account to be deleted; final after ${DELETION_GRACE_DAYS} days.`,
      at: now,
    })
    const finalAt = formatDateTime(deletionFinalAt(now))
    await queueMail(tx, {
      to: user.email,
      subject: `Your Parley account will be deleted on ${finalAt}`,
      text: [
        `Hello ${user.username},`,
        '',
        `You asked us to delete your Parley account. It is deactivated now, and on ${finalAt} it will be deleted for good: your profile and personal data will be removed and your posts will be shown as by "${DELETED_MEMBER_NAME}".`,
        '',
        `Changed your mind? Log in before then and your account will not be deleted: ${env.publicUrl}/login`,
        '',
        'If you did not ask for this, log in now and change your password.',
      ].join('\n'),
    })
    return { ok: true } as const
  })
}

export type Reactivation = { reactivated: boolean; deletionCancelled: boolean }

/**
 * Called after a successful login: a deactivated account is active again, and a deletion still
 * in its grace period is cancelled (and the cancellation is in the audit log).
 */
export async function reactivateOnLogin({ userId, now = new Date() }: { userId: number; now?: Date }): Promise<Reactivation> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ deactivatedAt: users.deactivatedAt, deletionRequestedAt: users.deletionRequestedAt })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .for('update')
    if (!user?.deactivatedAt && !user?.deletionRequestedAt) return { reactivated: false, deletionCancelled: false }
    await tx.update(users).set({ deactivatedAt: null, deletionRequestedAt: null }).where(eq(users.id, userId))
    if (user.deletionRequestedAt) {
      await recordAction(tx, {
        moderatorId: userId,
        action: 'cancel-deletion',
        target: { kind: 'user', id: userId, userId },
        reason: 'The member logged in during the grace period, which cancels the deletion.',
        at: now,
      })
    }
    return { reactivated: true, deletionCancelled: user.deletionRequestedAt !== null }
  })
}

/**
 * The daily job: anonymises every account whose deletion was asked for at least the grace period
 * ago, one transaction per account so that one failure leaves the others done.
 */
export async function anonymiseDueAccounts({ now = new Date() }: { now?: Date } = {}) {
  const cutoff = new Date(now.getTime() - GRACE_MS)
  const due = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNotNull(users.deletionRequestedAt), isNull(users.deletedAt), sql`${users.deletionRequestedAt} <= ${cutoff.toISOString()}::timestamptz`))
    .orderBy(users.id)
    .limit(500)
  let anonymised = 0
  for (const { id } of due) if (await anonymiseAccount({ userId: id, now })) anonymised++
  // Counters of past windows (login attempts from the member's addresses among them) mean nothing
  // once their window is over; a day covers the longest one.
  await pruneRateLimits(new Date(now.getTime() - DAY_MS))
  return anonymised
}

const jsonList = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The member's names where they stand as words of their own (PostgreSQL's regular expressions have
 * lookbehind, so the text around them is left as it was). Case-sensitive: Parley writes names as
 * they are stored, and a member called "help" should not turn every "Help" into "deleted member".
 */
function namePatterns(username: string, displayName: string | null) {
  const word = (name: string) => `(?<![[:alnum:]_])${escapeRegex(name)}(?![[:alnum:]_])`
  const patterns = [word(username)]
  // A one-letter display name would match every "a" in other people's mail.
  if (displayName && displayName.trim().length >= 2) patterns.push(word(displayName.trim()))
  return patterns
}

const scrubbed = (text: SQL, patterns: string[]) => patterns.reduce((acc, p) => sql`regexp_replace(${acc}, ${p}, ${DELETED_MEMBER_NAME}, 'g')`, text)
const mentions = (text: SQL, patterns: string[]) => sql.join(patterns.map((p) => sql`${text} ~ ${p}`), sql` or `)

/**
 * Makes one deletion final. Returns false when there was nothing to do (already anonymised, or
 * the member logged in since the job picked the account).
 */
export async function anonymiseAccount({ userId, now = new Date() }: { userId: number; now?: Date }) {
  const cutoff = new Date(now.getTime() - GRACE_MS)
  const avatar = await db.transaction(async (tx) => {
    const [user] = await tx
      .select({
        username: users.username,
        email: users.email,
        displayName: users.displayName,
        avatarPath: users.avatarPath,
        deletionRequestedAt: users.deletionRequestedAt,
      })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .for('update')
    if (!user?.deletionRequestedAt || user.deletionRequestedAt > cutoff) return false

    const anonymousEmail = `deleted-${userId}@deleted.invalid`
    const patterns = namePatterns(user.username, user.displayName)
    // Every address the member had: the current one, those tokens were mailed to, those they asked from.
    const addressRows = await tx.execute(sql`
      select lower(${user.email}) as address
      union select lower(email) from account_tokens where user_id = ${userId}
      union select lower(requester_email) from tickets where requester_id = ${userId}
    `)
    const addresses = rowsOf<{ address: string }>(addressRows).map((r) => r.address)

    // Threads whose page names the member: touching them drops their cached renders (and
    // reindexes them: search documents carry the asker's name).
    const threads = await tx
      .select({ id: questions.id })
      .from(questions)
      .where(
        or(
          eq(questions.authorId, userId),
          eq(questions.officialMarkedById, userId),
          inArray(questions.id, tx.select({ id: answers.questionId }).from(answers).where(eq(answers.authorId, userId))),
          inArray(questions.id, tx.select({ id: postRevisions.questionId }).from(postRevisions).where(eq(postRevisions.editorId, userId))),
        ),
      )
    await touchThread(
      tx,
      threads.map((t) => t.id),
    )

    // What is theirs alone goes.
    await endAllSessions({ userId }, tx)
    await tx.delete(accountTokens).where(eq(accountTokens.userId, userId))
    await tx.delete(notifications).where(eq(notifications.userId, userId))
    await tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId))
    await tx.delete(watches).where(eq(watches.userId, userId))
    // Unposted drafts are the member's writing: they go with the account.
    await discardAllDrafts({ userId, tx })
    await tx.delete(userBlocks).where(or(eq(userBlocks.blockerId, userId), eq(userBlocks.blockedId, userId)))
    await clearAccountHits({ userId, names: [user.username], addresses }, tx)

    // Mail to them, sent or waiting, goes. Mail to others that names them (notices of their answers,
    // report outcomes about their profile) keeps its text without the name.
    await tx.delete(mailOutbox).where(sql`lower(${mailOutbox.to}) in ${jsonList(addresses)}`)
    await tx
      .update(mailOutbox)
      .set({ subject: scrubbed(sql`${mailOutbox.subject}`, patterns), text: scrubbed(sql`${mailOutbox.text}`, patterns) })
      .where(or(mentions(sql`${mailOutbox.subject}`, patterns), mentions(sql`${mailOutbox.text}`, patterns)))
    for (const table of ['job', 'archive']) {
      const exists = rowsOf<{ found: boolean }>(await tx.execute(sql`select to_regclass(${`pgboss.${table}`}) is not null as found`))[0]?.found
      if (!exists) continue
      const jobs = sql.raw(`pgboss.${table}`)
      await tx.execute(sql`delete from ${jobs} where name = ${sendMailQueue.name} and lower(data->>'to') in ${jsonList(addresses)}`)
      await tx.execute(sql`
        update ${jobs}
        set data = jsonb_set(jsonb_set(data, '{subject}', to_jsonb(${scrubbed(sql`(data->>'subject')`, patterns)})), '{text}', to_jsonb(${scrubbed(sql`(data->>'text')`, patterns)}))
        where name = ${sendMailQueue.name} and (${mentions(sql`(data->>'subject')`, patterns)} or ${mentions(sql`(data->>'text')`, patterns)})
      `)
    }
    // Other members' notifications of what the member did name them.
    await tx
      .update(notifications)
      .set({ text: scrubbed(sql`${notifications.text}`, patterns) })
      .where(and(eq(notifications.actorId, userId), mentions(sql`${notifications.text}`, patterns)))
    // Assignment history names agents by username.
    const isTheirName = (column: typeof ticketEvents.fromValue | typeof ticketEvents.toValue) => and(eq(ticketEvents.kind, 'assignee'), sql`lower(${column}) = lower(${user.username})`)
    await tx.update(ticketEvents).set({ fromValue: DELETED_MEMBER_NAME }).where(isTheirName(ticketEvents.fromValue))
    await tx.update(ticketEvents).set({ toValue: DELETED_MEMBER_NAME }).where(isTheirName(ticketEvents.toValue))

    // Their tickets and messages stay for the support team's history, without their address.
    await tx
      .update(tickets)
      .set({ requesterEmail: anonymousEmail })
      .where(or(eq(tickets.requesterId, userId), sql`lower(${tickets.requesterEmail}) in ${jsonList(addresses)}`))
    await tx
      .update(ticketMessages)
      .set({ authorEmail: anonymousEmail })
      .where(and(isNotNull(ticketMessages.authorEmail), or(eq(ticketMessages.authorId, userId), sql`lower(${ticketMessages.authorEmail}) in ${jsonList(addresses)}`)))

    // A phone number given for a call back is theirs too; the task stays in the ticket's history.
    await tx.update(ticketCallBacks).set({ phone: '' }).where(eq(ticketCallBacks.requestedById, userId))

    await tx
      .update(users)
      .set({
        username: DELETED_MEMBER_NAME,
        // Network addresses kept for screening and linked accounts (decision 032) go with the rest.
        signupIp: null,
        lastPostIp: null,
        email: anonymousEmail,
        // Not an argon2 hash, so no password matches it (and verifyLogin skips deleted accounts).
        passwordHash: '!deleted',
        displayName: null,
        bioSource: '',
        bioHtml: '',
        avatarPath: null,
        emailVerifiedAt: null,
        unreadNotificationCount: 0,
        isPremium: false,
        suspendedUntil: null,
        suspensionReason: null,
        bannedAt: null,
        banReason: null,
        hideActivity: true,
        messagePolicy: 'nobody',
        timeZone: null,
        deletedAt: now,
      })
      .where(eq(users.id, userId))
    await recordAction(tx, {
      moderatorId: null,
      action: 'delete-account',
      target: { kind: 'user', id: userId, userId },
      reason: `Deleted ${DELETION_GRACE_DAYS} days after the member asked: personal data removed, posts kept as by ${DELETED_MEMBER_NAME}.`,
      at: now,
    })
    return { avatarPath: user.avatarPath }
  })
  if (!avatar) return false
  // After the commit: a rolled-back anonymisation must not have lost the picture.
  await deleteAvatarFile(avatar.avatarPath)
  return true
}
