import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SourceConfig } from "../../../crawlers/source.js";
import { runSource } from "../../../src/services/ingest.service.js";
import { CrawlError } from "../../../crawlers/errors.js";
import { NO_HTTP, body, createTestApp, type TestApp } from "../../support/app.js";

const sources = [
  SourceConfig.parse({
    id: "dk-aarhus-plan",
    name: "Aarhus Kommune: udbudsplan",
    kind: "plan-page",
    url: "https://aarhus.example/udbudsplan",
    country: "DK",
    buyer: "dk-0751",
  }),
  SourceConfig.parse({
    id: "se-malmo-plan",
    name: "Malmö stad",
    kind: "plan-page",
    url: "https://malmo.example/plan",
    country: "SE",
    buyer: "se-1280",
    schedule: "weekly",
  }),
];

let t: TestApp;
let admin: string;
let enterprise: string;

beforeAll(async () => {
  t = await createTestApp({
    crawler: { scheduled: false, userAgent: "jointbid/test", minDelayMs: 2000, sources },
  });
  admin = (await t.account("admin")).token;
  enterprise = (await t.account("enterprise")).token;
  const failing = sources[0];
  if (!failing) throw new Error("no source");
  await runSource(
    t.deps,
    {
      config: failing,
      read: () =>
        Promise.reject(
          new CrawlError("robots", "robots.txt of aarhus.example disallows /udbudsplan", {
            url: failing.url,
          }),
        ),
    },
    {
      http: NO_HTTP,
      now: new Date(),
    },
  );
});
afterAll(async () => t.close());

describe("GET /api/sources", () => {
  it("lists every declared source with its latest run for an admin", async () => {
    const res = await t.request("GET", "/api/sources", { token: admin });
    expect(res.status).toBe(200);
    const { items } = await body<{
      items: {
        id: string;
        declared: boolean;
        schedule: string;
        lastRun?: { status: string; errors: { kind: string }[] };
      }[];
    }>(res);
    expect(items.map((s) => s.id)).toEqual(["dk-aarhus-plan", "se-malmo-plan"]);
    expect(items[0]).toMatchObject({
      declared: true,
      lastRun: { status: "failed", errors: [{ kind: "robots" }] },
    });
    expect(items[1]?.lastRun).toBeUndefined();
    expect(items[1]?.schedule).toBe("weekly");
  });

  it("is for admins only", async () => {
    expect((await t.request("GET", "/api/sources")).status).toBe(401);
    expect((await t.request("GET", "/api/sources", { token: enterprise })).status).toBe(403);
    expect((await t.request("GET", "/api/sources/dk-aarhus-plan/runs", { token: enterprise })).status).toBe(
      403,
    );
  });
});

describe("GET /api/sources/:id/runs", () => {
  it("lists the runs of a source, newest first, with start, end, status, counts and errors", async () => {
    const res = await t.request("GET", "/api/sources/dk-aarhus-plan/runs", { token: admin });
    expect(res.status).toBe(200);
    const { items } = await body<{ items: Record<string, unknown>[] }>(res);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      sourceId: "dk-aarhus-plan",
      status: "failed",
      counts: { new: 0, changed: 0, unchanged: 0, withdrawn: 0, skipped: 0 },
      errors: [
        {
          kind: "robots",
          message: "robots.txt of aarhus.example disallows /udbudsplan",
          url: "https://aarhus.example/udbudsplan",
        },
      ],
    });
    expect(typeof items[0]?.startedAt).toBe("string");
    expect(typeof items[0]?.finishedAt).toBe("string");
  });

  it("answers 404 for a source that is neither declared nor has run, and an empty list for one that has not run", async () => {
    expect((await t.request("GET", "/api/sources/nowhere/runs", { token: admin })).status).toBe(404);
    const res = await t.request("GET", "/api/sources/se-malmo-plan/runs", { token: admin });
    expect(await body(res)).toEqual({ items: [] });
  });

  it("rejects a malformed id or limit with the error envelope", async () => {
    const res = await t.request("GET", "/api/sources/dk-aarhus-plan/runs?limit=0", { token: admin });
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
  });
});
