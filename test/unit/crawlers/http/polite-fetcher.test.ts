/**
 * The polite fetcher against msw stand-ins of municipal web servers: pacing, retries, timeouts,
 * redirects, size limits, conditional GET, charsets and the JSON-API path. robots.txt has its own
 * file (robots.test.ts); here it is switched off so that request counts are the pages' only.
 */
import { delay, http, HttpResponse } from "msw";
import type { HttpResponseResolver } from "msw";
import { describe, expect, it } from "vitest";
import type { FetchValidators } from "../../../../crawlers/http/polite-fetcher.js";
import { crawlError, fetcherHarness, latin1, lazyBody, USER_AGENT } from "./support.js";
import type { SeenRequest } from "./support.js";

const A = "https://www.aarhus.test";
const B = "https://www.linkoping.test";
const PLAN = "<html><head><title>Udbudsplan</title></head><body>Rengøring af daginstitutioner</body></html>";

const h = fetcherHarness({ respectRobots: false });
const { server } = h;
const fetcher = h.fetcher;

function requestsTo(url: string): SeenRequest[] {
  return h.log.seen.filter((r) => r.url === url);
}

describe("a page", () => {
  it("comes back decoded, with its final URL, media type and one attempt, and says who asked", async () => {
    server.use(
      http.get(`${A}/udbudsplan`, () =>
        HttpResponse.html(PLAN, { headers: { "content-type": "text/html; charset=UTF-8" } }),
      ),
    );

    const page = await fetcher().get(`${A}/udbudsplan`);

    expect(page).toMatchObject({
      url: `${A}/udbudsplan`,
      status: 200,
      notModified: false,
      contentType: "text/html",
      charset: "utf-8",
      attempts: 1,
    });
    expect(page.text).toContain("Rengøring af daginstitutioner");
    expect(requestsTo(`${A}/udbudsplan`)[0]?.headers.get("user-agent")).toBe(USER_AGENT);
  });

  it("reads a Danish ISO-8859-1 page right even when the server claims UTF-8", async () => {
    server.use(
      http.get(
        `${A}/plan-latin1`,
        () => new HttpResponse(latin1(PLAN), { headers: { "content-type": "text/html; charset=utf-8" } }),
      ),
    );

    const page = await fetcher().get(`${A}/plan-latin1`);

    expect(page.charset).toBe("windows-1252");
    expect(page.text).toContain("Rengøring");
  });
  it("refuses a link that is not an http(s) URL without sending anything", async () => {
    const error = await crawlError(fetcher().get("mailto:indkob@aarhus.test"));

    expect(error).toMatchObject({ kind: "network", retry: false, context: { attempts: 0 } });
    expect(h.log.seen).toEqual([]);
  });
});

describe("pacing", () => {
  it("runs requests to one host one at a time, minDelayMs apart, while another host goes ahead", async () => {
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    let inFlightAll = 0;
    let mostAll = 0;
    const slowPage: HttpResponseResolver = async ({ request }) => {
      const host = new URL(request.url).host;
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      most.set(host, Math.max(most.get(host) ?? 0, inFlight.get(host) ?? 0));
      mostAll = Math.max(mostAll, ++inFlightAll);
      await delay(10);
      inFlight.set(host, (inFlight.get(host) ?? 0) - 1);
      inFlightAll -= 1;
      return HttpResponse.html(PLAN);
    };
    server.use(http.get(`${A}/*`, slowPage), http.get(`${B}/*`, slowPage));
    const polite = fetcher();

    await Promise.all([
      polite.get(`${A}/plan/1`),
      polite.get(`${A}/plan/2`),
      polite.get(`${A}/plan/3`),
      polite.get(`${B}/upphandlingsplan`),
    ]);

    const starts = h.log.seen.filter((r) => r.url.startsWith(A)).map((r) => r.at);
    expect(starts).toHaveLength(3);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(2000);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(2000);
    expect(most.get(new URL(A).host)).toBe(1);
    // The other host neither waited for a sleep nor for the first host's queue.
    expect(h.clock.sleeps).toEqual([2000, 2000]);
    expect(requestsTo(`${B}/upphandlingsplan`)[0]?.at).toBe(starts[0]);
    expect(mostAll).toBe(2);
  });

  it("does not wait when the delay since the last request to the host has already passed", async () => {
    server.use(http.get(`${A}/*`, () => HttpResponse.html(PLAN)));
    const polite = fetcher();

    await polite.get(`${A}/plan/1`);
    h.clock.advance(1500);
    await polite.get(`${A}/plan/2`);
    h.clock.advance(5000);
    await polite.get(`${A}/plan/3`);

    expect(h.clock.sleeps).toEqual([500]);
  });
});

