// Shared by the server's checks and the forms' hints; not a .server module, because the browser
// renders the hints too (a .server import is undefined there and breaks hydration).
export const USERNAME_PATTERN = /^[A-Za-z0-9_-]{3,20}$/
export const MIN_PASSWORD_LENGTH = 10
/** The profile form's limits: the server checks them, the form shows them as maxlength and hints. */
export const MAX_DISPLAY_NAME_LENGTH = 50
export const MAX_BIO_LENGTH = 2000
export const MAX_AVATAR_BYTES = 1024 * 1024

/**
 * The name every anonymised account goes by. The space keeps it outside USERNAME_PATTERN, so no one
 * can register it, and the unique index on usernames skips deleted accounts, so all of them share it.
 */
export const DELETED_MEMBER_NAME = 'deleted member'
/** Days between asking for deletion and the anonymisation; logging in within them cancels it. */
export const DELETION_GRACE_DAYS = 30
/** Every form that asks for the current password says this when it is wrong. */
export const WRONG_PASSWORD = 'That is not your current password.'
