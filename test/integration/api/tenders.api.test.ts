import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveTender } from "../../../src/services/tenders.service.js";
import { TENDERS } from "../../fixtures/search/corpus.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";

interface TenderBody {
  id: string;
  stage: string;
  title: string;
  cpv: string[];
  lots: { id: string; cpv: string[] }[];
  buyer: { id: string; name: string; country: string };
  place?: { lat?: number; lon?: number; nuts?: string; municipality?: string };
  language: string;
  version?: number;
  history?: { version: number; source: string; changes: { field: string; from: unknown; to: unknown }[] }[];
}
interface ListBody {
  items: TenderBody[];
  total: number;
  page: number;
  limit: number;
  facets: Record<string, Record<string, number>>;
}

describe("tenders API", () => {
  let t: TestApp;
  let aarhus: string;
  let randers: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    for (const tender of TENDERS) await saveTender(t.deps, tender, "test");
    aarhus = (await t.account("buyer", { buyerId: "dk-0751" })).token;
    randers = (await t.account("buyer", { buyerId: "dk-0730" })).token;
    admin = (await t.account("admin")).token;
  });
  afterAll(() => t.close());

  describe("search", () => {
    it("finds tenders by text, with facets over all hits", async () => {
      const res = await t.request("GET", "/api/tenders?q=rengoring");
      expect(res.status).toBe(200);
      const list = await body<ListBody>(res);
      expect(list.items[0]?.id).toBe("test:t1");
      expect(list.facets.stage).toBeDefined();
    });

    it("filters by stage, country, CPV prefix (check digit accepted) and value in a currency", async () => {
      const res = await t.request(
        "GET",
        "/api/tenders?stage=planned,open&country=DK&cpv=90900000-5&minValue=1000000&currency=DKK",
      );
      const list = await body<ListBody>(res);
      expect(list.items.map((i) => i.id)).toEqual(["test:t1"]);
      const repeated = await body<ListBody>(
        await t.request("GET", "/api/tenders?stage=planned&stage=open&country=SE"),
      );
      expect(repeated.items.map((i) => i.id).sort()).toEqual(["test:t6", "test:t7"]);
    });

    it("pages with page and limit, and reports the total", async () => {
      const first = await body<ListBody>(
        await t.request("GET", "/api/tenders?sort=value-desc&limit=5&page=1"),
      );
      const second = await body<ListBody>(
        await t.request("GET", "/api/tenders?sort=value-desc&limit=5&page=2"),
      );
      expect(first.total).toBe(TENDERS.length);
      expect(first.items).toHaveLength(5);
      expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(10);
      expect(first.page).toBe(1);
      expect(second.page).toBe(2);
    });

    it("rejects bad parameters with the offending fields", async () => {
      const res = await t.request("GET", "/api/tenders?limit=500&stage=dreaming&cpv=9x&currency=XYZ");
      expect(res.status).toBe(400);
      const err = await body<{ error: { code: string; fields: { path: string }[] } }>(res);
      expect(err.error.code).toBe("VALIDATION_FAILED");
      expect(err.error.fields.map((f) => f.path).sort()).toEqual(["cpv.0", "currency", "limit", "stage.0"]);
    });
  });

  describe("a buyer's own tenders", () => {
    it("creates a planned item with place and language from the buyer, one lot, codes without check digit", async () => {
      const res = await t.request("POST", "/api/tenders", {
        token: aarhus,
        body: {
          externalId: "2027-017",
          title: "Vinduespolering på plejecentre",
          cpv: ["90911300-9"],
          expectedPublication: { date: "2027-04-01", precision: "quarter", raw: "Q2 2027" },
          estimatedValue: { amount: 2_400_000, currency: "DKK", raw: "ca. 2,4 mio. kr." },
        },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("location")).toBe("/api/tenders/api%3Adk-0751.2027-017");
      const tender = await body<TenderBody>(res);
      expect(tender.id).toBe("api:dk-0751.2027-017");
      expect(tender.stage).toBe("planned");
      expect(tender.language).toBe("da");
      expect(tender.buyer).toEqual({ id: "dk-0751", name: "Aarhus Kommune", country: "DK" });
      expect(tender.place).toMatchObject({ nuts: "DK042", municipality: "0751" });
      expect(tender.lots).toEqual([
        { id: "LOT-0001", title: "Vinduespolering på plejecentre", cpv: ["90911300"] },
      ]);
      expect(tender.cpv).toEqual(["90911300"]);

      const found = await body<ListBody>(await t.request("GET", "/api/tenders?q=plejecentre"));
      expect(found.items.map((i) => i.id)).toEqual(["api:dk-0751.2027-017"]);
    });

    it("refuses the same external id twice with 409", async () => {
      const res = await t.request("POST", "/api/tenders", {
        token: aarhus,
        body: { externalId: "2027-017", title: "Igen" },
      });
      expect(res.status).toBe(409);
      expect((await body<{ error: { code: string } }>(res)).error.code).toBe("CONFLICT");
    });

    it("changes a tender, keeping the previous version in its history", async () => {
      const id = encodeURIComponent("api:dk-0751.2027-017");
      const res = await t.request("PATCH", `/api/tenders/${id}`, {
        token: aarhus,
        body: { title: "Vinduespolering på plejecentre og skoler", estimatedValue: null },
      });
      expect(res.status).toBe(200);
      const got = await body<TenderBody & Record<string, unknown>>(
        await t.request("GET", `/api/tenders/${id}`),
      );
      expect(got.title).toBe("Vinduespolering på plejecentre og skoler");
      expect(got.estimatedValue).toBeUndefined();
      expect(got.version).toBe(2);
      expect(got.history).toHaveLength(1);
      const changes = got.history?.[0]?.changes ?? [];
      expect(changes.map((c) => c.field).sort()).toEqual(["estimatedValue", "title"]);
      expect(changes.find((c) => c.field === "title")?.from).toBe("Vinduespolering på plejecentre");
      expect(got.history?.[0]?.source).toMatch(/^api:/);
    });

    it("withdraws on DELETE (soft) and keeps it findable by stage with its history", async () => {
      const id = encodeURIComponent("api:dk-0751.2027-017");
      const res = await t.request("DELETE", `/api/tenders/${id}`, { token: aarhus });
      expect(res.status).toBe(200);
      expect((await body<TenderBody>(res)).stage).toBe("withdrawn");
      const got = await body<TenderBody>(await t.request("GET", `/api/tenders/${id}`));
      expect(got.stage).toBe("withdrawn");
      expect(got.history).toHaveLength(2);
      const withdrawn = await body<ListBody>(
        await t.request("GET", "/api/tenders?stage=withdrawn&q=plejecentre"),
      );
      expect(withdrawn.total).toBe(1);
    });

    it("does not let another buyer change it (403) and lets an admin (200)", async () => {
      const id = encodeURIComponent("api:dk-0751.2027-017");
      const denied = await t.request("PATCH", `/api/tenders/${id}`, {
        token: randers,
        body: { title: "Kapret" },
      });
      expect(denied.status).toBe(403);
      const allowed = await t.request("PATCH", `/api/tenders/${id}`, {
        token: admin,
        body: { stage: "planned" },
      });
      expect(allowed.status).toBe(200);
    });

    it("asks an admin to name the buyer, and refuses an unknown buyer", async () => {
      const missing = await t.request("POST", "/api/tenders", {
        token: admin,
        body: { title: "Uden køber" },
      });
      expect(missing.status).toBe(400);
      const unknown = await t.request("POST", "/api/tenders", {
        token: admin,
        body: { title: "X", buyerId: "dk-9999" },
      });
      expect(unknown.status).toBe(400);
      expect((await body<{ error: { fields: { path: string }[] } }>(unknown)).error.fields[0]?.path).toBe(
        "buyerId",
      );
      const ok = await t.request("POST", "/api/tenders", {
        token: admin,
        body: { title: "Snerydning", buyerId: "se-0580" },
      });
      expect(ok.status).toBe(201);
      expect((await body<TenderBody>(ok)).language).toBe("sv");
    });

    it("validates bodies: lots with duplicate ids, codes that are not CPV, lots together with cpv", async () => {
      const res = await t.request("POST", "/api/tenders", {
        token: aarhus,
        body: {
          title: "Forkert",
          lots: [
            { id: "A", title: "a", cpv: ["1234"] },
            { id: "A", title: "b" },
          ],
        },
      });
      expect(res.status).toBe(400);
      const paths = (await body<{ error: { fields: { path: string }[] } }>(res)).error.fields.map(
        (f) => f.path,
      );
      expect(paths).toContain("lots.0.cpv.0");
      expect(paths).toContain("lots");
      const both = await t.request("POST", "/api/tenders", {
        token: aarhus,
        body: { title: "Begge", cpv: ["90910000"], lots: [{ id: "A", title: "a", cpv: ["90910000"] }] },
      });
      expect(both.status).toBe(400);
    });

    it("answers 404 for a tender that does not exist, on read and write", async () => {
      expect((await t.request("GET", "/api/tenders/api%3Anope")).status).toBe(404);
      expect(
        (await t.request("PATCH", "/api/tenders/api%3Anope", { token: admin, body: { title: "x" } })).status,
      ).toBe(404);
      expect((await t.request("DELETE", "/api/tenders/api%3Anope", { token: admin })).status).toBe(404);
    });
  });
});
