import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOcds } from "../../../crawlers/ocds/parse-ocds.js";
import type { Tender } from "../../../src/domain/tender.js";
import { releasePackageProblems } from "../../unit/crawlers/ocds/ocds-schema.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface Package {
  uri: string;
  version: string;
  publisher: { name: string };
  extensions?: string[];
  releases: {
    ocid: string;
    tag: string[];
    buyer: { id: string };
    tender: { id: string; items?: { relatedLot?: string; classification: { scheme: string; id: string } }[] };
  }[];
}
interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: { path: string; message: string }[] };
}

/** Every tender in the store, by paging through it (the truth the export is compared with). */
async function allTenders(t: TestApp): Promise<Tender[]> {
  const out: Tender[] = [];
  for (let page = await t.deps.store.tenders.page(undefined, 50); page.length > 0;) {
    out.push(...page);
    page = await t.deps.store.tenders.page(page[page.length - 1]?.id, 50);
  }
  return out;
}

describe("GET /api/ocds/planning", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  it("gives Aarhus's planned tenders as an OCDS 1.1 release package that validates", async () => {
    const res = await t.request("GET", "/api/ocds/planning?buyer=dk-0751");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toBe('inline; filename="dk-0751-planning.json"');
    const pkg = await body<Package>(res);
    expect(releasePackageProblems(pkg)).toEqual([]);
    expect(pkg).toMatchObject({
      uri: "http://127.0.0.1:8787/api/ocds/planning?buyer=dk-0751",
      version: "1.1",
      publisher: { name: "jointbid" },
    });

    const planned = (await allTenders(t)).filter((x) => x.buyer.id === "dk-0751" && x.stage === "planned");
    expect(planned.length).toBe(6);
    expect(pkg.releases.map((r) => r.tender.id).sort()).toEqual(planned.map((x) => x.id).sort());
    expect(pkg.releases.every((r) => r.tag.join() === "planning" && r.buyer.id === "dk-0751")).toBe(true);

    for (const tender of planned) {
      const release = pkg.releases.find((r) => r.tender.id === tender.id);
      const items = release?.tender.items ?? [];
      expect(items.every((i) => i.classification.scheme === "CPV")).toBe(true);
      expect([...new Set(items.map((i) => i.classification.id))].sort()).toEqual([...tender.cpv].sort());
      if (tender.lots.length > 1) {
        for (const lot of tender.lots) {
          expect(items.filter((i) => i.relatedLot === lot.id).map((i) => i.classification.id)).toEqual(
            lot.cpv,
          );
        }
      }
    }
    expect(pkg.extensions).toContain(
      "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    );
  });

  it("reads back through the OCDS reader as the same planned tenders", async () => {
    const pkg = await body(await t.request("GET", "/api/ocds/planning?buyer=dk-0751"));
    const { items, errors } = parseOcds(pkg, { now: "2026-01-01T00:00:00Z" });
    expect(errors).toEqual([]);
    const planned = (await allTenders(t)).filter((x) => x.buyer.id === "dk-0751" && x.stage === "planned");
    expect(items.map((i) => [i.tender.title, i.tender.stage, i.tender.cpv]).sort()).toEqual(
      planned.map((x) => [x.title, "planned", x.cpv]).sort(),
    );
  });

  it("gives an empty, valid package for a buyer without plans", async () => {
    const res = await t.request("GET", "/api/ocds/planning?buyer=dk-0101");
    expect(res.status).toBe(200);
    const pkg = await body<Package>(res);
    expect(pkg.releases).toEqual([]);
    expect(releasePackageProblems(pkg)).toEqual([]);
  });

  it("leaves out tenders that are no longer planned", async () => {
    const stored = (await allTenders(t)).find((x) => x.buyer.id === "dk-0740" && x.stage === "planned");
    if (!stored) throw new Error("no planned demo tender of dk-0740");
    const before = await body<Package>(await t.request("GET", "/api/ocds/planning?buyer=dk-0740"));
    expect(before.releases.map((r) => r.tender.id)).toEqual([stored.id]);
    const admin = await t.account("admin");
    const res = await t.request("PATCH", `/api/tenders/${encodeURIComponent(stored.id)}`, {
      token: admin.token,
      body: { stage: "open" },
    });
    expect(res.status).toBe(200);
    const after = await body<Package>(await t.request("GET", "/api/ocds/planning?buyer=dk-0740"));
    expect(after.releases).toEqual([]);
  });

  it("404 for a buyer that does not exist", async () => {
    const res = await t.request("GET", "/api/ocds/planning?buyer=dk-9999");
    expect(res.status).toBe(404);
    const err = await body<ErrorBody>(res);
    expect(err.error).toMatchObject({ code: "NOT_FOUND", message: "no buyer dk-9999" });
    expect(err.error.requestId).toBeTruthy();
  });

  it("400 with the envelope when buyer is missing or not an id", async () => {
    for (const path of ["/api/ocds/planning", "/api/ocds/planning?buyer=%20%2F..%2F"]) {
      const res = await t.request("GET", path);
      expect(res.status, path).toBe(400);
      const err = await body<ErrorBody>(res);
      expect(err.error.code).toBe("VALIDATION_FAILED");
      expect(err.error.requestId).toBeTruthy();
      expect(err.error.fields?.map((f) => f.path)).toEqual(["buyer"]);
    }
  });

  it("is in the OpenAPI document with its description and error responses", async () => {
    const doc = await body<{
      paths: Record<string, { get?: { description?: string; responses: Record<string, unknown> } }>;
    }>(await t.request("GET", "/openapi.json"));
    const op = doc.paths["/api/ocds/planning"]?.get;
    expect(op?.description).toMatch(/OCDS 1\.1/);
    expect(Object.keys(op?.responses ?? {}).sort()).toEqual(["200", "400", "401", "404"]);
  });
});
