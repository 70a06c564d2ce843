import type { Browser } from "@playwright/test";
import { demo, expect, logIn, test } from "./helpers";
import { ROLES, sitePages, watchBrowser, type Role } from "./site-pages";

// Every page of the site, opened with JavaScript on by every role, as the browser renders and hydrates
// it. A page that works as HTML can still fail once its scripts run (a `.server` import is empty in
// the browser, a hydration mismatch): only a browser with JavaScript shows it. The no-javascript
// project cannot, so playwright.config.ts runs this file in the chromium project only.

async function visitAs(browser: Browser, role: Role) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const problems = watchBrowser(page);
  if (role !== "visitor")
    await logIn(page, demo(role).username, demo(role).password);
  const visits = await sitePages(page, role);

  for (const { path, openFor } of visits) {
    const response = await page.goto(path);
    const status = response!.status();
    if (openFor.includes(role)) {
      expect(status, `${role} opens ${path}`).toBe(200);
      if (path !== "/login")
        expect(
          new URL(page.url()).pathname,
          `${role} is not sent to log in from ${path}`
        ).not.toBe("/login");
    } else
      expect(status, `${role} is turned away from ${path}`).toBeLessThan(500);
    // Remix took the page over: every script it needs has run, or thrown, which the browser reports.
    const hydrated = await page
      .waitForFunction(() => "__remixRouter" in window, undefined, {
        timeout: 10_000,
      })
      .then(
        () => true,
        () => false
      );
    await expect(
      page.getByRole("heading", { level: 1 }).first(),
      `${role} on ${path}`
    ).toBeVisible();
    expect(problems, `what the browser reported as ${role} on ${path}`).toEqual(
      []
    );
    expect(hydrated, `${role} on ${path} is hydrated`).toBe(true);
  }

  // Addresses that answer with a file, data or a redirect rather than a page.
  for (const path of [
    "/notifications/999999999",
    "/settings/export",
    "/search/similar?q=password",
    "/notifications/recent",
    "/avatars/no-such-file.png",
    "/logout",
  ]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), `${role} GET ${path}`).toBeLessThan(500);
  }

  expect(problems, `what the browser reported as ${role}`).toEqual([]);
  await context.close();
}

for (const role of ROLES) {
  test(`as ${role}, every page opens with JavaScript on without an error in the browser or a 5xx`, async ({
    browser,
  }) => {
    // Some 70 pages a role, each waited on until its scripts settle: well over the default minute
    // when the other Playwright worker shares the two cores (as the layout spec allows five).
    test.setTimeout(300_000);
    await visitAs(browser, role);
  });
}
