/**
 * The search conformance suite: what every SearchEngine adapter must do, whatever is behind it.
 * Run for the embedded engine, for the Meilisearch adapter against the msw stand-in, and for the
 * Meilisearch adapter against a real server when MEILI_URL is set.
 *
 * Filter, facet and sort expectations come from the plain linear scan in test/support (the
 * reference semantics); text expectations are written out by hand.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { enterpriseDocument, tenderDocument } from "../../../src/search/documents.js";
import type {
  EnterpriseQuery,
  SearchEngine,
  TenderFacet,
  TenderQuery,
} from "../../../src/search/search.port.js";
import { ENTERPRISE_FACETS, TENDER_FACETS } from "../../../src/search/search.port.js";
import { ENTERPRISES, TENDERS } from "../../fixtures/search/corpus.js";
import { scanEnterprises, scanTenders } from "../../support/linear-scan.js";

const tenderDocs = TENDERS.map(tenderDocument);
const enterpriseDocs = ENTERPRISES.map(enterpriseDocument);

function tq(partial: Partial<TenderQuery> = {}): TenderQuery {
  return { sort: "relevance", offset: 0, limit: 50, facets: [], ...partial };
}

function eq(partial: Partial<EnterpriseQuery> = {}): EnterpriseQuery {
  return { sort: "relevance", offset: 0, limit: 50, facets: [], ...partial };
}

const sorted = (ids: readonly string[]) => [...ids].sort();

export function describeSearchConformance(name: string, makeEngine: () => Promise<SearchEngine>): void {
  describe(`search conformance: ${name}`, () => {
    let engine: SearchEngine;

    beforeAll(async () => {
      engine = await makeEngine();
      await engine.clear();
      await engine.upsertTenders(tenderDocs);
      await engine.upsertEnterprises(enterpriseDocs);
    });

    describe("tenders: text", () => {
      it("finds a tender by a word of its title", async () => {
        const res = await engine.searchTenders(tq({ q: "rengøring" }));
        expect(res.ids[0]).toBe("test:t1");
      });

      it("finds Danish and Swedish letters typed without them (rengoring, stadtjanster)", async () => {
        expect((await engine.searchTenders(tq({ q: "rengoring" }))).ids[0]).toBe("test:t1");
        expect((await engine.searchTenders(tq({ q: "stadtjanster" }))).ids[0]).toBe("test:t6");
        expect((await engine.searchTenders(tq({ q: "STÄDTJÄNSTER" }))).ids[0]).toBe("test:t6");
      });

      it("tolerates one typo in a word of five letters or more", async () => {
        expect((await engine.searchTenders(tq({ q: "rengøing" }))).ids).toContain("test:t1");
        expect((await engine.searchTenders(tq({ q: "kantinr" }))).ids).toContain("test:t2");
      });

      it("requires every word of the query", async () => {
        const res = await engine.searchTenders(tq({ q: "catering arrangementer" }));
        expect(res.ids).toEqual(["test:t4"]);
        expect(res.total).toBe(1);
      });

      it("ranks a match in the title above one in the description", async () => {
        const res = await engine.searchTenders(tq({ q: "vinduespolering" }));
        expect(sorted(res.ids)).toEqual(["test:t1", "test:t9"]);
        expect(res.ids[0]).toBe("test:t9");
      });

      it("searches buyer names and CPV labels", async () => {
        expect((await engine.searchTenders(tq({ q: "silkeborg" }))).ids).toEqual(["test:t3"]);
        const res = await engine.searchTenders(tq({ q: "window cleaning" }));
        expect(res.ids).toEqual(["test:t9"]);
        const cleaning = await engine.searchTenders(tq({ q: "cleaning services" }));
        expect(sorted(cleaning.ids)).toEqual(["test:t1", "test:t10", "test:t6", "test:t9"]);
      });

      it("combines text with filters", async () => {
        const res = await engine.searchTenders(tq({ q: "cleaning", country: ["SE"] }));
        expect(res.ids).toEqual(["test:t6"]);
      });

      it("returns nothing, not an error, for a word nobody uses", async () => {
        const res = await engine.searchTenders(tq({ q: "xylofonreparation", facets: ["stage"] }));
        expect(res.ids).toEqual([]);
        expect(res.total).toBe(0);
      });
    });

    describe("tenders: filters match the reference scan", () => {
      const cases: [string, Partial<TenderQuery>][] = [
        ["everything", {}],
        ["stage planned", { stage: ["planned"] }],
        ["stage planned or open", { stage: ["planned", "open"] }],
        ["reserved res-ws (tender or lot)", { reserved: ["res-ws"] }],
        ["reserved res-pub-ser", { reserved: ["res-pub-ser"] }],
        ["buyer", { buyerId: ["dk-0751"] }],
        ["country", { country: ["SE"] }],
        ["countries", { country: ["SE", "NO"] }],
        ["NUTS prefix DK04", { nuts: ["DK04"] }],
        ["NUTS3 exact", { nuts: ["DK041"] }],
        ["NUTS country prefix", { nuts: ["NO"] }],
        ["municipality", { municipality: ["0751", "0580"] }],
        ["CPV division", { cpv: ["90"] }],
        ["CPV group", { cpv: ["909"] }],
        ["CPV class", { cpv: ["9091"] }],
        ["CPV category prefix", { cpv: ["90919"] }],
        ["CPV full code", { cpv: ["9091130"] }],
        ["CPV two prefixes", { cpv: ["03", "555"] }],
        ["value from", { minValueEur: 500_000 }],
        ["value range", { minValueEur: 100_000, maxValueEur: 1_000_000 }],
        ["expected publication range", { expectedFrom: "2027-01-01", expectedTo: "2027-03-31" }],
        ["deadline up to and including a day", { deadlineTo: "2027-01-31" }],
        ["deadline from", { deadlineFrom: "2027-02-01" }],
        ["filters combined", { country: ["DK"], stage: ["planned"], cpv: ["909", "185"] }],
        ["nothing matches", { country: ["FI"] }],
      ];
      for (const [label, filter] of cases) {
        it(label, async () => {
          const query = tq({ ...filter, facets: TENDER_FACETS });
          const expected = scanTenders(tenderDocs, query);
          const res = await engine.searchTenders(query);
          expect(sorted(res.ids)).toEqual(sorted(expected.ids));
          expect(res.total).toBe(expected.total);
        });
      }
    });

    describe("tenders: facets", () => {
      it("counts every facet value over all matching tenders", async () => {
        const query = tq({ country: ["DK"], facets: TENDER_FACETS, limit: 2 });
        const expected = scanTenders(tenderDocs, query);
        const res = await engine.searchTenders(query);
        expect(res.ids).toHaveLength(2);
        for (const facet of TENDER_FACETS)
          expect(res.facets[facet] ?? {}, facet).toEqual(expected.facets[facet]);
      });

      it("counts facets of a text search", async () => {
        const facets: TenderFacet[] = ["stage", "country", "cpvDivisions"];
        const res = await engine.searchTenders(tq({ q: "cleaning", facets }));
        expect(res.facets.country).toEqual({ DK: 2, SE: 1, NO: 1 });
        expect(res.facets.cpvDivisions).toEqual({ "90": 4 });
        expect(res.facets.stage).toEqual({ planned: 1, open: 1, awarded: 1, cancelled: 1 });
      });
    });

    describe("tenders: sort and pages", () => {
      const sorts: TenderQuery["sort"][] = ["newest", "expected", "deadline", "value-desc", "value-asc"];
      for (const sort of sorts) {
        it(`sorts by ${sort}, tenders without the value last`, async () => {
          const query = tq({ sort });
          const expected = scanTenders(tenderDocs, query);
          const res = await engine.searchTenders(query);
          expect(res.ids).toEqual(expected.ids);
        });
      }

      it("pages through results without gaps or repeats", async () => {
        const all = (await engine.searchTenders(tq({ sort: "value-desc" }))).ids;
        const pages: string[] = [];
        for (let offset = 0; offset < all.length; offset += 5) {
          const page = await engine.searchTenders(tq({ sort: "value-desc", offset, limit: 5 }));
          expect(page.total).toBe(all.length);
          pages.push(...page.ids);
        }
        expect(pages).toEqual(all);
      });

      it("gives an empty page past the end", async () => {
        const res = await engine.searchTenders(tq({ offset: 100, limit: 10 }));
        expect(res.ids).toEqual([]);
        expect(res.total).toBe(TENDERS.length);
      });
    });

    describe("tenders: writes", () => {
      it("replaces a document on upsert and forgets the old words", async () => {
        const base = tenderDocs.find((d) => d.id === "test:t12");
        if (!base) throw new Error("fixture");
        await engine.upsertTenders([{ ...base, title: "Kørsel med handicapbusser", stage: "planned" }]);
        expect((await engine.searchTenders(tq({ q: "handicapbusser" }))).ids).toEqual(["test:t12"]);
        expect((await engine.searchTenders(tq({ q: "dagtilbud kørsel" }))).ids).toEqual([]);
        expect((await engine.searchTenders(tq({ stage: ["withdrawn"] }))).ids).toEqual([]);
        await engine.upsertTenders([base]);
        expect((await engine.searchTenders(tq({ stage: ["withdrawn"] }))).ids).toEqual(["test:t12"]);
      });

      it("deletes documents", async () => {
        const extra = {
          ...tenderDocs[0],
          id: "test:extra",
          title: "Snerydning af veje",
        } as (typeof tenderDocs)[number];
        await engine.upsertTenders([extra]);
        expect((await engine.searchTenders(tq({ q: "snerydning" }))).ids).toEqual(["test:extra"]);
        await engine.deleteTenders(["test:extra"]);
        expect((await engine.searchTenders(tq({ q: "snerydning" }))).ids).toEqual([]);
        expect((await engine.searchTenders(tq())).total).toBe(TENDERS.length);
      });
    });

    describe("enterprises", () => {
      it("finds enterprises by name, keyword, description and CPV label", async () => {
        expect((await engine.searchEnterprises(eq({ q: "special minds" }))).ids).toEqual([
          "test-special-minds",
        ]);
        expect((await engine.searchEnterprises(eq({ q: "autisme" }))).ids).toEqual(["test-special-minds"]);
        expect((await engine.searchEnterprises(eq({ q: "stadning" }))).ids).toEqual(["test-kooptjanst"]);
        const catering = await engine.searchEnterprises(eq({ q: "catering" }));
        expect(sorted(catering.ids)).toEqual(["test-kamoon", "test-kooptjanst", "test-london-vcse"]);
      });

      const cases: [string, Partial<EnterpriseQuery>][] = [
        ["everything", {}],
        ["CPV prefix", { cpv: ["909"] }],
        ["exact codes", { cpvCodes: ["90910000", "55520000"] }],
        ["country", { country: ["SE", "GB"] }],
        ["municipality", { municipality: ["0751"] }],
        ["certification", { certification: ["rsv"] }],
        ["eligible for Art. 20", { eligibleFor: ["res-ws"] }],
        ["eligible for Art. 77", { eligibleFor: ["res-pub-ser"] }],
        ["open to consortia", { openToConsortia: true }],
        ["not open to subcontracting", { openToSubcontracting: false }],
        ["near Aarhus, 60 km", { near: { lat: 56.15674, lon: 10.21076, radiusKm: 60 } }],
        [
          "near Aarhus, 10 km, with CPV",
          { near: { lat: 56.15674, lon: 10.21076, radiusKm: 10 }, cpv: ["79"] },
        ],
      ];
      for (const [label, filter] of cases) {
        it(`filters: ${label}`, async () => {
          const query = eq({ ...filter, facets: ENTERPRISE_FACETS });
          const expected = scanEnterprises(enterpriseDocs, query);
          const res = await engine.searchEnterprises(query);
          expect(sorted(res.ids)).toEqual(sorted(expected.ids));
          expect(res.total).toBe(expected.total);
          for (const facet of ENTERPRISE_FACETS)
            expect(res.facets[facet] ?? {}, facet).toEqual(expected.facets[facet]);
        });
      }

      it("sorts by distance from a point, and by name", async () => {
        const near = { lat: 56.15674, lon: 10.21076, radiusKm: 1000 };
        const byDistance = eq({ near, sort: "distance" });
        expect((await engine.searchEnterprises(byDistance)).ids).toEqual(
          scanEnterprises(enterpriseDocs, byDistance).ids,
        );
        const byName = eq({ sort: "name" });
        expect((await engine.searchEnterprises(byName)).ids).toEqual(
          scanEnterprises(enterpriseDocs, byName).ids,
        );
      });

      it("deletes enterprises", async () => {
        const first = enterpriseDocs[0];
        if (!first) throw new Error("fixture");
        await engine.deleteEnterprises([first.id]);
        expect((await engine.searchEnterprises(eq())).total).toBe(ENTERPRISES.length - 1);
        await engine.upsertEnterprises([first]);
        expect((await engine.searchEnterprises(eq())).total).toBe(ENTERPRISES.length);
      });
    });

    it("reports its health and document counts", async () => {
      const health = await engine.health();
      expect(health.ok).toBe(true);
      expect(health.documents).toEqual({ tenders: TENDERS.length, enterprises: ENTERPRISES.length });
    });
  });
}