describe("retries", () => {
  it("tries a 500 again after a backoff and reports the second attempt", async () => {
    let calls = 0;
    server.use(
      http.get(`${A}/plan`, () =>
        ++calls === 1 ? new HttpResponse("busy", { status: 500 }) : HttpResponse.html(PLAN),
      ),
    );

    const page = await fetcher({ minDelayMs: 0, random: () => 1 }).get(`${A}/plan`);

    expect(page.status).toBe(200);
    expect(page.attempts).toBe(2);
    expect(h.clock.sleeps).toEqual([1000]);
  });

  it("backs off exponentially with jitter and gives up after the retries with a retryable error", async () => {
    server.use(http.get(`${A}/plan`, () => new HttpResponse("down", { status: 503 })));

    const error = await crawlError(fetcher({ minDelayMs: 0, random: () => 0.5 }).get(`${A}/plan`));

    expect(error).toMatchObject({
      kind: "http",
      retry: true,
      context: { url: `${A}/plan`, status: 503, attempts: 4 },
    });
    expect(requestsTo(`${A}/plan`)).toHaveLength(4);
    // base 1000 · 2^(n−1), half fixed and half random (random() = 0.5 → 75 %).
    expect(h.clock.sleeps).toEqual([750, 1500, 3000]);
  });

  it("waits as long as a 429's Retry-After in seconds asks", async () => {
    let calls = 0;
    server.use(
      http.get(`${A}/plan`, () =>
        ++calls === 1
          ? new HttpResponse("slow down", { status: 429, headers: { "retry-after": "30" } })
          : HttpResponse.html(PLAN),
      ),
    );

    const page = await fetcher().get(`${A}/plan`);

    expect(page.attempts).toBe(2);
    expect(h.clock.sleeps).toEqual([30_000]);
    const [first, second] = requestsTo(`${A}/plan`);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBe(30_000);
  });

  it("honours a Retry-After given as an HTTP-date", async () => {
    let calls = 0;
    server.use(
      http.get(`${A}/plan`, () =>
        ++calls === 1
          ? new HttpResponse(null, {
              status: 503,
              headers: { "retry-after": new Date(h.clock.now() + 45_000).toUTCString() },
            })
          : HttpResponse.html(PLAN),
      ),
    );

    const page = await fetcher().get(`${A}/plan`);

    expect(page.attempts).toBe(2);
    expect(h.clock.sleeps).toEqual([45_000]);
  });

  it("gives up at once, retryable, when Retry-After asks for more than maxRetryAfterMs", async () => {
    server.use(
      http.get(
        `${A}/plan`,
        () => new HttpResponse(null, { status: 429, headers: { "retry-after": "3600" } }),
      ),
    );

    const error = await crawlError(fetcher().get(`${A}/plan`));

    expect(error).toMatchObject({ kind: "http", retry: true, context: { status: 429, attempts: 1 } });
    expect(error.message).toContain("3600 s");
    expect(requestsTo(`${A}/plan`)).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
  });

  it("does not retry a 404: exactly one request, a final error with the status", async () => {
    server.use(http.get(`${A}/gone`, () => new HttpResponse("not found", { status: 404 })));

    const error = await crawlError(fetcher().get(`${A}/gone`));

    expect(error).toMatchObject({
      kind: "http",
      retry: false,
      context: { url: `${A}/gone`, status: 404, attempts: 1 },
    });
    expect(requestsTo(`${A}/gone`)).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
  });

  it("retries network errors and then reports kind network", async () => {
    server.use(http.get(`${A}/plan`, () => HttpResponse.error()));

    const error = await crawlError(fetcher({ retries: 1 }).get(`${A}/plan`));

    expect(error).toMatchObject({ kind: "network", retry: true, context: { url: `${A}/plan`, attempts: 2 } });
    expect(requestsTo(`${A}/plan`)).toHaveLength(2);
  });

  it("aborts a request that does not answer within timeoutMs, retries it, then reports kind timeout", async () => {
    server.use(
      http.get(`${A}/hangs`, async () => {
        await delay("infinite");
        return HttpResponse.html(PLAN);
      }),
    );

    const started = Date.now();
    const error = await crawlError(fetcher({ timeoutMs: 30, retries: 1 }).get(`${A}/hangs`));

    expect(error).toMatchObject({
      kind: "timeout",
      retry: true,
      context: { url: `${A}/hangs`, attempts: 2 },
    });
    expect(requestsTo(`${A}/hangs`)).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("times out a body that starts but never ends", async () => {
    server.use(
      http.get(`${A}/trickle`, () => {
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("<html><body>Rengøring"));
          },
        });
        return new HttpResponse(stream, { headers: { "content-type": "text/html" } });
      }),
    );

    const error = await crawlError(fetcher({ timeoutMs: 30, retries: 0 }).get(`${A}/trickle`));

    expect(error).toMatchObject({ kind: "timeout", context: { status: 200, attempts: 1 } });
  });
});

