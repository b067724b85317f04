/**
 * Writes to the embedded engine: upserts and deletes keep text, filters, facets, sorts and
 * counts right, and an index that has seen many upserts and deletes (with its dead documents
 * still in place, and after compaction) answers exactly like a fresh build of the same
 * documents.
 */
import { describe, expect, it } from "vitest";
import {
  enterpriseDocument,
  tenderDocument,
  type EnterpriseDoc,
  type TenderDoc,
} from "../../../src/search/documents.js";
import {
  createEmbeddedSearchEngine,
  type EmbeddedSearchEngine,
} from "../../../src/search/embedded/embedded.engine.js";
import {
  ENTERPRISE_FACETS,
  TENDER_FACETS,
  type EnterpriseQuery,
  type SearchHits,
  type TenderQuery,
} from "../../../src/search/search.port.js";
import { seededRandom, syntheticEnterprises, syntheticTenders } from "../../bench/synthetic.js";
import { scanTenders } from "../../support/linear-scan.js";

const TENDERS = syntheticTenders(400, 7).map(tenderDocument);
const ENTERPRISES = syntheticEnterprises(150, 8).map(enterpriseDocument);

function tq(partial: Partial<TenderQuery> = {}): TenderQuery {
  return { sort: "relevance", offset: 0, limit: 20, facets: TENDER_FACETS, ...partial };
}

function eq(partial: Partial<EnterpriseQuery> = {}): EnterpriseQuery {
  return { sort: "relevance", offset: 0, limit: 20, facets: ENTERPRISE_FACETS, ...partial };
}

function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error("fixture");
  return item;
}

/** A battery of queries touching text, every filter, facets, every sort and pages. */
function tenderQueries(docs: readonly TenderDoc[]): TenderQuery[] {
  const d = first(docs);
  const word = d.title.split(/\s+/).find((w) => w.length >= 5) ?? "service";
  return [
    tq(),
    tq({ q: word }),
    tq({ q: word.slice(0, 4) }),
    tq({ q: "rengøring skoler" }),
    tq({ q: "cleaning", country: ["DK", "SE"] }),
    tq({ stage: ["planned", "open"], sort: "deadline" }),
    tq({ cpv: [first(d.cpvPrefixes)], sort: "value-desc" }),
    tq({ nuts: ["DK0"], sort: "value-asc", offset: 20 }),
    tq({ reserved: ["res-ws"], sort: "expected" }),
    tq({ minValueEur: 100_000, maxValueEur: 5_000_000, sort: "newest", offset: 40 }),
    tq({ expectedFrom: "2026-06-01", expectedTo: "2027-06-30", sort: "expected" }),
    tq({ buyerId: [d.buyerId], q: word }),
  ];
}

function enterpriseQueries(docs: readonly EnterpriseDoc[]): EnterpriseQuery[] {
  const d = first(docs);
  const geo = docs.find((e) => e._geo !== null)?._geo ?? { lat: 56.15, lng: 10.2 };
  return [
    eq(),
    eq({ q: first(d.name.split(" ")) }),
    eq({ cpvCodes: d.cpv.slice(0, 2), sort: "name" }),
    eq({ near: { lat: geo.lat, lon: geo.lng, radiusKm: 150 }, sort: "distance" }),
    eq({ eligibleFor: ["res-ws"], openToConsortia: true, sort: "name", offset: 10 }),
  ];
}

async function answers(
  engine: EmbeddedSearchEngine,
  tenders: readonly TenderDoc[],
  enterprises: readonly EnterpriseDoc[],
) {
  const out: SearchHits[] = [];
  for (const q of tenderQueries(tenders)) out.push(await engine.searchTenders(q));
  for (const q of enterpriseQueries(enterprises)) out.push(await engine.searchEnterprises(q));
  return out;
}

