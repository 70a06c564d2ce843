/** What moderation pages need in the browser, without the database schema. */
export { MODERATION_ACTION_KINDS, REPORT_REASONS, type ModerationActionKind, type ReportReason } from '#db/enums'
