import type { Page } from "@playwright/test";
import { demo, expect } from "./helpers";

// The site's pages, as each role finds them from the seeded demo data: the crawl opens them all
// with JavaScript on, the layout spec checks each at phone and desktop widths in both themes.

export type Role = "visitor" | "member" | "agent" | "moderator" | "admin";
export const ROLES: Role[] = ["visitor", "member", "agent", "moderator", "admin"];
const SIGNED_IN: Role[] = ["member", "agent", "moderator", "admin"];
const STAFF: Role[] = ["agent", "moderator", "admin"];
const SUPPORT: Role[] = ["agent", "admin"];
const MODERATION: Role[] = ["moderator", "admin"];

/** A page and the roles that may open it; the others must get a 4xx page or a redirect, never a 5xx. */
export type Visit = { path: string; openFor: Role[] };

/** Collects everything the browser reports as wrong: script errors, console errors, 5xx answers. */
export function watchBrowser(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (error) =>
    problems.push(`${page.url()}: ${error.message}`)
  );
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // The browser logs every 4xx it is sent; the pages a role may not open answer one on purpose. A
    // 5xx stays an error (and is also caught below, with its address).
    if (
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(
        message.text()
      )
    )
      return;
    problems.push(`${page.url()}: console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500)
      problems.push(`${response.status()} from ${response.url()}`);
  });
  page.on("requestfailed", (request) => {
    // Leaving a page cancels what it still had in flight (the realtime stream, a prefetch).
    if (request.failure()?.errorText !== "net::ERR_ABORTED")
      problems.push(
        `request failed: ${request.url()} (${request.failure()?.errorText})`
      );
  });
  return problems;
}

/** The first address on the page whose path matches, found by following the page's own links. */
export async function firstLink(page: Page, path: string, pattern: RegExp) {
  await page.goto(path);
  const hrefs = await page
    .locator("a[href]")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const found = hrefs.find((href) => pattern.test(href));
  expect(found, `a link matching ${pattern} on ${path}`).toBeTruthy();
  return found!;
}

/** Real addresses from the seeded demo data, found through the pages a visitor sees. */
export async function seededAddresses(page: Page) {
  // The demo question about resetting a password: the member asked it; the moderator and the agent answered.
  const thread = await firstLink(page, "/tags/password", /^\/questions\/\d+/);
  const questionId = Number(thread.match(/^\/questions\/(\d+)/)![1]);
  await page.goto(thread);
  const answerIds = await page
    .locator('article.answer[id^="answer-"]')
    .evaluateAll((articles) =>
      articles.map((a) => Number(a.id.slice("answer-".length)))
    );
  expect(answerIds.length, "answers on the demo thread").toBeGreaterThan(0);
  const category = await firstLink(page, thread, /^\/c\/[a-z-]+$/);
  const tag = await firstLink(page, thread, /^\/tags\/[^/?#]+$/);
  await page.goto(thread);
  // The agent's answer: staff content is never hidden by reports, so the crawl's reports leave the
  // demo thread as other specs (search) expect it.
  const agentAnswer = await page
    .locator('article.answer[id^="answer-"]', { has: page.locator(`a[href="/u/${demo("agent").username}"]`) })
    .first()
    .getAttribute("id");
  expect(agentAnswer, "the agent's answer on the demo thread").toBeTruthy();
  const reportTarget = `answer:${agentAnswer!.slice("answer-".length)}`;
  return { thread, questionId, answerId: answerIds[0], category, tag, reportTarget };
}

/** Files a report as this account, so the moderation queue has an item to open. */
export async function fileReport(page: Page, target: string) {
  const response = await page.goto(`/report?target=${target}`);
  expect(response!.status()).toBe(200);
  await page.locator("#reason-spam").check();
  await page.getByRole("button", { name: "Send report" }).click();
  // Filed once per account: the crawl and the layout spec both file it, in either order.
  await expect(
    page.getByText(/your report was sent to the moderators|You have already reported this/)
  ).toBeVisible();
}

/** Every page the crawl knows, with the roles that may open it, found as `role` (logged in already). */
export async function sitePages(page: Page, role: Role): Promise<Visit[]> {
  const seeded = await seededAddresses(page);

  // Addresses that only some roles can find: a ticket, a queue item, a notification.
  const ticket =
    SUPPORT.includes(role) || role === "member"
      ? await firstLink(page, "/tickets", /^\/tickets\/\d+$/)
      : "/tickets/1001";
  if (MODERATION.includes(role)) await fileReport(page, seeded.reportTarget);
  const queueItem = MODERATION.includes(role)
    ? await firstLink(page, "/mod/queue", /^\/mod\/queue\/\d+$/)
    : "/mod/queue/1";

  return [
    { path: "/", openFor: ROLES },
    { path: "/questions", openFor: ROLES },
    { path: "/questions/new", openFor: SIGNED_IN },
    { path: seeded.thread, openFor: ROLES },
    { path: `/questions/${seeded.questionId}`, openFor: ROLES },
    {
      path: `/questions/${seeded.questionId}/edit`,
      openFor: ["member", "moderator", "admin"],
    },
    {
      path: `/answers/${seeded.answerId}/edit`,
      openFor: ["moderator", "admin"],
    },
    { path: "/questions/999999999", openFor: [] },
    { path: seeded.category, openFor: ROLES },
    { path: "/c/no-such-category", openFor: [] },
    { path: seeded.tag, openFor: ROLES },
    { path: "/search", openFor: ROLES },
    { path: "/search?q=password", openFor: ROLES },
    { path: "/help", openFor: ROLES },
    { path: "/theme", openFor: ROLES },
    { path: "/u/member", openFor: ROLES },
    { path: "/u/agent", openFor: ROLES },
    { path: "/u/no-such-member", openFor: [] },
    {
      path: `/report?target=question:${seeded.questionId}`,
      openFor: ["agent", "moderator", "admin"],
    },
    { path: "/login", openFor: ROLES },
    { path: "/register", openFor: ROLES },
    { path: "/forgot-password", openFor: ROLES },
    { path: "/reset-password/not-a-real-token", openFor: [] },
    { path: "/verify-email/not-a-real-token", openFor: [] },
    { path: "/settings", openFor: SIGNED_IN },
    { path: "/settings/account", openFor: SIGNED_IN },
    { path: "/settings/notifications", openFor: SIGNED_IN },
    { path: "/settings/privacy", openFor: SIGNED_IN },
    { path: "/settings/sessions", openFor: SIGNED_IN },
    { path: "/settings/data", openFor: SIGNED_IN },
    { path: "/notifications", openFor: SIGNED_IN },
    { path: "/me/moderation", openFor: SIGNED_IN },
    { path: "/conflicts/new", openFor: SIGNED_IN },
    { path: "/conflicts/999999999", openFor: [] },
    { path: "/tickets", openFor: SIGNED_IN },
    { path: "/tickets/new", openFor: SIGNED_IN },
    { path: ticket, openFor: ["member", ...SUPPORT] },
    { path: `${ticket}/rate?token=not-a-real-token`, openFor: [] },
    { path: `${ticket}/view?token=not-a-real-token`, openFor: [] },
    { path: "/claim-account/not-a-real-token", openFor: [] },
    { path: "/staff", openFor: STAFF },
    { path: "/staff/sla", openFor: SUPPORT },
    { path: "/staff/unanswered", openFor: SUPPORT },
    { path: "/staff/chats", openFor: SUPPORT },
    { path: "/support/chat", openFor: SIGNED_IN },
    // The demo member's ended chat with the demo agent: the seed's only chat, written when the server
    // starts on its fresh database, so it is the first.
    { path: "/support/chat/1", openFor: ["member", ...SUPPORT] },
    { path: "/support/chat/1/rate", openFor: ["member"] },
    { path: "/support/chat/999999999", openFor: [] },
    { path: "/support/chat/999999999/rate", openFor: [] },
    { path: "/mod/queue", openFor: MODERATION },
    { path: queueItem, openFor: MODERATION },
    { path: "/mod/audit", openFor: MODERATION },
    { path: "/mod/users/member", openFor: MODERATION },
    { path: "/mod/users/no-such-member", openFor: [] },
    { path: "/admin/users", openFor: ["admin"] },
    { path: "/admin/sla", openFor: ["admin"] },
    { path: "/admin/outbox", openFor: ["admin"] },
    { path: "/admin/rate-limits", openFor: ["admin"] },
    { path: "/admin/spam", openFor: ["admin"] },
    { path: "/admin/watched-words", openFor: ["admin"] },
    { path: "/admin/escalations", openFor: ["admin"] },
    { path: "/admin/chat-replies", openFor: ["admin"] },
    { path: "/admin/screening", openFor: ["admin"] },
    { path: "/admin/penalty-templates", openFor: ["admin"] },
    { path: "/no/such/page", openFor: [] },
  ];
}
