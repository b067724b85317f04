/**
 * The error model seen from outside: one envelope on every non-2xx answer, the statuses the
 * API promises, security headers everywhere, write limits, and no request that ends in a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface Envelope {
  error: { code: string; message: string; requestId: string; fields?: { path: string; message: string }[] };
}

function expectEnvelope(value: unknown): asserts value is Envelope {
  expect(value).toMatchObject({
    error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
  });
}

describe("errors and protections", () => {
  let t: TestApp;
  let buyer: string;

  beforeAll(async () => {
    t = await createTestApp();
    buyer = (await t.account("buyer", { buyerId: "dk-0751" })).token;
  });
  afterAll(() => t.close());

  it("answers an unknown route with 404 in the envelope and echoes the request id", async () => {
    const res = await t.request("GET", "/api/nothing-here", { headers: { "x-request-id": "req-123" } });
    expect(res.status).toBe(404);
    const err = await body(res);
    expectEnvelope(err);
    expect(err.error.requestId).toBe("req-123");
    expect(res.headers.get("x-request-id")).toBe("req-123");
  });

  it("answers malformed JSON with 400, a body that is not JSON with 415", async () => {
    const malformed = await t.request("POST", "/api/tenders", { token: buyer, body: "{not json" });
    expect(malformed.status).toBe(400);
    expectEnvelope(await body(malformed));
    const text = await t.request("POST", "/api/tenders", {
      token: buyer,
      body: "title=x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const err = await body(text);
    expectEnvelope(err);
    expect(err.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses bodies over 1 MB with 413 and writes nothing", async () => {
    const before = await t.deps.store.tenders.count();
    const res = await t.request("POST", "/api/tenders", {
      token: buyer,
      body: { title: "Stor", description: "x".repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
    const err = await body(res);
    expectEnvelope(err);
    expect(err.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await t.deps.store.tenders.count()).toBe(before);
  });

  it("sets security headers on every response, errors included", async () => {
    for (const path of ["/health", "/api/tenders", "/api/nothing", "/docs", "/openapi.json"]) {
      const res = await t.request("GET", path);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(res.headers.get("content-security-policy"), path).toContain("default-src 'self'");
      expect(res.headers.get("strict-transport-security"), path).toContain("max-age");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
    }
  });

  it("limits writes per token with 429 and Retry-After, and other tokens go on", async () => {
    const limited = await createTestApp({ writeRatePerToken: 3 });
    try {
      const a = (await limited.account("buyer", { buyerId: "dk-0751" })).token;
      const b = (await limited.account("buyer", { buyerId: "dk-0730" })).token;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await limited.request("POST", "/api/tenders", { token: a, body: { title: `Punkt ${i}` } })).status,
        );
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const res = await limited.request("POST", "/api/tenders", { token: a, body: { title: "Igen" } });
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expectEnvelope(await body(res));
      expect(
        (await limited.request("POST", "/api/tenders", { token: b, body: { title: "Anden" } })).status,
      ).toBe(201);
      expect((await limited.request("GET", "/api/tenders", { token: a })).status).toBe(200);
      expect(await limited.deps.store.tenders.count()).toBe(4);
    } finally {
      await limited.close();
    }
  });

  it("limits writes per client address, even without a token", async () => {
    const limited = await createTestApp({ writeRatePerIp: 2 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await limited.request("POST", "/api/tenders", { body: {} })).status);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it("never answers 500 to any request a client can make up", async () => {
    const paths = fc.constantFrom(
      "/api/tenders",
      "/api/tenders/api%3Ax",
      "/api/enterprises",
      "/api/enterprises/x",
      "/api/buyers",
      "/api/cpv",
      "/api/cpv/909",
      "/api/me",
    );
    const query = fc.dictionary(
      fc.constantFrom(
        "q",
        "stage",
        "cpv",
        "limit",
        "page",
        "near",
        "radiusKm",
        "minValue",
        "sort",
        "facets",
        "country",
        "expectedFrom",
      ),
      fc.oneof(fc.string(), fc.integer().map(String), fc.constant("56.1,10.2"), fc.constant("-1")),
    );
    const bodies = fc.oneof(fc.constant(undefined), fc.json(), fc.jsonValue(), fc.string());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PATCH", "DELETE"),
        paths,
        query,
        bodies,
        fc.boolean(),
        async (method, path, params, raw, signedIn) => {
          const qs = new URLSearchParams(params).toString();
          const res = await t.request(method, `${path}${qs ? `?${qs}` : ""}`, {
            ...(signedIn ? { token: buyer } : {}),
            ...(method !== "GET" && raw !== undefined
              ? { body: typeof raw === "string" ? raw : JSON.stringify(raw) }
              : {}),
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expectEnvelope(await res.json());
        },
      ),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
