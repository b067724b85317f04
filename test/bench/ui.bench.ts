/**
 * Web pages: server render time of the search page on the demo data (in-process `app.request`,
 * the whole middleware stack included), next to the JSON search API for the same query in the
 * same run as a baseline, and the size of the main pages (HTML + the stylesheet). Targets:
 * search page p95 ≤ 50 ms, every page under 100 KB without images.
 *
 * Each case is warmed up first (JIT, the search engine's caches), then timed over RUNS requests
 * one after another; cases alternate in rounds so that a busy machine slows them alike.
 */
import { gzipSync } from "node:zlib";
import { createTestApp } from "../support/app.js";

const WARM_UP = 50;
const RUNS = 300;
const ROUNDS = 3;
const TARGET_P95_MS = 50;
const TARGET_PAGE_BYTES = 100 * 1024;

const HTML = { accept: "text/html", "accept-language": "da" };

const CASES = [
  { name: "search page, q=rengøring", path: "/tenders?q=reng%C3%B8ring", headers: HTML },
  {
    name: "search page, q=rengøring + stage facet",
    path: "/tenders?q=reng%C3%B8ring&stage=planned",
    headers: HTML,
  },
  { name: "search page, everything", path: "/tenders", headers: HTML },
  { name: "JSON API, q=rengøring (baseline)", path: "/api/tenders?q=reng%C3%B8ring", headers: {} },
  {
    name: "JSON API, q=rengøring + stage (baseline)",
    path: "/api/tenders?q=reng%C3%B8ring&stage=planned",
    headers: {},
  },
  { name: "tender page with matching", path: "/tenders/demo%3Aaarhus-gavekurve-2027", headers: HTML },
] as const;

const PAGES = [
  "/tenders",
  "/tenders?q=reng%C3%B8ring&stage=planned",
  "/tenders/demo%3Aaarhus-gavekurve-2027",
  "/tenders/demo%3Aaarhus-rengoering-daginstitutioner-2027",
  "/enterprises",
  "/enterprises/social-foodies",
];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const ms = (n: number) => Math.round(n * 100) / 100;

export async function runUiBench(): Promise<object & { table: string }> {
  const t = await createTestApp({ demo: true });
  try {
    const request = async (path: string, headers: Record<string, string>) => {
      const res = await t.app.request(path, { headers });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      return body;
    };

    for (const c of CASES) for (let i = 0; i < WARM_UP; i++) await request(c.path, c.headers);
    const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CASES) {
        const list = samples.get(c.name) ?? [];
        for (let i = 0; i < Math.ceil(RUNS / ROUNDS); i++) {
          const t0 = performance.now();
          await request(c.path, c.headers);
          list.push(performance.now() - t0);
        }
      }
    }
    const timings = CASES.map((c) => {
      const sorted = [...(samples.get(c.name) ?? [])].sort((a, b) => a - b);
      return {
        name: c.name,
        path: c.path,
        runs: sorted.length,
        p50Ms: ms(percentile(sorted, 50)),
        p95Ms: ms(percentile(sorted, 95)),
        maxMs: ms(sorted[sorted.length - 1] ?? 0),
      };
    });

    const cssPath = /href="(\/assets\/app\.[0-9a-f]+\.css)"/.exec(await request("/tenders", HTML))?.[1];
    if (!cssPath) throw new Error("the search page links no stylesheet");
    const css = await request(cssPath, {});
    const cssBytes = Buffer.byteLength(css);
    const sizes = await Promise.all(
      PAGES.map(async (path) => {
        const html = await request(path, HTML);
        const htmlBytes = Buffer.byteLength(html);
        return {
          path,
          htmlBytes,
          cssBytes,
          totalBytes: htmlBytes + cssBytes,
          gzipBytes: gzipSync(html).length + gzipSync(css).length,
        };
      }),
    );

    const searchP95 = Math.max(
      ...timings.filter((x) => x.name.startsWith("search page")).map((x) => x.p95Ms),
    );
    const largest = Math.max(...sizes.map((s) => s.totalBytes));
    const figures = {
      warmUp: WARM_UP,
      timings,
      sizes,
      targets: { searchP95Ms: TARGET_P95_MS, pageBytes: TARGET_PAGE_BYTES },
      searchP95Ms: searchP95,
      largestPageBytes: largest,
      withinTarget: searchP95 <= TARGET_P95_MS && largest < TARGET_PAGE_BYTES,
    };
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const table = [
      `web pages on the demo data (in-process app.request, ${RUNS} requests per case after ${WARM_UP} warm-up)`,
      `  ${"case".padEnd(42)} ${"p50".padStart(9)} ${"p95".padStart(9)} ${"max".padStart(9)}`,
      ...timings.map(
        (x) =>
          `  ${x.name.padEnd(42)} ${`${x.p50Ms} ms`.padStart(9)} ${`${x.p95Ms} ms`.padStart(9)} ${`${x.maxMs} ms`.padStart(9)}`,
      ),
      "",
      `  ${"page".padEnd(58)} ${"HTML".padStart(9)} ${"+ CSS".padStart(9)} ${"gzip".padStart(9)}`,
      ...sizes.map(
        (s) =>
          `  ${s.path.padEnd(58)} ${kb(s.htmlBytes).padStart(9)} ${kb(s.totalBytes).padStart(9)} ${kb(s.gzipBytes).padStart(9)}`,
      ),
      "",
      `  target  search page p95 ≤ ${TARGET_P95_MS} ms: ${searchP95 <= TARGET_P95_MS ? "met" : "MISSED"} (${searchP95} ms); ` +
        `pages < 100 KB: ${largest < TARGET_PAGE_BYTES ? "met" : "MISSED"} (largest ${kb(largest)})`,
    ].join("\n");
    return { ...figures, table };
  } finally {
    await t.close();
  }
}