describe("redirects", () => {
  it("follows a chain of relative and absolute Locations and returns the final URL", async () => {
    server.use(
      http.get(
        `${A}/indkob/plan`,
        () => new HttpResponse(null, { status: 301, headers: { location: "udbudsplan-2026" } }),
      ),
      http.get(
        `${A}/indkob/udbudsplan-2026`,
        () => new HttpResponse(null, { status: 302, headers: { location: `${B}/plan.html` } }),
      ),
      http.get(`${B}/plan.html`, () => HttpResponse.html(PLAN)),
    );

    const page = await fetcher().get(`${A}/indkob/plan`);

    expect(page).toMatchObject({ url: `${B}/plan.html`, status: 200, attempts: 1 });
    expect(h.log.seen.map((r) => r.url)).toEqual([
      `${A}/indkob/plan`,
      `${A}/indkob/udbudsplan-2026`,
      `${B}/plan.html`,
    ]);
    // Both hops on the first host are paced; the jump to the second host is not.
    expect(h.clock.sleeps).toEqual([2000]);
  });

  it("stops a redirect loop with kind redirect", async () => {
    server.use(
      http.get(`${A}/x`, () => new HttpResponse(null, { status: 302, headers: { location: "/y" } })),
      http.get(`${A}/y`, () => new HttpResponse(null, { status: 302, headers: { location: "/x" } })),
    );

    const error = await crawlError(fetcher().get(`${A}/x`));

    expect(error).toMatchObject({ kind: "redirect", retry: false, context: { url: `${A}/y`, status: 302 } });
    expect(error.message).toContain("loop");
    expect(h.log.seen).toHaveLength(2);
  });

  it("stops after maxRedirects", async () => {
    server.use(
      http.get(`${A}/hop/:n`, ({ params }) => {
        const n = Number(params.n);
        return new HttpResponse(null, { status: 301, headers: { location: `/hop/${n + 1}` } });
      }),
    );

    const error = await crawlError(fetcher({ maxRedirects: 2 }).get(`${A}/hop/1`));

    expect(error).toMatchObject({ kind: "redirect", context: { url: `${A}/hop/3` } });
    expect(h.log.seen).toHaveLength(3);
  });
});

describe("size limit", () => {
  it("refuses a body whose Content-Length is over maxBytes without reading it", async () => {
    const body = lazyBody(100, 1000);
    server.use(
      http.get(
        `${A}/plan.xlsx`,
        () => new HttpResponse(body.stream, { headers: { "content-length": "100000" } }),
      ),
    );

    const error = await crawlError(fetcher({ maxBytes: 10_000 }).get(`${A}/plan.xlsx`));

    expect(error).toMatchObject({
      kind: "too-large",
      retry: false,
      context: { url: `${A}/plan.xlsx`, status: 200, attempts: 1 },
    });
    expect(body.pulled()).toBeLessThan(5);
    expect(requestsTo(`${A}/plan.xlsx`)).toHaveLength(1);
  });

  it("stops reading a body without Content-Length once it passes maxBytes", async () => {
    const body = lazyBody(100, 1000);
    server.use(http.get(`${A}/endless`, () => new HttpResponse(body.stream)));

    const error = await crawlError(fetcher({ maxBytes: 10_000 }).get(`${A}/endless`));

    expect(error).toMatchObject({ kind: "too-large", retry: false });
    expect(body.pulled()).toBeLessThan(20);
  });

  it("accepts a streamed body of exactly maxBytes", async () => {
    server.use(http.get(`${A}/just-fits`, () => new HttpResponse(lazyBody(10, 1000).stream)));

    const page = await fetcher({ maxBytes: 10_000 }).get(`${A}/just-fits`);

    expect(page.bytes.byteLength).toBe(10_000);
  });
});

