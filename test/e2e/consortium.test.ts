/**
 * The consortium workspace in a real browser (headless Chromium, Debian's package): a
 * coordinator signs in by the e-mailed link, opens the gift-basket tender, starts a consortium
 * from the suggestion and invites its members; each member signs in in a browser context of its
 * own and accepts; the coordinator sets the lots and the lead and sees it formed, then the
 * printable summary. axe-core runs on each page. Without a browser the tests are skipped with a
 * note, except in CI (`CI` set), where a missing browser fails the run (see pages.test.ts).
 *
 * The app is served with its public base URL equal to the served origin, as the CSRF check of
 * the forms compares the browser's Origin with it.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionalMail } from "../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../support/app.js";
import {
  findChromium,
  launchChromium,
  text,
  type AxeReport,
  axeSummary,
  checkA11y as checkA11yOf,
  signInByMailedLink,
} from "../support/browser.js";
import { PROJECT_ROOT, freePort } from "../support/process.js";

const CHROMIUM = findChromium();
const IN_CI = Boolean(process.env.CI);
const SCREENSHOTS = join(PROJECT_ROOT, "test-results", "screenshots");
const TENDER_PATH = "/tenders/demo%3Aaarhus-gavekurve-2027";
const MEMBERS = {
  foodies: { email: "foodies@example.org", enterpriseId: "social-foodies" },
  fair: { email: "fair@example.org", enterpriseId: "fair-trade-gruppen" },
  blind: { email: "blind@example.org", enterpriseId: "blindes-arbejde-aarhus" },
} as const;
const COORDINATOR = "coordinator@example.org";

if (!CHROMIUM && !IN_CI) {
  console.warn(
    "no Chromium found (install Debian's chromium or set CHROMIUM_PATH): consortium browser test skipped",
  );
}

describe.skipIf(!CHROMIUM && !IN_CI)("consortium workspace in Chromium", () => {
  const mails: TransactionalMail[] = [];
  let app: TestApp;
  let server: ReturnType<typeof serve>;
  let baseUrl = "";
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeReport: AxeReport = [];

  const checkA11y = (page: Page, name: string) => checkA11yOf(axeReport, page, name);

  /** A new browser context signed in as `email` by the link the app e-mails. */
  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({
      baseURL: baseUrl,
      locale: "en-GB",
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInByMailedLink(page, email, mails);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = await createTestApp({
      demo: true,
      publicBaseUrl: baseUrl,
      sendMail: async (m) => void mails.push(m),
    });
    await app.account("coordinator", {}, COORDINATOR);
    for (const m of Object.values(MEMBERS)) {
      await app.account("enterprise", { enterpriseId: m.enterpriseId }, m.email);
    }
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.app.fetch, hostname: "127.0.0.1", port }, () => resolve(s));
    });
    browser = await launchChromium(CHROMIUM ?? "");
  }, 60_000);

  afterAll(async () => {
    console.info(axeSummary("consortium", axeReport));
    for (const context of contexts) await context.close();
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await app?.close();
  });

  it("forms a consortium from the suggestion: invited, accepted by each member, lead and lots set, formed", async () => {
    const coordinator = await signedIn(COORDINATOR);
    await coordinator.goto(TENDER_PATH);
    expect(await text(coordinator.locator("h1"))).toBe("Gavekurve til medarbejdere");
    await checkA11y(coordinator, "tender (signed in as coordinator)");
    await coordinator
      .getByRole("button", { name: "Start a consortium from this suggestion" })
      .first()
      .click();
    await coordinator.waitForURL(/\/consortia\/[0-9a-f-]{36}$/);
    const workspaceUrl = coordinator.url();
    expect(await text(coordinator.locator("#status-now"))).toBe("Draft");
    expect(await coordinator.locator("table input[type=checkbox]:checked").count()).toBe(3);
    await checkA11y(coordinator, "consortium (draft)");

    // The three members of the suggestion are ticked for invitation.
    for (const name of ["Social Foodies", "Blindes Arbejde Aarhus"]) {
      expect(await coordinator.getByRole("checkbox", { name: new RegExp(`^${name} \\(`) }).isChecked()).toBe(
        true,
      );
    }
    await coordinator.getByRole("button", { name: "Send the invitations" }).click();
    await coordinator.waitForURL(workspaceUrl);
    expect(await text(coordinator.locator("#status-now"))).toBe("Invited");
    expect(await coordinator.locator("td.invitation", { hasText: "Invitation pending" }).count()).toBe(3);

    // A member signs in in another browser, finds the invitation among its consortia and accepts.
    const foodies = await signedIn(MEMBERS.foodies.email);
    await foodies.goto("/consortia");
    expect(await text(foodies.locator("h1"))).toBe("My consortia");
    await checkA11y(foodies, "my consortia (member)");
    await foodies.getByRole("link", { name: /Gavekurve til medarbejdere – consortium/ }).click();
    await foodies.waitForURL(workspaceUrl);
    await checkA11y(foodies, "consortium (invited member)");
    expect(await foodies.getByRole("button", { name: "Form the consortium" }).count()).toBe(0);
    await foodies.getByRole("button", { name: "Accept the invitation" }).click();
    await foodies.getByText("Your enterprise's answer: Accepted.").waitFor();

    for (const member of [MEMBERS.fair, MEMBERS.blind]) {
      const page = await signedIn(member.email);
      await page.goto(workspaceUrl);
      await page.getByRole("button", { name: "Accept the invitation" }).click();
      await page.getByText("Your enterprise's answer: Accepted.").waitFor();
    }

    // The coordinator assigns the lots and the lead, and forms the consortium.
    await coordinator.reload();
    expect(await coordinator.locator("td.invitation", { hasText: "Accepted" }).count()).toBe(3);
    await coordinator.getByRole("checkbox", { name: /^Social Foodies delivers Delaftale 1/ }).check();
    await coordinator.getByRole("button", { name: "Save the lots" }).click();
    await coordinator.waitForURL(workspaceUrl);
    await coordinator
      .getByRole("combobox", { name: "Lead partner" })
      .selectOption({ label: "Social Foodies" });
    await coordinator.getByRole("button", { name: "Set the lead partner" }).click();
    await coordinator.waitForURL(workspaceUrl);
    expect(await text(coordinator.locator("#lead-now"))).toBe("Social Foodies");
    await coordinator.getByRole("button", { name: "Form the consortium" }).click();
    await coordinator.waitForURL(workspaceUrl);
    expect(await text(coordinator.locator("#status-now"))).toBe("Formed");
    expect(await text(coordinator.locator("#history-heading + .table-wrap tbody tr").last())).toContain(
      "invited → formed",
    );
    await checkA11y(coordinator, "consortium (formed)");
    await coordinator.screenshot({ path: join(SCREENSHOTS, "consortium.png"), fullPage: true });

    await coordinator.getByRole("link", { name: "Printable summary" }).click();
    await coordinator.waitForURL(/\/summary$/);
    expect(await text(coordinator.locator("#summary-lead"))).toBe("Social Foodies");
    expect(await text(coordinator.locator("#delivers-heading + .table-wrap"))).toContain(
      "Blindes Arbejde Aarhus",
    );
    await checkA11y(coordinator, "consortium summary");
    await coordinator.screenshot({ path: join(SCREENSHOTS, "consortium-summary.png"), fullPage: true });
    // Printed, the page is the summary alone: no site header or navigation.
    await coordinator.emulateMedia({ media: "print" });
    expect(await coordinator.locator("header.site").isVisible()).toBe(false);
    expect(await coordinator.locator("#delivers-heading").isVisible()).toBe(true);
    await coordinator.emulateMedia({ media: "screen" });
  });
});
