import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface OpenApiDoc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe("health, OpenAPI and the docs page", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  it("reports the store and the search index with their document counts", async () => {
    const res = await t.request("GET", "/health");
    expect(res.status).toBe(200);
    const health = await body<{
      status: string;
      store: { ok: boolean; tenders: number; enterprises: number };
      search: { ok: boolean; engine: string; documents: { tenders: number; enterprises: number } };
    }>(res);
    expect(health.status).toBe("ok");
    expect(health.store.ok).toBe(true);
    expect(health.store.tenders).toBeGreaterThan(0);
    expect(health.search.engine).toBe("embedded");
    expect(health.search.documents).toEqual({
      tenders: health.store.tenders,
      enterprises: health.store.enterprises,
    });
  });

  it("says degraded, not down, when search fails but the store answers", async () => {
    const original = t.deps.search.health.bind(t.deps.search);
    t.deps.search.health = async () => {
      throw new Error("search is gone");
    };
    try {
      const health = await body<{ status: string; search: { ok: boolean; error: string } }>(
        await t.request("GET", "/health"),
      );
      expect(health.status).toBe("degraded");
      expect(health.search).toMatchObject({ ok: false, error: "search is gone" });
    } finally {
      t.deps.search.health = original;
    }
  });

  it("publishes an OpenAPI 3.1 document with every route and the error envelope", async () => {
    const doc = await body<OpenApiDoc>(await t.request("GET", "/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        "GET /health",
        "GET /api/tenders",
        "POST /api/tenders",
        "GET /api/tenders/{id}",
        "PATCH /api/tenders/{id}",
        "DELETE /api/tenders/{id}",
        "GET /api/enterprises",
        "POST /api/enterprises",
        "GET /api/enterprises/{id}",
        "PATCH /api/enterprises/{id}",
        "GET /api/buyers",
        "GET /api/buyers/{id}",
        "GET /api/cpv",
        "GET /api/cpv/{code}",
        "POST /api/cpv/suggest",
        "GET /api/me",
        "GET /api/sources",
        "GET /api/sources/{id}/runs",
        "GET /api/ocds/planning",
        "GET /api/tenders/{id}/matches",
        "GET /api/enterprises/{id}/opportunities",
        "GET /api/buyers/{id}/insight",
        "POST /api/match",
        "POST /api/subscriptions",
        "GET /api/subscriptions",
        "GET /api/subscriptions/{id}",
        "PATCH /api/subscriptions/{id}",
        "DELETE /api/subscriptions/{id}",
        "GET /api/subscriptions/{id}/deliveries",
        "POST /api/subscriptions/{id}/test",
        "POST /api/subscriptions/{id}/feed-token",
        "DELETE /api/subscriptions/{id}/feed-token",
        "GET /api/feeds/{token}/atom",
        "GET /api/feeds/{token}/ical",
        "GET /api/unsubscribe",
        "POST /api/unsubscribe",
        "POST /api/consortia",
        "GET /api/consortia",
        "GET /api/consortia/{id}",
        "PATCH /api/consortia/{id}",
        "POST /api/consortia/{id}/invitations",
        "POST /api/consortia/{id}/respond",
        "POST /api/consortia/{id}/status",
        "GET /api/consortia/{id}/summary",
      ].sort(),
    );
    expect(doc.components.schemas).toHaveProperty("Error");
    expect(doc.components.schemas).toHaveProperty("Tender");
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
    const post = doc.paths["/api/tenders"]?.post;
    for (const status of ["400", "401", "403", "409", "413", "429"]) {
      expect(post?.responses[status]?.content?.["application/json"]?.schema.$ref, status).toBe(
        "#/components/schemas/Error",
      );
    }
  });

  it("serves the docs page with every asset from this service, none from elsewhere", async () => {
    const page = await (await t.request("GET", "/docs")).text();
    const refs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref.startsWith("/"), ref).toBe(true);
      const res = await t.request("GET", ref);
      expect(res.status, ref).toBe(200);
      expect((await res.text()).length, ref).toBeGreaterThan(50);
    }
    expect((await t.request("GET", "/docs/assets/../../package.json")).status).toBe(404);
    expect((await t.request("GET", "/docs/assets/index.html")).status).toBe(404);
  });
});