describe("conditional GET", () => {
  const etag = '"plan-v1"';
  const lastModified = "Mon, 02 Mar 2026 07:00:00 GMT";

  function planWithValidators() {
    return http.get(`${A}/plan`, ({ request }) => {
      if (request.headers.get("if-none-match") === etag) return new HttpResponse(null, { status: 304 });
      return HttpResponse.html(PLAN, { headers: { etag, "last-modified": lastModified } });
    });
  }

  it("sends the validators of the last answer and reports an unchanged page as not modified", async () => {
    server.use(planWithValidators());
    const polite = fetcher();

    const first = await polite.get(`${A}/plan`);
    const second = await polite.get(`${A}/plan`);

    expect(first).toMatchObject({ notModified: false, validators: { etag, lastModified } });
    expect(second).toMatchObject({
      status: 304,
      notModified: true,
      text: "",
      validators: { etag, lastModified },
    });
    expect(second.bytes.byteLength).toBe(0);
    const [firstSent, secondSent] = requestsTo(`${A}/plan`);
    expect(firstSent?.headers.get("if-none-match")).toBeNull();
    expect(secondSent?.headers.get("if-none-match")).toBe(etag);
    expect(secondSent?.headers.get("if-modified-since")).toBe(lastModified);
  });

  it("asks unconditionally with conditional: false", async () => {
    server.use(planWithValidators());
    const polite = fetcher();

    await polite.get(`${A}/plan`);
    const again = await polite.get(`${A}/plan`, { conditional: false });

    expect(again).toMatchObject({ status: 200, notModified: false });
    expect(again.text).toContain("Rengøring");
    expect(requestsTo(`${A}/plan`)[1]?.headers.get("if-none-match")).toBeNull();
  });

  it("keeps validators in an injected cache, so they outlive one fetcher", async () => {
    server.use(planWithValidators());
    const stored = new Map<string, FetchValidators>();
    const cache = {
      get: async (url: string) => stored.get(url),
      set: async (url: string, v: FetchValidators) => void stored.set(url, v),
    };

    await fetcher({ validators: cache }).get(`${A}/plan`);
    const later = await fetcher({ validators: cache }).get(`${A}/plan`);

    expect(stored.get(`${A}/plan`)).toEqual({ etag, lastModified });
    expect(later.notModified).toBe(true);
  });
});

describe("request() for JSON APIs", () => {
  const TED = "https://api.ted.test/v3/notices/search";

  it("POSTs the body with its headers, retries a 503 with the same body, and never sends validators", async () => {
    const bodies: string[] = [];
    server.use(
      http.post(TED, async ({ request }) => {
        bodies.push(await request.text());
        if (bodies.length === 1) return new HttpResponse(null, { status: 503 });
        return HttpResponse.json({ notices: [{ "publication-number": "123456-2026" }], totalNoticeCount: 1 });
      }),
    );
    const query = JSON.stringify({ query: "buyer-country=DNK", limit: 50 });

    const result = await fetcher().request(TED, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: query,
    });

    expect(result).toMatchObject({ status: 200, contentType: "application/json", attempts: 2 });
    expect(JSON.parse(result.text)).toMatchObject({ totalNoticeCount: 1 });
    expect(bodies).toEqual([query, query]);
    for (const sent of requestsTo(TED)) {
      expect(sent.headers.get("user-agent")).toBe(USER_AGENT);
      expect(sent.headers.get("content-type")).toBe("application/json");
      expect(sent.headers.get("if-none-match")).toBeNull();
    }
  });

  it("follows a 303 after a POST as a GET without the body", async () => {
    server.use(
      http.post(TED, () => new HttpResponse(null, { status: 303, headers: { location: "/v3/results/42" } })),
      http.get("https://api.ted.test/v3/results/42", () => HttpResponse.json({ ok: true })),
    );

    const result = await fetcher().request(TED, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });

    expect(result.url).toBe("https://api.ted.test/v3/results/42");
    expect(h.log.seen.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(h.log.seen[1]?.headers.get("content-type")).toBeNull();
  });
});