describe("embedded search: updates and deletes", () => {
  it("moves a tender between facet values and filters when its stage changes", async () => {
    const engine = createEmbeddedSearchEngine();
    await engine.upsertTenders(TENDERS);
    const doc = first(TENDERS.filter((d) => d.stage === "planned"));
    const before = await engine.searchTenders(tq({ facets: ["stage"] }));
    await engine.upsertTenders([{ ...doc, stage: "open" }]);
    const after = await engine.searchTenders(tq({ facets: ["stage"] }));
    expect(after.facets.stage?.planned).toBe((before.facets.stage?.planned ?? 0) - 1);
    expect(after.facets.stage?.open).toBe((before.facets.stage?.open ?? 0) + 1);
    expect(after.total).toBe(before.total);
    expect((await engine.searchTenders(tq({ stage: ["planned"], limit: 1000 }))).ids).not.toContain(doc.id);
    expect((await engine.searchTenders(tq({ stage: ["open"], limit: 1000 }))).ids).toContain(doc.id);
  });

  it("forgets a deleted tender everywhere: text, filters, facets, sorted pages, counts", async () => {
    const engine = createEmbeddedSearchEngine();
    await engine.upsertTenders(TENDERS);
    const doc = first(TENDERS.filter((d) => d.valueEur !== null));
    const word = doc.title.split(/\s+/).find((w) => w.length >= 5) ?? doc.title;
    const before = await engine.searchTenders(tq({ country: [doc.country] }));
    await engine.deleteTenders([doc.id]);
    const remaining = TENDERS.filter((d) => d.id !== doc.id);
    const after = await engine.searchTenders(tq({ country: [doc.country] }));
    expect(after.total).toBe(before.total - 1);
    expect(after.facets).toEqual(scanTenders(remaining, tq({ country: [doc.country] })).facets);
    expect((await engine.searchTenders(tq({ q: word, limit: 1000 }))).ids).not.toContain(doc.id);
    const byValue = await engine.searchTenders(tq({ sort: "value-desc", limit: 1000 }));
    expect(byValue.ids).toEqual(scanTenders(remaining, tq({ sort: "value-desc", limit: 1000 })).ids);
    expect((await engine.health()).documents?.tenders).toBe(TENDERS.length - 1);
  });

  it("judges how rare a word is by the documents left, not the deleted ones", async () => {
    const base = first(TENDERS);
    const doc = (id: string, title: string, description: string): TenderDoc => ({
      ...base,
      id,
      title,
      description,
      lotTitles: [],
      buyerName: "",
      placeName: null,
      cpvLabels: [],
    });
    const engine = createEmbeddedSearchEngine({ compactMinDead: Number.MAX_SAFE_INTEGER });
    // "snerydning" is the rarer word, so its title match puts x first.
    const docs = [
      doc("x", "Snerydning", "Kantine"),
      doc("y", "Kantine", "Snerydning"),
      doc("z", "Kantine", ""),
    ];
    await engine.upsertTenders(docs);
    const query = tq({ q: "snerydning kantine ", facets: [] });
    expect((await engine.searchTenders(query)).ids).toEqual(["x", "y"]);
    const filler = Array.from({ length: 30 }, (_, i) => doc(`f${i}`, "Snerydning", ""));
    await engine.upsertTenders(filler);
    await engine.deleteTenders(filler.map((d) => d.id));
    expect(engine.deadDocuments().tenders).toBe(30);
    expect((await engine.searchTenders(query)).ids).toEqual(["x", "y"]);
  });

  it("keeps one document per id however often it is upserted", async () => {
    const engine = createEmbeddedSearchEngine();
    const doc = first(TENDERS);
    for (let i = 0; i < 5; i++) await engine.upsertTenders([{ ...doc, title: `Version ${i} snerydning` }]);
    const res = await engine.searchTenders(tq({ q: "snerydning" }));
    expect(res.ids).toEqual([doc.id]);
    expect(res.total).toBe(1);
    expect((await engine.searchTenders(tq({ q: "version 4" }))).ids).toEqual([doc.id]);
    expect((await engine.searchTenders(tq({ q: "version 3 " }))).ids).toEqual([]);
  });

  it("ignores deletes of unknown ids and empties both indexes on clear()", async () => {
    const engine = createEmbeddedSearchEngine();
    await engine.upsertTenders(TENDERS.slice(0, 10));
    await engine.upsertEnterprises(ENTERPRISES.slice(0, 5));
    await engine.deleteTenders(["no-such:id"]);
    expect((await engine.health()).documents).toEqual({ tenders: 10, enterprises: 5 });
    await engine.clear();
    expect((await engine.health()).documents).toEqual({ tenders: 0, enterprises: 0 });
    expect((await engine.searchTenders(tq())).ids).toEqual([]);
  });
});

