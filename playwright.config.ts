import { defineConfig, devices } from '@playwright/test'

const port = Number(process.env.E2E_PORT ?? 3100)
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 3125)

// Playwright cannot download its own browsers here: it drives Debian's Chromium (CHROMIUM_PATH overrides).
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
}

export default defineConfig({
  testDir: 'tests/e2e',
  // A real SMTP server that the Parley server below mails to; specs read what it received.
  globalSetup: './tests/e2e/mail-receiver.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: 2,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    launchOptions,
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions } },
    // Every page must work as plain HTML forms: the same specs run with JavaScript off. The crawl is
    // left out: it looks for what goes wrong once scripts run, which a browser without them cannot show;
    // so is the layout scan, whose pages are the same HTML and CSS either way, and the live spec: pages
    // update themselves only with scripts.
    { name: 'no-javascript', testIgnore: ['crawl.spec.ts', 'layout.spec.ts', 'live.spec.ts', 'chat-restart.spec.ts'], use: { ...devices['Desktop Chrome'], javaScriptEnabled: false, launchOptions } },
  ],
  webServer: {
    // A fresh embedded database each run; the demo accounts are seeded into it.
    command: `rm -rf data/e2e-${port} data/e2e-${port}-uploads && tsx app/server.ts`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      PGLITE_DIR: `data/e2e-${port}`,
      UPLOAD_DIR: `data/e2e-${port}-uploads`,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
      // Every spec logs in and signs up through the forms from 127.0.0.1, so the per-address limits
      // are raised. The demo accounts are created when this server starts, so they would count as
      // new members (30 s between posts); they get the plain member interval. The other per-account
      // limits stay as shipped.
      RATE_LIMITS: 'login-ip-minute=10000/60,login-ip-hour=100000/3600,signup-ip=10000/3600,post-new-member=1/5',
      // Members who sign up in the specs (all at example.test) do not wait for approval as new members;
      // approval.spec.ts signs up at another domain to meet the queue (decision 031).
      APPROVAL_EXEMPT_EMAIL_DOMAINS: 'example.test',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Parley Support <support@parley.test>',
      // The provider's webhook, for specs that mail in (ticket-promises.spec.ts).
      INBOUND_EMAIL_SECRET: 'e2e-inbound-secret',
      // One JSON line per request would bury the test report; warnings and errors still show.
      LOG_LEVEL: 'warn',
    },
  },
})
