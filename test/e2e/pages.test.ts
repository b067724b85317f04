/**
 * The web pages in a real browser: headless Chromium (Debian's package) against the demo app
 * served on 127.0.0.1. Without a browser the tests are skipped with a note, except in CI
 * (`CI` set), where a missing browser fails the run. Screenshots of the main pages go to
 * test-results/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AxeViolation,
  type PagesServer,
  a11yViolations,
  findChromium,
  isSerious,
  launchChromium,
  startPagesServer,
  text,
} from "../support/browser.js";
import { PROJECT_ROOT } from "../support/process.js";

const CHROMIUM = findChromium();

/** The visible text of an element (waits for it to be there, as pages are rendered on the server). */
const IN_CI = Boolean(process.env.CI);
const SCREENSHOTS = join(PROJECT_ROOT, "test-results", "screenshots");

if (!CHROMIUM) {
  console.warn(
    IN_CI
      ? "no Chromium found (looked at CHROMIUM_PATH, /usr/bin/chromium): browser tests fail in CI"
      : "no Chromium found (install Debian's chromium or set CHROMIUM_PATH): browser tests skipped",
  );
}

describe("browser", () => {
  it.runIf(IN_CI)("has a Chromium to run the browser tests with (CI)", () => {
    expect(CHROMIUM, "install chromium (apt-get install -y chromium) or set CHROMIUM_PATH").toBeDefined();
  });
});

