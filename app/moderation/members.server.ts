/**
 * A member as moderators see them (/mod/users/:username, decision 032): counts, history, staff
 * notes, and other accounts that share their email domain or an address they used.
 */
import { and, desc, eq, isNull, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db } from '#db/client.server'
import { answers, moderationActions, questions, reports, reviewItems, staffNotes, users } from '#db/schema/index'
import { COMMON_EMAIL_PROVIDERS, emailDomainOf } from './screening.server'

/** The member row's id inside the counting subqueries, qualified so it is not theirs. */
const memberId = sql.raw('"users"."id"')

export async function getMemberModeration({ username }: { username: string }) {
  const [member] = await db
    .select({
      id: users.id,
      username: users.username,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      signupIp: users.signupIp,
      lastPostIp: users.lastPostIp,
      suspendedUntil: users.suspendedUntil,
      suspensionReason: users.suspensionReason,
      silencedUntil: users.silencedUntil,
      silenceReason: users.silenceReason,
      bannedAt: users.bannedAt,
      banReason: users.banReason,
      questionCount: sql<number>`(select count(*)::int from ${questions} q where q.author_id = ${memberId})`,
      answerCount: sql<number>`(select count(*)::int from ${answers} a where a.author_id = ${memberId})`,
      removedCount: sql<number>`(select count(*)::int from ${questions} q where q.author_id = ${memberId} and q.removed_at is not null) + (select count(*)::int from ${answers} a where a.author_id = ${memberId} and a.removed_at is not null)`,
      reportsAgainst: sql<number>`(select count(*)::int from ${reports} r join ${reviewItems} ri on ri.id = r.review_item_id where ri.target_user_id = ${memberId})`,
      upheldAgainst: sql<number>`(select count(*)::int from ${reports} r join ${reviewItems} ri on ri.id = r.review_item_id where ri.target_user_id = ${memberId} and r.status = 'upheld')`,
      reportsFiled: sql<number>`(select count(*)::int from ${reports} r where r.reporter_id = ${memberId})`,
      pendingItems: sql<number>`(select count(*)::int from ${reviewItems} ri where ri.target_user_id = ${memberId} and ri.status = 'pending')`,
    })
    .from(users)
    .where(and(sql`lower(${users.username}) = lower(${username})`, isNull(users.deletedAt)))
  if (!member) return null
  const actor = alias(users, 'actor')
  const author = alias(users, 'author')
  const domain = emailDomainOf(member.email)
  // Shared addresses are evidence; a shared big-provider domain is not.
  const links = [
    member.signupIp ? or(eq(users.signupIp, member.signupIp), eq(users.lastPostIp, member.signupIp)) : undefined,
    member.lastPostIp ? or(eq(users.signupIp, member.lastPostIp), eq(users.lastPostIp, member.lastPostIp)) : undefined,
    domain && !COMMON_EMAIL_PROVIDERS.has(domain) ? sql`lower(split_part(${users.email}, '@', 2)) = ${domain}` : undefined,
  ].filter(Boolean)
  const [history, notes, linked] = await Promise.all([
    db
      .select({ id: moderationActions.id, action: moderationActions.action, reason: moderationActions.reason, reviewItemId: moderationActions.reviewItemId, durationDays: moderationActions.durationDays, moderatorUsername: actor.username, createdAt: moderationActions.createdAt })
      .from(moderationActions)
      .leftJoin(actor, eq(actor.id, moderationActions.moderatorId))
      .where(eq(moderationActions.targetUserId, member.id))
      .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
      .limit(50),
    db
      .select({ id: staffNotes.id, body: staffNotes.body, authorUsername: author.username, createdAt: staffNotes.createdAt })
      .from(staffNotes)
      .innerJoin(author, eq(author.id, staffNotes.authorId))
      .where(eq(staffNotes.userId, member.id))
      .orderBy(desc(staffNotes.createdAt), desc(staffNotes.id))
      .limit(50),
    links.length === 0
      ? Promise.resolve([] as { username: string; createdAt: Date; bannedAt: Date | null; sameDomain: boolean; sameAddress: boolean }[])
      : db
          .select({
            username: users.username,
            createdAt: users.createdAt,
            bannedAt: users.bannedAt,
            sameDomain: sql<boolean>`lower(split_part(${users.email}, '@', 2)) = ${domain}`,
            sameAddress: sql<boolean>`coalesce(${users.signupIp} in (${member.signupIp ?? null}::inet, ${member.lastPostIp ?? null}::inet) or ${users.lastPostIp} in (${member.signupIp ?? null}::inet, ${member.lastPostIp ?? null}::inet), false)`,
          })
          .from(users)
          .where(and(ne(users.id, member.id), isNull(users.deletedAt), or(...links)))
          .orderBy(desc(users.createdAt))
          .limit(50),
  ])
  return { member, history, notes, linked }
}

export async function addStaffNote({ userId, authorId, body }: { userId: number; authorId: number; body: string }) {
  await db.insert(staffNotes).values({ userId, authorId, body })
}
