/**
 * robots.txt through the polite fetcher: what a municipality's robots.txt allows is what we fetch,
 * and nothing else ever reaches its server.
 */
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { productToken } from "../../../../crawlers/http/robots.js";
import { crawlError, fetcherHarness, USER_AGENT } from "./support.js";

const SITE = "https://www.kommune.test";
const ROBOTS = `${SITE}/robots.txt`;
const PAGE = "<html><body>Udbudsplan 2026: Rengøring, frugt og grønt</body></html>";

const h = fetcherHarness();
const { server } = h;
const fetcher = h.fetcher;

function robots(text: string) {
  return http.get(ROBOTS, () => HttpResponse.text(text));
}

function pages() {
  return http.get(`${SITE}/*`, () => HttpResponse.html(PAGE));
}

function urls(): string[] {
  return h.log.seen.map((r) => r.url);
}

describe("robots.txt", () => {
  it("refuses a disallowed URL without requesting it, fetches allowed ones, and reads robots.txt once", async () => {
    server.use(robots("User-agent: *\nDisallow: /intern/\n"), pages());
    const polite = fetcher();

    const error = await crawlError(polite.get(`${SITE}/intern/budget`));
    const page = await polite.get(`${SITE}/erhverv/udbud`);

    expect(error).toMatchObject({
      kind: "robots",
      retry: false,
      context: { url: `${SITE}/intern/budget`, attempts: 0 },
    });
    expect(page.text).toContain("Rengøring");
    expect(urls()).toEqual([ROBOTS, `${SITE}/erhverv/udbud`]);
    expect(h.log.seen[0]?.headers.get("user-agent")).toBe(USER_AGENT);
  });

  it("follows the group for jointbid over the one for *", async () => {
    server.use(
      robots("User-agent: *\nDisallow: /\n\nUser-agent: jointbid\nAllow: /udbud/\nDisallow: /\n"),
      pages(),
    );
    const polite = fetcher();

    const allowed = await polite.get(`${SITE}/udbud/plan`);
    const refused = await crawlError(polite.get(`${SITE}/nyheder`));

    expect(allowed.status).toBe(200);
    expect(refused.kind).toBe("robots");
    expect(urls()).toEqual([ROBOTS, `${SITE}/udbud/plan`]);
  });

  it("takes the product token of the User-Agent as the robots.txt agent", () => {
    expect(productToken(USER_AGENT)).toBe("jointbid");
  });

  it("allows everything when robots.txt is 404", async () => {
    server.use(
      http.get(ROBOTS, () => new HttpResponse(null, { status: 404 })),
      pages(),
    );

    const page = await fetcher().get(`${SITE}/udbud/plan`);

    expect(page.status).toBe(200);
    expect(urls()).toEqual([ROBOTS, `${SITE}/udbud/plan`]);
  });

  it("treats the site as disallowed, retryably, when robots.txt answers 503, and never requests the page", async () => {
    server.use(
      http.get(ROBOTS, () => new HttpResponse(null, { status: 503 })),
      pages(),
    );
    const polite = fetcher({ retries: 1 });

    const error = await crawlError(polite.get(`${SITE}/udbud/plan`));
    const again = await crawlError(polite.get(`${SITE}/udbud/andet`));

    expect(error).toMatchObject({
      kind: "robots",
      retry: true,
      context: { url: `${SITE}/udbud/plan`, status: 503 },
    });
    expect(error.message).toContain("could not be read");
    expect(again.kind).toBe("robots");
    // One round of retries for robots.txt, then the verdict is cached.
    expect(urls()).toEqual([ROBOTS, ROBOTS]);
  });

  it("honours a Crawl-delay longer than minDelayMs", async () => {
    server.use(robots("User-agent: jointbid\nCrawl-delay: 10\n"), pages());
    const polite = fetcher();

    await polite.get(`${SITE}/udbud/1`);
    await polite.get(`${SITE}/udbud/2`);

    const starts = h.log.seen.map((r) => r.at);
    // robots.txt → first page and between the pages: the site's 10 s, not the default 2 s.
    expect(h.clock.sleeps).toEqual([10_000, 10_000]);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBe(10_000);
  });

  it("checks every redirect target against its own robots.txt", async () => {
    const OTHER = "https://dokumenter.kommune.test";
    server.use(
      robots("User-agent: *\nAllow: /\n"),
      http.get(
        `${SITE}/plan`,
        () => new HttpResponse(null, { status: 302, headers: { location: `${OTHER}/privat/plan.pdf` } }),
      ),
      http.get(`${OTHER}/robots.txt`, () => HttpResponse.text("User-agent: *\nDisallow: /privat/\n")),
    );

    const error = await crawlError(fetcher().get(`${SITE}/plan`));

    expect(error).toMatchObject({ kind: "robots", context: { url: `${OTHER}/privat/plan.pdf` } });
    expect(urls()).toEqual([ROBOTS, `${SITE}/plan`, `${OTHER}/robots.txt`]);
  });

  it("leaves robots.txt alone with respectRobots: false", async () => {
    server.use(pages());

    await fetcher({ respectRobots: false }).get(`${SITE}/udbud/plan`);

    expect(urls()).toEqual([`${SITE}/udbud/plan`]);
  });
});
