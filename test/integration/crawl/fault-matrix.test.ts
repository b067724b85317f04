/**
 * Ten municipalities' plan sites, served by msw from saved fixtures, crawled through the real
 * polite fetcher, extractor, field parsers and store. A first crawl reads every plan; then each
 * site but two is switched to one fault. Every fault must end in a recorded error of its kind,
 * with the tenders of that source exactly as they were and every other source unaffected.
 */
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SourceConfig } from "../../../crawlers/source.js";
import { runScheduledCrawl } from "../../../src/jobs/crawl.job.js";
import type { Tender } from "../../../src/domain/tender.js";
import { type CrawlSummary, crawlSources } from "../../../src/services/crawl.service.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";
import { createPlanSites, type Fault, type PlanSite } from "../../mocks/plan-sites.js";

interface Case {
  source: string;
  buyer: string;
  site: PlanSite;
  kind?: "plan-page" | "plan-file";
  fault: Fault;
  /** The error kind the fault must end in; undefined when the crawl must still succeed. */
  error?: string;
}

const CASES: Case[] = [
  {
    source: "dk-aarhus-plan",
    buyer: "dk-0751",
    site: {
      host: "aarhus.example",
      path: "/udbudsplan",
      file: "dk-kommune-table.html",
      contentType: "text/html; charset=utf-8",
    },
    fault: "timeout",
    error: "timeout",
  },
  {
    source: "dk-odense-plan",
    buyer: "dk-0461",
    site: {
      host: "odense.example",
      path: "/udbudsplan",
      file: "dk-forvaltninger-rowspan.html",
      contentType: "text/html",
    },
    fault: "server-error",
    error: "http",
  },
  {
    source: "dk-vejle-plan",
    buyer: "dk-0630",
    site: {
      host: "vejle.example",
      path: "/indkob/udbudsplan",
      file: "dk-accordion-buttons.html",
      contentType: "text/html",
    },
    fault: "too-many-requests",
    error: "http",
  },
  {
    source: "se-malmo-plan",
    buyer: "se-1280",
    site: {
      host: "malmo.example",
      path: "/upphandling/planerade",
      file: "se-kommun-accordion.html",
      contentType: "text/html",
    },
    fault: "malformed-html",
    error: "parse",
  },
  {
    source: "no-bergen-plan",
    buyer: "no-4601",
    site: {
      host: "bergen.example",
      path: "/anskaffelser",
      file: "no-kommune-dl.html",
      contentType: "text/html",
    },
    fault: "no-plan",
    error: "parse",
  },
  {
    source: "gb-council-plan",
    buyer: "gb-org-example-council",
    site: {
      host: "council.example",
      path: "/procurement/forward-plan",
      file: "en-council-table.html",
      contentType: "text/html",
    },
    fault: "too-large",
    error: "too-large",
  },
  {
    source: "dk-aalborg-plan",
    buyer: "dk-0851",
    kind: "plan-file",
    site: {
      host: "aalborg.example",
      path: "/udbudsplan.csv",
      file: "dk-udbudsplan-cp1252.csv",
      contentType: "text/csv",
    },
    fault: "redirect-loop",
    error: "redirect",
  },
  {
    source: "se-lulea-plan",
    buyer: "se-2580",
    kind: "plan-file",
    site: {
      host: "lulea.example",
      path: "/upphandlingsplan.csv",
      file: "se-upphandlingsplan.csv",
      contentType: "text/csv; charset=utf-8",
    },
    fault: "robots-disallow",
    error: "robots",
  },
  {
    source: "dk-kolding-plan",
    buyer: "dk-0621",
    kind: "plan-file",
    site: {
      host: "kolding.example",
      path: "/udbudsplan.xlsx",
      file: "dk-udbudsplan.xlsx",
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      etag: '"plan-v1"',
    },
    fault: "none",
  },
  {
    source: "dk-horsens-plan",
    buyer: "dk-0615",
    site: {
      host: "horsens.example",
      path: "/udbudsplan",
      file: "dk-kommune-table.html",
      contentType: "text/html",
    },
    fault: "wrong-charset",
  },
];

