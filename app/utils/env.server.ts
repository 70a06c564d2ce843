/** Every setting Parley reads from the environment, in one place (the README lists the same). */
// Read at run time: the Remix compiler replaces a literal `process.env.NODE_ENV` with the build's mode.
const runtime = () => process.env

export const env = {
  get isProduction() {
    return runtime().NODE_ENV === 'production'
  },
  /** Secure cookies need HTTPS; on by default in production, COOKIE_SECURE=0/1 overrides. */
  get cookieSecure() {
    const setting = runtime().COOKIE_SECURE
    return setting === undefined ? this.isProduction : setting === '1'
  },
  get port() {
    return Number(process.env.PORT ?? 3000)
  },
  /** Login limits: attempts per IP per minute and per hour, failed attempts per account per 15 minutes. */
  get loginLimits() {
    return {
      perIpPerMinute: Number(process.env.LOGIN_LIMIT_IP_PER_MINUTE ?? 6),
      perIpPerHour: Number(process.env.LOGIN_LIMIT_IP_PER_HOUR ?? 30),
      failuresPerAccount: Number(process.env.LOGIN_LIMIT_ACCOUNT_FAILURES ?? 10),
    }
  },
  /** Whether to take the client address from X-Forwarded-For (only behind a proxy you control). */
  get trustProxy() {
    return process.env.TRUST_PROXY === '1'
  },
}
