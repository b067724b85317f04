/**
 * A municipality's tender plan in a real browser (headless Chromium, Debian's package): Aarhus
 * Kommune's buyer account signs in by the e-mailed link, uploads a CSV plan, sees the preview
 * with its rows and the row it cannot read, saves, finds the items on its plan page and opens
 * the insight page with a recommendation for each. axe-core runs on each page. Screenshots go to
 * test-results/screenshots/ (buyer-upload-preview.png, buyer-insight.png). Without a browser the
 * tests are skipped with a note, except in CI (`CI` set), where a missing browser fails the run.
 *
 * The app is served with its public base URL equal to the served origin, as the CSRF check of
 * the forms compares the browser's Origin with it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
const BUYER_EMAIL = "indkob@aarhus.example";

const PLAN_CSV = [
  "Udbudsplan 2026 for Aarhus Kommune;;;;;;",
  "Udbudsnr.;Udbudsnavn;Forvaltning;Forventet udbud;Anslået værdi (kr.);CPV-kode;Reserveret",
  "2026-101;Rengøring af daginstitutioner;Børn og Unge;Q3 2026;ca. 2,5 mio.;90919200;Nej",
  "2026-102;Kantinedrift på rådhuset;Borgmesterens Afdeling;2. halvår 2026;1.200.000;55510000;Ja, § 20",
  "2026-103;Vinduespolering på plejecentre;Sundhed og Omsorg;snart;800.000;;",
  "2026-104;Vedligehold af grønne områder;Teknik og Miljø;Q1 2027;900.000 kr.;77310000;",
  "",
].join("\r\n");
const SAVED = ["Rengøring af daginstitutioner", "Kantinedrift på rådhuset", "Vedligehold af grønne områder"];

if (!CHROMIUM && !IN_CI) {
  console.warn(
    "no Chromium found (install Debian's chromium or set CHROMIUM_PATH): buyer browser test skipped",
  );
}

describe.skipIf(!CHROMIUM && !IN_CI)("a municipality's tender plan in Chromium", () => {
  const mails: TransactionalMail[] = [];
  let app: TestApp;
  let server: ReturnType<typeof serve>;
  let baseUrl = "";
  let browser: Browser;
  let context: BrowserContext | undefined;
  let dir = "";
  const axeReport: AxeReport = [];

  const checkA11y = (page: Page, name: string) => checkA11yOf(axeReport, page, name);

  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** A new browser context signed in as `email` by the link the app e-mails. */
  async function signedIn(email: string): Promise<Page> {
    context = await browser.newContext({
      baseURL: baseUrl,
      locale: "en-GB",
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInByMailedLink(page, email, mails);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "jointbid-plan-"));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    app = await createTestApp({
      demo: true,
      publicBaseUrl: baseUrl,
      sendMail: async (m) => void mails.push(m),
    });
    await app.account("buyer", { buyerId: "dk-0751" }, BUYER_EMAIL);
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.app.fetch, hostname: "127.0.0.1", port }, () => resolve(s));
    });
    browser = await launchChromium(CHROMIUM ?? "");
  }, 60_000);

  afterAll(async () => {
    console.info(axeSummary("buyer", axeReport));
    await context?.close();
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("uploads a CSV plan, previews and saves it, sees the items and the insight page", async () => {
    const file = join(dir, "udbudsplan-2026.csv");
    writeFileSync(file, PLAN_CSV, "utf8");
    const page = await signedIn(BUYER_EMAIL);

    await page.goto("/buyer/plan/upload");
    expect(await text(page.locator("h1"))).toBe("Upload a plan");
    await checkA11y(page, "plan upload");
    await page.getByLabel("Plan file").setInputFiles(file);
    await page.getByRole("button", { name: "Show preview" }).click();
    await page.waitForURL("**/buyer/plan/upload");
    expect(await text(page.locator("h1"))).toBe("Preview of the upload");
    const preview = page.locator("main table");
    for (const title of [...SAVED, "Vinduespolering på plejecentre"]) {
      expect(await preview.getByText(title).count(), title).toBeGreaterThan(0);
    }
    await page.getByText("The expected publication “snart” was not understood.").waitFor();
    // The row with the error stands out from the rows that will be saved.
    const rowBackground = (name: string) =>
      preview
        .locator("tr", { hasText: name })
        .locator("td")
        .first()
        .evaluate((cell) => getComputedStyle(cell).backgroundColor);
    const saved = await rowBackground(SAVED[0] ?? "");
    const refused = await rowBackground("Vinduespolering på plejecentre");
    expect(refused).not.toBe(saved);
    expect(refused).toBe("rgb(253, 236, 234)");
    await page.getByText("Nothing is saved yet.").waitFor();
    await checkA11y(page, "plan upload preview");
    await screenshot(page, "buyer-upload-preview");

    await page.getByRole("button", { name: "Save 3 rows" }).click();
    await page.getByText("3 new, 0 changed, 0 unchanged.").waitFor();
    await checkA11y(page, "plan saved");

    await page.goto("/buyer/plan");
    expect(await text(page.locator("h1"))).toBe("My tender plan");
    // The saved rows are the tenders of source plan-dk-0751 (the demo data has a namesake of one).
    const fromUpload = page.locator('main a[href^="/tenders/plan-dk-0751%3A"]');
    expect((await fromUpload.allInnerTexts()).sort()).toEqual([...SAVED].sort());
    expect(await page.getByRole("link", { name: "Vinduespolering på plejecentre" }).count()).toBe(0);
    await checkA11y(page, "tender plan");

    await page.getByRole("link", { name: "Insight" }).click();
    await page.waitForURL("**/buyer/insight");
    expect(await text(page.locator("h1"))).toBe("Insight");
    const card = page.locator("li.card", { hasText: "Kantinedrift på rådhuset" });
    expect(await text(card.locator(".recommendation"))).toMatch(/^Recommendation: \S/);
    expect(await page.locator(".recommendation").count()).toBeGreaterThanOrEqual(SAVED.length);
    await checkA11y(page, "insight");
    await screenshot(page, "buyer-insight");
  });
  it("passes axe on the pages the other flows do not visit: sign-in, a bad link, unsubscribe, my opportunities, the plan form and edit page, admin sources", async () => {
    const anonymous = await browser.newContext({ baseURL: baseUrl, locale: "en-GB" });
    const start = await anonymous.newPage();
    await start.goto("/sign-in");
    expect(await text(start.locator("h1"))).not.toBe("");
    await checkA11y(start, "sign-in");
    await start.goto("/sign-in/callback?token=not-a-token-that-was-ever-sent");
    await checkA11y(start, "sign-in link not valid");
    await start.goto("/api/unsubscribe?token=an-unsubscribe-link-token");
    await start.getByRole("button", { name: "Unsubscribe" }).waitFor();
    await checkA11y(start, "unsubscribe");
    await anonymous.close();

    await app.account("enterprise", { enterpriseId: "social-foodies" }, "foodies@example.org");
    const enterprise = await signedIn("foodies@example.org");
    await enterprise.goto("/me/opportunities");
    expect(await enterprise.locator('main a[href^="/tenders/"]').count()).toBeGreaterThan(0);
    await checkA11y(enterprise, "my opportunities");

    const buyer = await signedIn(BUYER_EMAIL);
    await buyer.goto("/buyer/plan/new");
    await checkA11y(buyer, "new planned purchase");
    await buyer.goto("/buyer/plan");
    const edit = await buyer.locator('main a[href$="/edit"]').first().getAttribute("href");
    expect(edit).toMatch(/^\/buyer\/plan\/.+\/edit$/);
    await buyer.goto(edit ?? "");
    await checkA11y(buyer, "edit planned purchase");

    await app.account("admin", {}, "admin@jointbid.example");
    const admin = await signedIn("admin@jointbid.example");
    await admin.goto("/admin/sources");
    expect(await admin.locator('main a[href^="/admin/sources/"]').count()).toBeGreaterThan(0);
    await checkA11y(admin, "admin sources");
    await admin.goto(
      (await admin.locator('main a[href^="/admin/sources/"]').first().getAttribute("href")) ?? "",
    );
    await checkA11y(admin, "admin source runs");
  });
});