const sources = CASES.map((c) =>
  SourceConfig.parse({
    id: c.source,
    name: c.source,
    kind: c.kind ?? "plan-page",
    url: `https://${c.site.host}${c.site.path}`,
    country: c.buyer.slice(0, 2).toUpperCase(),
    buyer: c.buyer,
  }),
);

const sites = createPlanSites(CASES.map((c) => c.site));
const server = setupServer(...sites.handlers);
const sleeps: number[] = [];
let time = Date.UTC(2026, 10, 22, 4, 41);

let t: TestApp;
let first: CrawlSummary;
let second: CrawlSummary;
const before = new Map<string, Tender[]>();
const firstRequests = new Map<string, string[]>();
const userAgents = new Set<string>();
/** When (by the fetcher's clock) each host was asked something, in order. */
const requestTimes = new Map<string, number[]>();
server.events.on("request:start", ({ request }) => {
  userAgents.add(request.headers.get("user-agent") ?? "(none)");
  const host = new URL(request.url).host;
  requestTimes.set(host, [...(requestTimes.get(host) ?? []), time]);
});

async function tendersOf(sourceId: string): Promise<Tender[]> {
  const all = await t.deps.store.tenders.page(undefined, 1000);
  return all.filter((x) => x.id.startsWith(`${sourceId}:`));
}

const resultOf = (summary: CrawlSummary, source: string) =>
  summary.results.find((r) => r.sourceId === source);

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  t = await createTestApp({
    crawler: {
      scheduled: true,
      userAgent: "jointbid/test (+https://jointbid.example/docs)",
      minDelayMs: 2000,
      sources,
      fetcher: {
        timeoutMs: 150,
        retries: 2,
        backoffBaseMs: 500,
        now: () => time,
        sleep: async (ms) => {
          sleeps.push(ms);
          time += ms;
        },
      },
    },
  });
  await t.deps.store.buyers.upsertMany([
    { id: "no-4601", name: "Bergen kommune", kind: "municipality", country: "NO" },
    { id: "gb-org-example-council", name: "Example Borough Council", kind: "municipality", country: "GB" },
  ]);
  const settings = t.deps.crawler;
  if (!settings) throw new Error("no crawler settings");
  first = await crawlSources(t.deps, settings);
  for (const c of CASES) before.set(c.source, await tendersOf(c.source));
  for (const c of CASES) sites.fault.set(c.site.host, c.fault);
  for (const [host, log] of sites.requests) firstRequests.set(host, [...log]);
  for (const log of sites.requests.values()) log.length = 0;
  sleeps.length = 0;
  second = await crawlSources(t.deps, settings);
}, 60_000);

afterAll(async () => {
  server.close();
  await t.close();
});

describe("the first crawl", () => {
  it("reads every plan: HTML tables, accordions, definition lists, CSV in two encodings and XLSX", () => {
    expect(first.results.map((r) => [r.sourceId, r.status, r.errors])).toEqual(
      CASES.map((c) => [c.source, "ok", []]),
    );
    for (const c of CASES) expect(before.get(c.source)?.length, c.source).toBeGreaterThanOrEqual(3);
  });

  it("files every item under its buyer as a planned tender with its source page", () => {
    const aarhus = before.get("dk-aarhus-plan") ?? [];
    expect(aarhus.every((x) => x.buyer.id === "dk-0751" && x.stage === "planned")).toBe(true);
    expect(aarhus.every((x) => x.sourceUrl === "https://aarhus.example/udbudsplan")).toBe(true);
    expect(aarhus.map((x) => x.title)).toContain("Rengøring af kommunale bygninger");
  });

  it("asks robots.txt first, then the page once, with its User-Agent, pausing between the two", () => {
    for (const c of CASES) {
      expect(firstRequests.get(c.site.host), c.site.host).toEqual(["GET /robots.txt", `GET ${c.site.path}`]);
    }
    expect([...userAgents]).toEqual(["jointbid/test (+https://jointbid.example/docs)"]);
    for (const c of CASES) {
      const [robots, page] = requestTimes.get(c.site.host) ?? [];
      expect(page !== undefined && robots !== undefined && page - robots >= 2000, c.site.host).toBe(true);
    }
  });
});

