/**
 * Browser tests: the demo app served on 127.0.0.1 in-process, driven by playwright-core with the
 * system's Chromium (Debian's `chromium` package; never a downloaded browser), and axe-core
 * run in each page.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Browser, type Locator, type Page, chromium } from "playwright-core";
import { expect } from "vitest";
import { type TestApp, createTestApp } from "./app.js";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium to use: `CHROMIUM_PATH` if set, else the first of the usual places that exists. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true, timeout: 30_000 });
}

export interface PagesServer {
  app: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

/** The demo app served over HTTP on 127.0.0.1 at a free port chosen by the system. */
export async function startPagesServer(): Promise<PagesServer> {
  const app = await createTestApp({ demo: true });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const s = serve({ fetch: app.app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) =>
        resolve({ server: s, port: info.port }),
      );
    },
  );
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/**
 * Runs axe-core in the page (WCAG 2.1 A and AA, and best practices) and returns its violations
 * (`isSerious` picks the serious and critical ones). The script goes in through the DevTools protocol, which the page's
 * Content-Security-Policy (no inline scripts) does not block, so pages are checked as served.
 */
export async function a11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await page.evaluate("typeof window.axe === 'object'");
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    })) as { violations: AxeViolation[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html })),
    }));
  })) as AxeViolation[];
  return violations;
}

export const isSerious = (v: AxeViolation) => v.impact === "serious" || v.impact === "critical";

/** The visible text of an element, with runs of white space as one space. */
export async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, " ").trim();
}

/** What axe found on each page a browser test visited. */
export type AxeReport = { page: string; violations: AxeViolation[] }[];

/** Runs axe on the page, records what it found, and fails on a serious or critical violation. */
export async function checkA11y(report: AxeReport, page: Page, name: string): Promise<void> {
  const violations = await a11yViolations(page);
  report.push({ page: name, violations });
  const serious = violations.filter(isSerious);
  expect(serious, `${name}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** One line per page: the violations axe found, or "none". */
export function axeSummary(title: string, report: AxeReport): string {
  const lines = report.map(
    (r) =>
      `${r.page}: ${r.violations.length ? r.violations.map((v) => `${v.id} (${v.impact})`).join(", ") : "none"}`,
  );
  return `axe violations per page (${title}):\n  ${lines.join("\n  ")}`;
}

/** Signs the page in as `email` through the link the app e-mails (recorded in `mails`). */
export async function signInByMailedLink(
  page: Page,
  email: string,
  mails: readonly { to: string; text: string }[],
): Promise<void> {
  const before = mails.length;
  await page.goto("/sign-in");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("button", { name: "E-mail me a link" }).click();
  await page.getByText("Check your e-mail").first().waitFor();
  let link: string | undefined;
  for (let i = 0; i < 50 && !link; i++) {
    link = mails
      .slice(before)
      .find((m) => m.to === email)
      ?.text.match(/https?:\/\/\S+\/sign-in\/callback\?token=\S+/)?.[0];
    if (!link) await new Promise((r) => setTimeout(r, 20));
  }
  expect(link, `a sign-in link mailed to ${email}`).toBeDefined();
  await page.goto(link ?? "");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}