describe.skipIf(!CHROMIUM)("web pages in Chromium", () => {
  let server: PagesServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Content-Security-Policy reports and page errors seen while the tests ran. */
  const problems: string[] = [];
  const axeReport: { page: string; violations: AxeViolation[] }[] = [];

  async function checkA11y(name: string): Promise<void> {
    const violations = await a11yViolations(page);
    axeReport.push({ page: name, violations });
    const serious = violations.filter(isSerious);
    expect(serious, `${name}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startPagesServer();
    browser = await launchChromium(CHROMIUM ?? "");
    context = await browser.newContext({
      baseURL: server.baseUrl,
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
    await server?.close();
  });

  it("searches for rengøring, narrows by a facet and opens a tender", async () => {
    await page.goto("/");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await text(page.locator("h1"))).toBe("Tenders and planned purchases");
    await checkA11y("search (all)");

    await page.getByLabel("Search words").fill("rengøring");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=reng%C3%B8ring/);
    expect(await text(page.locator("#results-heading"))).toBe("2 tenders for “rengøring”");
    expect(await page.locator("ol.results > li").count()).toBe(2);
    await screenshot("search");

    // The stage facet counts over all matches: one planned, one open.
    const planned = page.getByRole("checkbox", { name: /Planned purchase \(1\)/ });
    await planned.check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/stage=planned/);
    expect(await text(page.locator("#results-heading"))).toBe("1 tender for “rengøring”");
    expect(await page.getByRole("checkbox", { name: /Planned purchase/ }).isChecked()).toBe(true);
    // Counts of the chosen facet keep the other values visible.
    expect(await page.getByRole("checkbox", { name: /Open for bids \(1\)/ }).isChecked()).toBe(false);
    const item = page.locator("ol.results > li").first();
    expect(await text(item)).toContain("Expected: Q2 2027");
    await checkA11y("search (rengøring, planned)");

    await item.getByRole("link").click();
    await page.waitForURL(/\/tenders\/demo%3Aaarhus-rengoering-daginstitutioner-2027/);
    expect(await text(page.locator("h1"))).toMatch(/Rengøring af daginstitutioner/);
    expect(await text(page.locator("#lots-heading"))).toBe("Lots (3)");
    // CPV labels in the page language (English).
    expect(await text(page.locator("ul.codes").first())).toMatch(/9\d{7} .*[Cc]leaning/);
    await checkA11y("tender (rengøring)");
  });

  it("shows the consortium suggestion with its coverage matrix, then in Swedish", async () => {
    await page.goto("/tenders/demo%3Aaarhus-gavekurve-2027");
    expect(await text(page.locator("h1"))).toBe("Gavekurve til medarbejdere");
    expect(await text(page.locator("#match-heading"))).toBe("Who can bid");
    const table = page.locator(".card table").first();
    expect(await table.locator('thead th[scope="col"]').count()).toBe(4);
    expect(await table.locator('tbody th[scope="row"]').count()).toBe(3);
    expect(await text(table.locator("thead"))).toContain("Social Foodies");
    expect(await text(table.locator("thead"))).toContain("Blindes Arbejde Aarhus");
    // Each lot is covered by exactly one member in this suggestion.
    expect(await table.locator("td.covers").count()).toBe(3);
    const firstRow = table.locator("tbody tr").first();
    expect(await text(firstRow.locator("td.covers"))).toContain("15842000");
    await page.getByText(/No member could bid alone for these lots/).waitFor({ state: "visible" });
    await page.getByText("Autumn 2027").first().waitFor({ state: "visible" });
    await checkA11y("tender (gavekurve, consortium)");
    await screenshot("tender-consortium");

    await page.getByRole("link", { name: "Svenska" }).click();
    await page.waitForURL(/lang=sv/);
    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    expect(await text(page.locator("#match-heading"))).toBe("Vem kan lämna anbud");
    await page.getByText("Föreslagna konsortier").waitFor({ state: "visible" });
    await page.getByText("hösten 2027").first().waitFor({ state: "visible" });
    await checkA11y("tender (gavekurve, sv)");
    await screenshot("tender-consortium-sv");

    // The choice is remembered in a cookie: the next page is Swedish without ?lang.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "lang")?.value).toBe("sv");
    await page.getByRole("link", { name: "Upphandlingar" }).first().click();
    expect(await text(page.locator("h1"))).toBe("Upphandlingar och planerade inköp");
    await context.clearCookies();
  });

  it("opens an enterprise profile with its opportunities and no contact data", async () => {
    await page.goto("/tenders/demo%3Aaarhus-gavekurve-2027?lang=en");
    await page
      .locator(".card table thead")
      .getByRole("link", { name: "Social Foodies" })
      .or(page.locator(".card ul").getByRole("link", { name: "Social Foodies" }))
      .first()
      .click();
    await page.waitForURL(/\/enterprises\/social-foodies/);
    expect(await text(page.locator("h1"))).toBe("Social Foodies");
    expect(await text(page.locator("#opportunities-heading"))).toBe("Opportunities");
    expect(await text(page.locator("section", { has: page.locator("#opportunities-heading") }))).toContain(
      "Gavekurve til medarbejdere",
    );
    const mainText = (await page.locator("main").textContent()) ?? "";
    expect(mainText).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    await checkA11y("enterprise profile");
    await screenshot("enterprise");

    await page.goto("/enterprises");
    expect(await text(page.locator("h1"))).toBe("Enterprise directory");
    await page.locator("ol.results > li").first().waitFor({ state: "visible" });
    await checkA11y("enterprise directory");
    await screenshot("enterprises");
    await context.clearCookies();
  });

  it("answers an unknown tender with the 404 page in the layout", async () => {
    const response = await page.goto("/tenders/demo%3Ano-such-tender?lang=en");
    expect(response?.status()).toBe(404);
    expect(await text(page.locator("h1"))).toBe("Page not found");
    await page.locator("header.site").waitFor({ state: "visible" });
    await checkA11y("404");
    await context.clearCookies();
  });

  it("works by keyboard and fits a phone screen", async () => {
    await page.goto("/tenders?lang=en");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("skip");
    await page.keyboard.press("Enter");
    expect(page.url()).toMatch(/#main$/);

    const phone = await browser.newPage({
      baseURL: server.baseUrl,
      viewport: { width: 375, height: 740 },
      locale: "da-DK",
    });
    try {
      await phone.goto("/tenders/demo%3Aaarhus-gavekurve-2027");
      expect(await phone.locator("html").getAttribute("lang")).toBe("da");
      expect(await text(phone.locator("#match-heading"))).toBe("Hvem kan byde");
      const overflow = await phone.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(SCREENSHOTS, "tender-phone-da.png"), fullPage: true });
    } finally {
      await phone.close();
    }
    await context.clearCookies();
  });

  it("loads no inline script and breaks no Content-Security-Policy rule", () => {
    expect(problems).toEqual([]);
  });
});
