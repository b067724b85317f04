/**
 * An enterprise's account in a real browser (headless Chromium, Debian's package): it signs up by
 * the e-mailed link, registers its enterprise with suggested CPV codes, subscribes to alerts,
 * searches and opens a tender. axe-core checks every page on the way. The app is served on
 * 127.0.0.1 with its public base URL set to that origin, so the CSRF Origin check sees the
 * browser's own origin. Without a browser the tests are skipped, except in CI (`CI` set).
 * Screenshots go to test-results/screenshots/ (register.png, subscriptions.png).
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionalMail } from "../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../support/app.js";
import {
  type AxeViolation,
  a11yViolations,
  findChromium,
  isSerious,
  launchChromium,
  text,
} from "../support/browser.js";
import { PROJECT_ROOT } from "../support/process.js";

const CHROMIUM = findChromium();
const IN_CI = Boolean(process.env.CI);
const SCREENSHOTS = join(PROJECT_ROOT, "test-results", "screenshots");

describe("account in a browser", () => {
  it.runIf(IN_CI)("has a Chromium to run the browser tests with (CI)", () => {
    expect(CHROMIUM, "install chromium (apt-get install -y chromium) or set CHROMIUM_PATH").toBeDefined();
  });
});

describe.skipIf(!CHROMIUM)("an enterprise signs up, registers, subscribes and searches (Chromium)", () => {
  const mails: TransactionalMail[] = [];
  let app: TestApp;
  let server: ReturnType<typeof serve>;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const axeReport: { page: string; violations: AxeViolation[] }[] = [];

  async function checkA11y(name: string): Promise<void> {
    const violations = await a11yViolations(page);
    axeReport.push({ page: name, violations });
    const serious = violations.filter(isSerious);
    expect(serious, `${name}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
  }

  const screenshot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Listen first, so the app's public base URL can be the served origin.
    let handle: (request: Request) => Response | Promise<Response> = () =>
      new Response("starting", { status: 503 });
    const port = await new Promise<number>((resolve) => {
      server = serve(
        { fetch: (request) => handle(request), hostname: "127.0.0.1", port: 0 },
        (info: AddressInfo) => resolve(info.port),
      );
    });
    baseUrl = `http://127.0.0.1:${port}`;
    app = await createTestApp({
      demo: true,
      publicBaseUrl: baseUrl,
      sendMail: async (m) => void mails.push(m),
    });
    handle = (request) => app.app.fetch(request);
    browser = await launchChromium(CHROMIUM ?? "");
    context = await browser.newContext({
      baseURL: baseUrl,
      locale: "en-GB",
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("console", (m) => {
      if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text()))
        problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
  }, 60_000);

  afterAll(async () => {
    const counted = axeReport.map(
      (r) =>
        `${r.page}: ${r.violations.length ? r.violations.map((v) => `${v.id} (${v.impact})`).join(", ") : "none"}`,
    );
    console.info(`axe violations per page:\n  ${counted.join("\n  ")}`);
    await context?.close();
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await app?.close();
  });

  it("signs up by the e-mailed link", async () => {
    await page.goto("/register");
    expect(await text(page.locator("h1"))).toBe("Register my enterprise");
    await checkA11y("register (sign up)");
    await page.getByLabel("E-mail address").fill("rent@example.org");
    await page.getByRole("button", { name: "E-mail me a link" }).click();
    expect(await text(page.locator("h1"))).toBe("Check your e-mail");
    await expect.poll(() => mails.length).toBe(1);
    const link = /https?:\/\/\S+/.exec(mails[0]?.text ?? "")?.[0] ?? "";
    expect(link.startsWith(`${baseUrl}/sign-in/callback?token=`)).toBe(true);

    await page.goto(link);
    await checkA11y("sign-in confirmation");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/register$/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });

  it("registers its enterprise with suggested CPV codes", async () => {
    await page.getByLabel("Name of the enterprise").fill("Rent & Roligt");
    await page.getByLabel("Municipality code").fill("0751");
    await page
      .getByLabel("What does your enterprise do?")
      .fill("We clean offices, schools and kindergartens, and we do window cleaning.");
    await page.getByRole("button", { name: "Suggest codes" }).click();
    const codes = page.locator('input[name="cpv"]');
    await codes.first().waitFor({ state: "visible" });
    expect(await codes.count()).toBeGreaterThanOrEqual(2);
    const offered = await codes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(offered.some((c) => c.startsWith("909"))).toBe(true);
    for (const box of (await codes.all()).slice(0, 2)) await box.check();
    await checkA11y("register (suggested codes)");
    await screenshot("register");
    await page.getByRole("button", { name: "Register", exact: true }).click();
    await page.waitForURL(/\/me\/opportunities$/);
    expect(await text(page.locator("h1"))).toBe("My opportunities");
  });

  it("subscribes, with errors shown next to the fields first", async () => {
    await page
      .getByRole("navigation", { name: "Account" })
      .getByRole("link", { name: "My subscriptions" })
      .click();
    await page.waitForURL(/\/me\/subscriptions$/);
    expect(await text(page.locator("p.empty"))).toBe("You have no subscriptions yet.");
    await checkA11y("subscriptions (empty)");

    await page.getByRole("link", { name: "New subscription" }).click();
    expect(await text(page.locator("h1"))).toBe("New subscription");
    await checkA11y("new subscription");
    await page.getByLabel("CPV codes or prefixes").fill("909, nine");
    await page.getByRole("button", { name: "Subscribe" }).click();
    expect(await text(page.getByRole("alert"))).toBe("Please correct the fields marked below.");
    expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await text(page.locator("#s-cpv-error"))).toMatch(/CPV codes or prefixes of 2 to 8 digits/);
    await checkA11y("new subscription (errors)");

    await page.getByLabel("Name", { exact: true }).fill("Cleaning near Aarhus");
    await page.getByLabel("CPV codes or prefixes").fill("909");
    await page.getByRole("radio", { name: "Tenders my enterprise can bid for" }).check();
    await page.getByRole("checkbox", { name: "Planned purchase" }).check();
    await page.getByRole("checkbox", { name: "Open for bids" }).check();
    await page.getByRole("radio", { name: "A daily digest" }).check();
    await page.getByLabel("Hour of the daily digest").selectOption("8");
    await page.getByRole("button", { name: "Subscribe" }).click();
    expect(await text(page.locator("h1"))).toBe("Cleaning near Aarhus");
    expect(await text(page.getByRole("status"))).toBe("The subscription is saved.");
    const atom = (await page.locator("a.feed-atom").getAttribute("href")) ?? "";
    expect(atom.startsWith(`${baseUrl}/api/feeds/`)).toBe(true);
    await checkA11y("subscription (created)");

    await page.getByRole("link", { name: "All my subscriptions" }).click();
    const row = page.locator("table.subscriptions tbody tr");
    expect(await row.count()).toBe(1);
    expect(await text(row)).toContain("Tenders my enterprise can bid for");
    expect(await text(row)).toContain("Daily at 08:00");
    await checkA11y("subscriptions (one)");
    await screenshot("subscriptions");

    await row.getByRole("button", { name: /^Pause/ }).click();
    expect(await text(page.getByRole("status"))).toBe("The subscription is paused.");
    expect(await text(row)).toContain("Paused");
  });

  it("searches and opens a tender", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tenders" }).click();
    await page.getByLabel("Search words").fill("rengøring");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=reng%C3%B8ring/);
    const first = page.locator("ol.results > li").first();
    const title = await text(first.getByRole("link").first());
    await first.getByRole("link").first().click();
    await page.waitForURL(/\/tenders\//);
    expect(await text(page.locator("h1"))).toBe(title);
    await checkA11y("tender");
  });

  it("loads no inline script and breaks no Content-Security-Policy rule", () => {
    expect(problems).toEqual([]);
  });
});