describe("the second crawl, with a fault at every site but two", () => {
  it.each(CASES.filter((c) => c.error))("$fault at $site.host ends in a recorded $error error", async (c) => {
    const result = resultOf(second, c.source);
    expect(result?.status).toBe("failed");
    expect(result?.errors).toHaveLength(1);
    expect(result?.errors[0]?.kind).toBe(c.error);
    expect(result?.errors[0]?.message.length).toBeGreaterThan(10);
    const runs = await t.deps.store.sources.runs(c.source);
    expect(runs.map((r) => r.status)).toEqual(["failed", "ok"]);
    expect(runs[0]?.errors[0]?.kind).toBe(c.error);
  });

  it.each(CASES.filter((c) => c.error))("$fault at $site.host loses or half-writes nothing", async (c) => {
    expect(await tendersOf(c.source)).toEqual(before.get(c.source));
  });

  it("leaves the other sources unaffected: the unchanged spreadsheet is not modified (conditional GET)", async () => {
    expect(resultOf(second, "dk-kolding-plan")?.status).toBe("not-modified");
    expect(await tendersOf("dk-kolding-plan")).toEqual(before.get("dk-kolding-plan"));
  });

  it("reads a Latin-1 page that claims to be UTF-8 as the same plan, with its letters right", async () => {
    const result = resultOf(second, "dk-horsens-plan");
    expect(result?.status).toBe("ok");
    expect(result?.counts).toMatchObject({ new: 0, changed: 0, withdrawn: 0 });
    expect((await tendersOf("dk-horsens-plan")).map((x) => x.title)).toContain(
      "Rengøring af kommunale bygninger",
    );
  });

  it("honours Retry-After and never requests a page robots.txt disallows", () => {
    expect(sleeps.some((ms) => ms >= 3000)).toBe(true);
    expect(sites.requests.get("lulea.example")).toEqual(["GET /robots.txt"]);
    expect(
      (sites.requests.get("vejle.example") ?? []).filter((r) => r === "GET /indkob/udbudsplan"),
    ).toHaveLength(3);
    expect((sites.requests.get("odense.example") ?? []).filter((r) => r === "GET /udbudsplan")).toHaveLength(
      3,
    );
  });

  it("does not retry a redirect loop and stops it within five redirects", () => {
    const aalborg = sites.requests.get("aalborg.example") ?? [];
    expect(aalborg.length).toBeLessThanOrEqual(1 + 6);
  });

  it("shows each source's last run and its error at GET /api/sources", async () => {
    const admin = await t.account("admin");
    const res = await t.request("GET", "/api/sources", { token: admin.token });
    const { items } = await body<{
      items: { id: string; lastRun?: { status: string; errors: { kind: string }[] } }[];
    }>(res);
    const byId = new Map(items.map((i) => [i.id, i.lastRun]));
    for (const c of CASES.filter((x) => x.error)) {
      expect(byId.get(c.source)?.errors.map((e) => e.kind)).toEqual([c.error]);
    }
    expect(byId.get("dk-kolding-plan")?.status).toBe("not-modified");
  });
});

describe("the scheduled crawl", () => {
  it("does nothing when crawling is switched off, and asks no site anything", async () => {
    const settings = t.deps.crawler;
    if (!settings) throw new Error("no crawler settings");
    for (const log of sites.requests.values()) log.length = 0;
    const off = await runScheduledCrawl(
      { ...t.deps, crawler: { ...settings, scheduled: false } },
      new Date(time),
    );
    expect(off.skipped).toBe("scheduled crawling is off (CRAWL=off)");
    expect([...sites.requests.values()].flat()).toEqual([]);
  });

  it("visits only the sources that are due", async () => {
    const due = await runScheduledCrawl(t.deps, new Date());
    // Every source ran minutes ago (by the wall clock): none is due for a daily crawl.
    expect(due).toMatchObject({ due: 0 });
  });
});
