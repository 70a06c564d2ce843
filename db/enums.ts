/**
 * The values of every database enum, as plain constants: the schema builds its pgEnums from these,
 * and code that runs in the browser (forms, filters, labels) imports them from here, so no drizzle
 * code ships to the browser. Imports nothing.
 */

export const POST_KINDS = ['question', 'answer'] as const
export const REVIEW_ITEM_KINDS = ['report', 'appeal', 'conflict', 'queued-post'] as const
export const REVIEW_ITEM_STATUSES = ['pending', 'resolved'] as const
export const REPORT_REASONS = ['spam', 'harassment', 'inappropriate', 'copyright', 'off-topic', 'other'] as const
export const REPORT_STATUSES = ['open', 'withdrawn', 'upheld', 'dismissed'] as const
export const MODERATION_TARGET_KINDS = ['question', 'answer', 'user'] as const
export const MODERATION_ACTION_KINDS = [
  // Taken on content or members.
  'auto-hide',
  'dismiss',
  'hide',
  'remove',
  'lock',
  'warn',
  'suspend',
  'ban',
  'block',
  // Reversals, by a moderator or by an overturned appeal.
  'unhide',
  'restore',
  'unlock',
  'withdraw-warning',
  'lift-suspension',
  'lift-ban',
  'unblock',
  // Decisions.
  'appeal-upheld',
  'appeal-overturned',
  'conflict-resolved',
  'purge',
  // A queued post (decision 031): published, published after a moderator's edit, or rejected.
  'approve',
  'edit-approve',
  'reject',
  // Volume work (decision 032): silence (cannot post, can log in), a report ignored without a
  // verdict, and "delete spammer" as one decision that removes, bans, screens and resolves.
  'silence',
  'lift-silence',
  'ignore',
  'delete-spammer',
  // A member's own account: the request, its cancellation by logging in, the anonymisation.
  'request-deletion',
  'cancel-deletion',
  'delete-account',
] as const
/** What a watched word does to a post that contains it (decision 031). */
export const WATCHED_WORD_ACTIONS = ['block', 'require-approval', 'flag', 'censor'] as const
/** Screened sign-ups and posts (decision 032): what is matched, and what happens on a match. */
export const SCREENED_KINDS = ['email', 'domain', 'ip'] as const
export const SCREENING_ACTIONS = ['block', 'approve'] as const
/** What a penalty template imposes with its reason. */
export const PENALTY_KINDS = ['none', 'silence', 'suspend'] as const
export const NOTIFICATION_KIND_VALUES = [
  'new-answer',
  'answer-accepted',
  'answer-official',
  'watched-thread',
  'watched-category',
  'mention',
  'ticket-update',
  'moderation-outcome',
  'report-outcome',
  'appeal-decision',
  'ticket-management',
] as const
export const NOTIFICATION_DELIVERIES = ['immediate', 'digest', 'never'] as const
export const WATCH_LEVELS = ['watching', 'muted'] as const
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const
export const TICKET_STATUSES = ['open', 'pending', 'solved', 'closed'] as const
export const TICKET_SOURCES = ['web', 'email', 'thread', 'chat'] as const
/** A live chat's life: waiting for an agent, with one, over (ended, left before anyone took it, or made a ticket). */
export const CHAT_STATES = ['queued', 'active', 'ended', 'abandoned', 'converted'] as const
export const CHAT_EVENT_KINDS = ['started', 'accepted', 'transferred', 'ended', 'abandoned', 'converted', 'rated'] as const
export const TICKET_EVENT_KINDS = [
  'created',
  'status',
  'priority',
  'tier',
  'assignee',
  'escalation-requested',
  'sla-warning',
  'sla-breach',
  'rated',
  'follow-up',
  // Past tier 3: "as a last resort, … our support management team".
  'management',
] as const
export const USER_ROLES = ['member', 'moderator', 'agent', 'admin'] as const
export const MESSAGE_POLICY_VALUES = ['everyone', 'staff', 'nobody'] as const
/** The colour scheme a member chose; 'system' follows the device (prefers-color-scheme). */
export const THEMES = ['system', 'light', 'dark'] as const
export const ACCOUNT_TOKEN_PURPOSES = ['password-reset', 'email-verification'] as const

export type PostKind = (typeof POST_KINDS)[number]
export type ReportReason = (typeof REPORT_REASONS)[number]
export type ModerationActionKind = (typeof MODERATION_ACTION_KINDS)[number]
export type NotificationKind = (typeof NOTIFICATION_KIND_VALUES)[number]
export type NotificationDelivery = (typeof NOTIFICATION_DELIVERIES)[number]
export type WatchLevel = (typeof WATCH_LEVELS)[number]
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]
export type TicketStatus = (typeof TICKET_STATUSES)[number]
export type UserRole = (typeof USER_ROLES)[number]
export type MessagePolicy = (typeof MESSAGE_POLICY_VALUES)[number]
export type Theme = (typeof THEMES)[number]

/** Uploads: images are re-encoded and shown inline; files are served as downloads. */
export const UPLOAD_KINDS = ['image', 'file'] as const
