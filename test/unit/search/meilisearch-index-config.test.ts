import { describe, expect, it } from "vitest";
import {
  enterprisesSettings,
  INDEX_CONFIGS,
  mergeSynonymGroups,
  SYNONYMS,
  tendersSettings,
} from "../../../index-config/index.js";
import { MAX_SYNONYMS_PER_TERM, SYNONYM_FILES } from "../../../index-config/synonyms/index.js";
import { fold } from "../../../src/domain/text.js";
import { enterpriseDocument, tenderDocument } from "../../../src/search/documents.js";
import { enterpriseSearchParams, tenderSearchParams } from "../../../src/search/meilisearch/filters.js";
import {
  ENTERPRISE_FACETS,
  ENTERPRISE_SORTS,
  TENDER_FACETS,
  TENDER_SORTS,
} from "../../../src/search/search.port.js";
import { ENTERPRISES, TENDERS } from "../../fixtures/search/corpus.js";

const tenderAttributes = new Set(TENDERS.flatMap((t) => Object.keys(tenderDocument(t))));
const enterpriseAttributes = new Set(ENTERPRISES.flatMap((e) => Object.keys(enterpriseDocument(e))));

/** Attribute names a filter expression uses (`attr IN`, `attr >=`, `_geoRadius` → `_geo`). */
function filterAttributes(filter: unknown): string[] {
  if (typeof filter !== "string") return [];
  const names = [...filter.matchAll(/(?:^| AND )(\w+) (?:IN|>=|<=|<|=)/g)].map((m) => m[1] ?? "");
  return filter.includes("_geoRadius(") ? [...names, "_geo"] : names;
}

function sortAttributes(sort: unknown): string[] {
  return Array.isArray(sort)
    ? sort.map((s: string) => (s.startsWith("_geoPoint(") ? "_geo" : (s.split(":")[0] ?? "")))
    : [];
}

describe("index settings", () => {
  it("name only attributes that the documents have", () => {
    for (const [settings, attributes] of [
      [tendersSettings, tenderAttributes],
      [enterprisesSettings, enterpriseAttributes],
    ] as const) {
      const named = [
        ...settings.searchableAttributes,
        ...settings.filterableAttributes,
        ...settings.sortableAttributes,
      ];
      expect(named.filter((a) => !attributes.has(a))).toEqual([]);
    }
  });

  it("make filterable and sortable everything the adapter filters, facets and sorts on", () => {
    const tender = tenderSearchParams({
      stage: ["open"],
      reserved: ["res-ws"],
      buyerId: ["b"],
      country: ["DK"],
      nuts: ["DK0"],
      municipality: ["0751"],
      cpv: ["90"],
      minValueEur: 1,
      maxValueEur: 2,
      expectedFrom: "2027-01-01",
      expectedTo: "2027-01-02",
      deadlineFrom: "2027-01-01",
      deadlineTo: "2027-01-02",
      sort: "newest",
      offset: 0,
      limit: 10,
      facets: TENDER_FACETS,
    });
    expect(filterAttributes(tender.filter)).toHaveLength(13);
    for (const a of [...filterAttributes(tender.filter), ...TENDER_FACETS])
      expect(tendersSettings.filterableAttributes).toContain(a);
    for (const sort of TENDER_SORTS) {
      const params = tenderSearchParams({ sort, offset: 0, limit: 10, facets: [] });
      for (const a of sortAttributes(params.sort)) expect(tendersSettings.sortableAttributes).toContain(a);
    }

    const near = { lat: 56, lon: 10, radiusKm: 5 };
    const enterprise = enterpriseSearchParams({
      cpvCodes: ["90910000"],
      cpv: ["909"],
      country: ["DK"],
      municipality: ["0751"],
      certification: ["rsv"],
      eligibleFor: ["res-ws"],
      openToConsortia: true,
      openToSubcontracting: true,
      near,
      sort: "distance",
      offset: 0,
      limit: 10,
      facets: ENTERPRISE_FACETS,
    });
    expect(filterAttributes(enterprise.filter)).toHaveLength(9);
    for (const a of [...filterAttributes(enterprise.filter), ...ENTERPRISE_FACETS]) {
      expect(enterprisesSettings.filterableAttributes).toContain(a);
    }
    for (const sort of ENTERPRISE_SORTS) {
      const params = enterpriseSearchParams({ sort, near, offset: 0, limit: 10, facets: [] });
      for (const a of sortAttributes(params.sort))
        expect(enterprisesSettings.sortableAttributes).toContain(a);
    }
  });

  it("let explicit sorts order every hit, and allow typos from 5 and 9 letters", () => {
    for (const { settings } of INDEX_CONFIGS) {
      const rules = settings.rankingRules ?? [];
      expect(rules.indexOf("sort")).toBeLessThan(rules.indexOf("typo"));
      expect(settings.typoTolerance?.minWordSizeForTypos).toEqual({ oneTypo: 5, twoTypos: 9 });
      expect(settings.pagination?.maxTotalHits ?? 0).toBeGreaterThanOrEqual(100_000);
    }
  });
});

describe("synonyms", () => {
  it("are bidirectional within a group and unite the groups a term is in", () => {
    const merged = mergeSynonymGroups([
      ["rengøring", "rengøringsservice", "cleaning"],
      ["cleaning", "janitorial"],
    ]);
    expect(merged).toEqual({
      cleaning: ["janitorial", "rengøring", "rengøringsservice"],
      janitorial: ["cleaning"],
      rengøring: ["cleaning", "rengøringsservice"],
      rengøringsservice: ["cleaning", "rengøring"],
    });
  });

  it("treat spellings that Meilisearch normalises alike as one term", () => {
    const merged = mergeSynonymGroups([
      ["kontormøbler", "office furniture"],
      ["kontormöbler", "kontorinventar"],
    ]);
    expect(Object.keys(merged).sort()).toEqual(["kontorinventar", "kontormøbler", "office furniture"]);
    expect(merged["kontormøbler"]).toEqual(["kontorinventar", "office furniture"]);
  });

  it("hold every language's groups, symmetric and within Meilisearch's 50 per term", () => {
    for (const file of Object.values(SYNONYM_FILES)) expect(file.groups.length).toBeGreaterThanOrEqual(25);
    for (const [term, others] of Object.entries(SYNONYMS)) {
      expect(others.length).toBeLessThanOrEqual(MAX_SYNONYMS_PER_TERM);
      for (const other of others) {
        const back = Object.entries(SYNONYMS).find(([k]) => fold(k) === fold(other))?.[1] ?? [];
        expect(back.map(fold), `${other} → ${term}`).toContain(fold(term));
      }
    }
    expect(SYNONYMS["rengøring"]).toContain("cleaning");
    expect(SYNONYMS["städning"]).toEqual(expect.arrayContaining(["lokalvård", "städtjänster"]));
    expect(SYNONYMS["renhold"]).toContain("rengjøring");
  });
});
