/**
 * The TED client against the msw model of the Search API v3, with the demo eForms notices as the
 * corpus: iteration paging, limits, XML, and how every kind of failure reaches the caller.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CrawlError } from "../../../../crawlers/errors.js";
import { TedClient, buildExpertQuery } from "../../../../crawlers/ted/ted-client.js";
import type { TedNoticeSummary } from "../../../../crawlers/ted/ted-client.js";
import { tedHttpFromFetch } from "../../../../crawlers/ted/ted-http.js";
import type { TedHttp } from "../../../../crawlers/ted/ted-http.js";
import {
  createTedApiHandlers,
  DocumentedSearchRequest,
  knownTedFields,
  loadTedDemoCorpus,
} from "../../../mocks/ted-api.js";
import type { TedCorpusNotice } from "../../../mocks/ted-api.js";

const corpus = loadTedDemoCorpus();
const mock = createTedApiHandlers(corpus);
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  // Every request the client sent satisfies the documented request schema and limits.
  const searches = mock.requests.filter((r) => r.method === "POST");
  for (const r of searches) expect(DocumentedSearchRequest.safeParse(r.body).success).toBe(true);
  expect(mock.rejected.filter((r) => r.kind === "schema")).toEqual([]);
  mock.reset();
});
afterAll(() => server.close());

const http = tedHttpFromFetch(
  (input, init) => fetch(input, init),
  "jointbid-test/0.1 (+https://example.org)",
);
const client = new TedClient({ http });

async function collect(iterable: AsyncIterable<TedNoticeSummary>): Promise<TedNoticeSummary[]> {
  const out: TedNoticeSummary[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function caught(promise: Promise<unknown>): Promise<CrawlError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof CrawlError) return e;
    throw e;
  }
  throw new Error("expected a CrawlError");
}

function hasValue(n: TedCorpusNotice, field: string, values: string[]): boolean {
  const v = n.fields[field];
  const list = Array.isArray(v) ? v.map(String) : [String(v)];
  return list.some((x) => values.includes(x));
}

const searchBodies = () =>
  mock.requests.filter((r) => r.method === "POST").map((r) => r.body as Record<string, unknown>);

describe("TedClient.search", () => {
  it("reads every page with iteration tokens, each notice exactly once", async () => {
    const query = buildExpertQuery({ countries: ["DK", "SE", "NO"] });
    const expected = corpus
      .filter((n) => hasValue(n, "buyer-country", ["DNK", "SWE", "NOR"]))
      .map((n) => n.publicationNumber);
    expect(expected).toHaveLength(6);

    const notices = await collect(client.search({ query, limit: 2 }));

    expect(notices.map((n) => n.publicationNumber)).toEqual(expected);
    expect(new Set(notices.map((n) => n.publicationNumber)).size).toBe(notices.length);
    // 3 full pages, then the empty page that tells the client it is done.
    const bodies = searchBodies();
    expect(bodies).toHaveLength(4);
    expect(bodies[0]).toMatchObject({ query, limit: 2, paginationMode: "ITERATION" });
    expect(bodies[0]).not.toHaveProperty("iterationNextToken");
    const answers = mock.requests.map(
      (r) => r.response as { iterationNextToken?: string; notices: unknown[] },
    );
    expect(answers.map((a) => a.notices.length)).toEqual([2, 2, 2, 0]);
    for (let i = 1; i < bodies.length; i++) {
      expect(bodies[i]?.["iterationNextToken"]).toBe(answers[i - 1]?.iterationNextToken);
    }
  });

  it("returns the requested fields, publication number and XML link", async () => {
    const [first] = await collect(
      client.search({ query: "buyer-country IN (SWE)", fields: ["buyer-country", "notice-type"] }),
    );
    expect(first).toEqual({
      publicationNumber: "352907-2021",
      xmlUrl: "https://ted.europa.eu/en/notice/352907-2021/xml",
      fields: {
        "publication-number": "352907-2021",
        "buyer-country": ["SWE"],
        "notice-type": "cn-standard",
        links: expect.objectContaining({ xml: { MUL: "https://ted.europa.eu/en/notice/352907-2021/xml" } }),
      },
    });
    expect(searchBodies()[0]?.["fields"]).toEqual([
      "buyer-country",
      "notice-type",
      "publication-number",
      "links",
    ]);
  });

  it("stops at maxNotices and asks only for what is still needed", async () => {
    const query = buildExpertQuery({ noticeTypes: ["competition"] });
    const notices = await collect(client.search({ query, limit: 5, maxNotices: 12 }));
    expect(notices).toHaveLength(12);
    expect(new Set(notices.map((n) => n.publicationNumber)).size).toBe(12);
    expect(searchBodies().map((b) => b["limit"])).toEqual([5, 5, 2]);
  });

  it("finds the reserved notices end to end", async () => {
    const query = buildExpertQuery({
      reservedOnly: true,
      noticeTypes: ["competition"],
      publishedSince: "2023-01-01",
    });
    const notices = await collect(client.search({ query, scope: "ALL" }));
    const expected = corpus.filter(
      (n) =>
        hasValue(n, "reserved-procurement-lot", ["res-ws", "res-pub-ser"]) &&
        n.fields["form-type"] === "competition" &&
        String((n.fields["publication-date"] as string[])[0]) >= "2023-01-01",
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(notices.map((n) => n.publicationNumber)).toEqual(expected.map((n) => n.publicationNumber));
    expect(searchBodies()[0]).toMatchObject({ scope: "ALL" });
  });

  it("keeps pages within 10 000 fields", async () => {
    const fields = [...knownTedFields()]
      .filter((f) => f !== "links" && f !== "publication-number")
      .slice(0, 60);
    await collect(client.search({ query: "buyer-country IN (DNK)", fields, limit: 250 }));
    const body = searchBodies()[0];
    expect(body?.["limit"]).toBe(Math.floor(10_000 / 62));
    expect(body?.["fields"]).toHaveLength(62);
  });

  it("yields nothing for an empty result", async () => {
    const notices = await collect(client.search({ query: "buyer-country IN (ISL)" }));
    expect(notices).toEqual([]);
    expect(searchBodies()).toHaveLength(1);
  });

  it("rejects options that would break the request before sending", async () => {
    await expect(collect(client.search({ query: " " }))).rejects.toThrow(RangeError);
    await expect(collect(client.search({ query: "x", limit: 251 }))).rejects.toThrow(RangeError);
    await expect(collect(client.search({ query: "x", fields: ['a", "b'] }))).rejects.toThrow(RangeError);
    expect(await collect(client.search({ query: "x", maxNotices: 0 }))).toEqual([]);
    expect(mock.requests).toEqual([]);
  });
});

describe("TedClient.fetchNoticeXml", () => {
  it("fetches the XML from the notice's link", async () => {
    const [notice] = await collect(client.search({ query: "buyer-country IN (SWE)" }));
    expect(notice).toBeDefined();
    if (notice === undefined) return;
    const xml = await client.fetchNoticeXml(notice);
    expect(xml).toBe(corpus.find((n) => n.publicationNumber === "352907-2021")?.xml);
    expect(xml).toContain("352907-2021");
  });

  it("builds the XML URL from a bare publication number", async () => {
    const xml = await client.fetchNoticeXml("161232-2020");
    expect(xml).toContain("<cbc:NoticeTypeCode");
    expect(mock.requests.at(-1)?.url).toBe("https://ted.europa.eu/en/notice/161232-2020/xml");
    expect(() => client.noticeXmlUrl("../../etc/passwd")).toThrow(RangeError);
  });

  it("reports a missing notice as an HTTP error that will not go away", async () => {
    const error = await caught(client.fetchNoticeXml("999999-2099"));
    expect(error.kind).toBe("http");
    expect(error.retry).toBe(false);
    expect(error.context).toMatchObject({
      status: 404,
      url: "https://ted.europa.eu/en/notice/999999-2099/xml",
    });
  });

  it("refuses an HTML page in place of XML", async () => {
    const html: TedHttp = {
      request: async (url) => ({
        url,
        status: 200,
        text: "<!DOCTYPE html><html></html>",
        contentType: "text/html",
      }),
    };
    const error = await caught(new TedClient({ http: html }).fetchNoticeXml("161232-2020"));
    expect(error.kind).toBe("parse");
  });
});

describe("TedClient errors", () => {
  it("turns a documented 400 body into a clear CrawlError", async () => {
    const error = await caught(collect(client.search({ query: "buyer-countri IN (DNK)" })));
    expect(error.kind).toBe("http");
    expect(error.retry).toBe(false);
    expect(error.context.status).toBe(400);
    expect(error.message).toContain("Unknown field: buyer-countri");
    expect(error.message).toContain("QUERY_UNKNOWN_FIELD");
    expect(error.message).toContain("column 1");
  });

  it("reports a query syntax error with its location", async () => {
    const error = await caught(collect(client.search({ query: "buyer-country IN (DNK" })));
    expect(error.kind).toBe("http");
    expect(error.message).toMatch(/QUERY_SYNTAX_ERROR/);
  });

  it("reports an expired iteration token", async () => {
    const iterator = client.search({ query: "form-type IN (competition)", limit: 2 });
    await iterator.next();
    await iterator.next();
    mock.expireTokens();
    const error = await caught(collect(iterator));
    expect(error.kind).toBe("http");
    expect(error.message).toContain("EXPIRED_ITERATION_TOKEN");
  });

  it("marks 429 and 5xx from a raw adapter as retryable HTTP errors with the API's message", async () => {
    mock.queueSearchResponse({ status: 429, body: { message: "Too many requests, slow down" } });
    const tooMany = await caught(collect(client.search({ query: "buyer-country IN (DNK)" })));
    expect(tooMany).toMatchObject({ kind: "http", retry: true, context: { status: 429 } });
    expect(tooMany.message).toContain("Too many requests, slow down");

    mock.queueSearchResponse({ status: 500, body: { message: "Internal error", error: {} } });
    const internal = await caught(collect(client.search({ query: "buyer-country IN (DNK)" })));
    expect(internal).toMatchObject({ kind: "http", retry: true, context: { status: 500 } });
    expect(internal.message).toContain("Internal error");

    mock.queueSearchResponse({
      status: 503,
      body: "<html>Service Unavailable</html>",
      contentType: "text/html",
    });
    const unavailable = await caught(collect(client.search({ query: "buyer-country IN (DNK)" })));
    expect(unavailable).toMatchObject({ kind: "http", retry: true, context: { status: 503 } });
    expect(unavailable.message).toContain("Service Unavailable");
  });

  it("fails a page that is not JSON as a parse error", async () => {
    mock.queueSearchResponse({ status: 200, body: '{"notices": [', contentType: "application/json" });
    const error = await caught(collect(client.search({ query: "buyer-country IN (DNK)" })));
    expect(error.kind).toBe("parse");
  });

  it("fails a page of the wrong shape as a parse error naming the problem", async () => {
    mock.queueSearchResponse({
      status: 200,
      body: { notices: [{ "publication-number": 161232 }], totalNoticeCount: 1 },
    });
    const error = await caught(collect(client.search({ query: "buyer-country IN (DNK)" })));
    expect(error.kind).toBe("parse");
    expect(error.context.missing).toEqual([expect.stringContaining("notices.0.publication-number")]);

    mock.queueSearchResponse({ status: 200, body: { results: [] } });
    expect((await caught(collect(client.search({ query: "buyer-country IN (DNK)" })))).kind).toBe("parse");
  });

  it("reports a server-side timeout as a retryable timeout", async () => {
    mock.queueSearchResponse({ status: 200, body: { notices: [], totalNoticeCount: 0, timedOut: true } });
    const error = await caught(collect(client.search({ query: "buyer-country IN (DNK)" })));
    expect(error).toMatchObject({ kind: "timeout", retry: true });
  });

  it("stops when the API repeats a token instead of looping", async () => {
    const page = {
      notices: [{ "publication-number": "161232-2020" }],
      totalNoticeCount: 2,
      iterationNextToken: "same",
    };
    mock.queueSearchResponse({ status: 200, body: page });
    mock.queueSearchResponse({
      status: 200,
      body: { ...page, notices: [{ "publication-number": "354823-2021" }] },
    });
    const seen: string[] = [];
    const error = await caught(
      (async () => {
        for await (const n of client.search({ query: "buyer-country IN (DNK)" }))
          seen.push(n.publicationNumber);
      })(),
    );
    expect(error.kind).toBe("parse");
    expect(seen).toEqual(["161232-2020", "354823-2021"]);
  });

  it("passes on a CrawlError thrown by the injected fetcher", async () => {
    const polite: TedHttp = {
      request: async (url) => {
        throw new CrawlError("robots", "disallowed", { url });
      },
    };
    const error = await caught(
      collect(new TedClient({ http: polite }).search({ query: "buyer-country IN (DNK)" })),
    );
    expect(error.kind).toBe("robots");
  });

  it("maps transport failures of the plain adapter to network errors", async () => {
    const broken = tedHttpFromFetch(async () => {
      throw new TypeError("fetch failed");
    }, "jointbid-test");
    const error = await caught(
      collect(new TedClient({ http: broken }).search({ query: "buyer-country IN (DNK)" })),
    );
    expect(error).toMatchObject({ kind: "network", retry: true });
  });
});
