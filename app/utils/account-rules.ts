// Shared by the server's checks and the forms' hints; not a .server module, because the browser
// renders the hints too (a .server import is undefined there and breaks hydration).
export const USERNAME_PATTERN = /^[A-Za-z0-9_-]{3,20}$/
export const MIN_PASSWORD_LENGTH = 10
