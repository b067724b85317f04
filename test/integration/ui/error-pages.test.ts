/**
 * Errors of page requests are pages: a browser asking for a missing page or meeting a failure
 * gets the site's layout in its language (with a reference to quote when the fault is ours),
 * while API clients, and browsers on API paths, keep the JSON error envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchEngine } from "../../../src/search/search.port.js";
import { type TestApp, createTestApp } from "../../support/app.js";

const HTML = { accept: "text/html,application/xhtml+xml" };

describe("error pages", () => {
  let t: TestApp;
  let failSearch = false;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    const search: SearchEngine = t.deps.search;
    const original = search.searchTenders.bind(search);
    search.searchTenders = (...args: Parameters<SearchEngine["searchTenders"]>) => {
      if (failSearch) throw new Error("index file is corrupt");
      return original(...args);
    };
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("answers a missing page with the not-found page in the browser's language", async () => {
    const res = await t.app.request("/no-such-page", { headers: { ...HTML, "accept-language": "da" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    const body = await res.text();
    expect(body).toContain('<html lang="da"');
    expect(body).toContain("Siden findes ikke");
    expect(body).toContain('href="/tenders"');
  });

  it("keeps the JSON envelope for API paths and for clients that do not ask for HTML", async () => {
    for (const [path, headers] of [
      ["/api/no-such-thing", HTML],
      ["/no-such-page", { accept: "application/json" }],
    ] as const) {
      const res = await t.app.request(path, { headers });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("NOT_FOUND");
    }
  });

  it("answers a failure behind a page with an error page that names the request to quote", async () => {
    failSearch = true;
    try {
      const res = await t.app.request("/tenders?q=cleaning&lang=sv", { headers: HTML });
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toContain("text/html");
      const body = await res.text();
      expect(body).toContain("Något gick fel hos oss");
      const requestId = res.headers.get("x-request-id");
      expect(requestId).toBeTruthy();
      expect(body).toContain(`<code>${requestId}</code>`);
      expect(body).not.toContain("index file is corrupt");

      const api = await t.app.request("/api/tenders?q=cleaning", { headers: HTML });
      expect(api.status).toBe(500);
      const envelope = (await api.json()) as { error: { code: string } };
      expect(envelope.error.code).toBe("INTERNAL");
    } finally {
      failSearch = false;
    }
    // The service goes on answering.
    const after = await t.app.request("/tenders?q=cleaning", { headers: HTML });
    expect(after.status).toBe(200);
  });
});