describe("embedded search: churn and compaction", () => {
  /** Applies a seeded sequence of upserts (changed and new documents) and deletes. */
  async function churn(
    engine: EmbeddedSearchEngine,
  ): Promise<{ tenders: TenderDoc[]; enterprises: EnterpriseDoc[] }> {
    const random = seededRandom(42);
    const tenders = new Map(TENDERS.map((d) => [d.id, d]));
    const enterprises = new Map(ENTERPRISES.map((d) => [d.id, d]));
    await engine.upsertTenders(TENDERS);
    await engine.upsertEnterprises(ENTERPRISES);
    const stages = ["planned", "open", "awarded", "cancelled", "withdrawn"];
    for (let round = 0; round < 6; round++) {
      const ids = [...tenders.keys()];
      const changed: TenderDoc[] = [];
      for (let i = 0; i < 60; i++) {
        const d = tenders.get(ids[Math.floor(random() * ids.length)] ?? "");
        if (!d) continue;
        const next = {
          ...d,
          stage: stages[Math.floor(random() * stages.length)] ?? "open",
          title: random() < 0.5 ? `${d.title} snerydning` : d.title.split(" ").slice(1).join(" ") || d.title,
          valueEur: random() < 0.2 ? null : Math.round(random() * 5_000_000),
          lastChanged: d.lastChanged + Math.floor(random() * 1e9),
        };
        tenders.set(d.id, next);
        changed.push(next);
      }
      await engine.upsertTenders(changed);
      const gone = ids.filter(() => random() < 0.08);
      for (const id of gone) tenders.delete(id);
      await engine.deleteTenders(gone);
      const revived = TENDERS.filter((d) => !tenders.has(d.id) && random() < 0.3);
      for (const d of revived) tenders.set(d.id, d);
      await engine.upsertTenders(revived);

      const eids = [...enterprises.keys()];
      const egone = eids.filter(() => random() < 0.1);
      for (const id of egone) enterprises.delete(id);
      await engine.deleteEnterprises(egone);
      const eChanged = [...enterprises.values()]
        .filter(() => random() < 0.2)
        .map((e) => ({ ...e, openToConsortia: !e.openToConsortia, keywords: [...e.keywords, "snerydning"] }));
      for (const e of eChanged) enterprises.set(e.id, e);
      await engine.upsertEnterprises(eChanged);
    }
    return { tenders: [...tenders.values()], enterprises: [...enterprises.values()] };
  }

  it("answers like a fresh build while dead documents are still in place", async () => {
    const churned = createEmbeddedSearchEngine({ compactMinDead: Number.MAX_SAFE_INTEGER });
    const final = await churn(churned);
    expect(churned.deadDocuments().tenders).toBeGreaterThan(0);
    const fresh = createEmbeddedSearchEngine();
    await fresh.upsertTenders(final.tenders);
    await fresh.upsertEnterprises(final.enterprises);
    expect(await answers(churned, final.tenders, final.enterprises)).toEqual(
      await answers(fresh, final.tenders, final.enterprises),
    );
  });

  it("answers like a fresh build after compaction, with no dead documents left", async () => {
    const churned = createEmbeddedSearchEngine({ compactMinDead: Number.MAX_SAFE_INTEGER });
    const final = await churn(churned);
    const before = await answers(churned, final.tenders, final.enterprises);
    churned.compact();
    expect(churned.deadDocuments()).toEqual({ tenders: 0, enterprises: 0 });
    const fresh = createEmbeddedSearchEngine();
    await fresh.upsertTenders(final.tenders);
    await fresh.upsertEnterprises(final.enterprises);
    const expected = await answers(fresh, final.tenders, final.enterprises);
    expect(await answers(churned, final.tenders, final.enterprises)).toEqual(expected);
    expect(before).toEqual(expected);
    // Still writable after compaction.
    await churned.upsertTenders([{ ...first(final.tenders), title: "Xylofonreparation" }]);
    expect((await churned.searchTenders(tq({ q: "xylofonreparation" }))).ids).toEqual([
      first(final.tenders).id,
    ]);
  });

  it("compacts by itself once dead documents pass the threshold", async () => {
    const engine = createEmbeddedSearchEngine({ compactMinDead: 50, compactRatio: 0.2 });
    await engine.upsertTenders(TENDERS);
    await engine.deleteTenders(TENDERS.slice(0, 40).map((d) => d.id));
    expect(engine.deadDocuments().tenders).toBe(40);
    await engine.upsertTenders(TENDERS.slice(40, 120).map((d) => ({ ...d, stage: "open" })));
    expect(engine.deadDocuments().tenders).toBe(0);
    const res = await engine.searchTenders(tq({ stage: ["open"], limit: 1000 }));
    expect(res.total).toBe(
      scanTenders(
        TENDERS.slice(40).map((d, i) => (i < 80 ? { ...d, stage: "open" } : d)),
        tq({ stage: ["open"] }),
      ).total,
    );
  });
});
