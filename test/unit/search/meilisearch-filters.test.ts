import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/domain/errors.js";
import {
  enterpriseSearchParams,
  paging,
  quoteFilterValue,
  tenderSearchParams,
} from "../../../src/search/meilisearch/filters.js";
import type { EnterpriseQuery, TenderQuery } from "../../../src/search/search.port.js";

const tq = (partial: Partial<TenderQuery> = {}): TenderQuery => ({
  sort: "relevance",
  offset: 0,
  limit: 20,
  facets: [],
  ...partial,
});
const eq = (partial: Partial<EnterpriseQuery> = {}): EnterpriseQuery => ({
  sort: "relevance",
  offset: 0,
  limit: 20,
  facets: [],
  ...partial,
});

describe("Meilisearch parameters for tender queries", () => {
  it("lists everything, newest first, when there are neither words nor filters", () => {
    expect(tenderSearchParams(tq())).toEqual({
      sort: ["lastChanged:desc", "id:asc"],
      matchingStrategy: "all",
      attributesToRetrieve: ["id"],
      page: 1,
      hitsPerPage: 20,
    });
  });

  it("ORs values within a field and ANDs fields, with inclusive bounds and whole days", () => {
    const params = tenderSearchParams(
      tq({
        stage: ["planned", "open"],
        reserved: ["res-ws"],
        buyerId: ["dk-0751"],
        country: ["DK", "SE"],
        nuts: ["DK04"],
        municipality: ["0751"],
        cpv: ["909", "185"],
        minValueEur: 100_000,
        maxValueEur: 1_000_000,
        expectedFrom: "2027-01-01",
        expectedTo: "2027-03-31",
        deadlineTo: "2027-01-31",
      }),
    );
    expect(params.filter).toBe(
      'stage IN ["planned", "open"] AND reserved IN ["res-ws"] AND buyerId IN ["dk-0751"] AND ' +
        'country IN ["DK", "SE"] AND nutsPrefixes IN ["DK04"] AND municipality IN ["0751"] AND ' +
        'cpvPrefixes IN ["909", "185"] AND valueEur >= 100000 AND valueEur <= 1000000 AND ' +
        "expectedDate >= 1798761600000 AND expectedDate < 1806537600000 AND deadlineDate < 1801440000000",
    );
  });

  it("ignores empty lists instead of matching nothing", () => {
    expect(tenderSearchParams(tq({ stage: [], country: [] })).filter).toBeUndefined();
  });

  it("keeps Meilisearch's relevance for words and sorts explicitly otherwise", () => {
    const text = tenderSearchParams(tq({ q: "  rengøring af skoler ", facets: ["stage", "country"] }));
    expect(text).toEqual({
      q: "rengøring af skoler",
      facets: ["stage", "country"],
      matchingStrategy: "all",
      attributesToRetrieve: ["id"],
      page: 1,
      hitsPerPage: 20,
    });
    expect(tenderSearchParams(tq({ q: "   " })).sort).toEqual(["lastChanged:desc", "id:asc"]);
    expect(tenderSearchParams(tq({ q: "rengøring", sort: "deadline" })).sort).toEqual([
      "deadlineDate:asc",
      "id:asc",
    ]);
    expect(tenderSearchParams(tq({ sort: "value-desc" })).sort).toEqual(["valueEur:desc", "id:asc"]);
    expect(tenderSearchParams(tq({ sort: "expected" })).sort).toEqual(["expectedDate:asc", "id:asc"]);
  });
});

describe("quoting filter values", () => {
  it("quotes every string and escapes quotes and backslashes", () => {
    expect(quoteFilterValue("DK")).toBe('"DK"');
    expect(quoteFilterValue('x" OR country = "SE')).toBe('"x\\" OR country = \\"SE"');
    expect(quoteFilterValue("a\\")).toBe('"a\\\\"');
    expect(quoteFilterValue('a\\" OR 1 = 1')).toBe('"a\\\\\\" OR 1 = 1"');
    expect(quoteFilterValue("AND")).toBe('"AND"');
  });

  it("keeps a hostile buyer id inside one IN list", () => {
    const params = tenderSearchParams(tq({ buyerId: ['dk") OR (stage = "planned', "NOT", "ok\\"] }));
    expect(params.filter).toBe('buyerId IN ["dk\\") OR (stage = \\"planned", "NOT", "ok\\\\"]');
  });

  it("refuses a bound that is not a finite number", () => {
    expect(() => tenderSearchParams(tq({ minValueEur: Number.NaN }))).toThrow(AppError);
    expect(() => tenderSearchParams(tq({ maxValueEur: Number.POSITIVE_INFINITY }))).toThrow(/finite/);
  });
});

describe("Meilisearch parameters for enterprise queries", () => {
  it("filters on codes, flags and distance, and sorts by distance from the point", () => {
    const params = enterpriseSearchParams(
      eq({
        cpvCodes: ["90910000"],
        cpv: ["909"],
        country: ["DK"],
        certification: ["rsv"],
        eligibleFor: ["res-ws"],
        openToConsortia: true,
        openToSubcontracting: false,
        near: { lat: 56.15674, lon: 10.21076, radiusKm: 60 },
        sort: "distance",
      }),
    );
    expect(params.filter).toBe(
      'cpv IN ["90910000"] AND cpvPrefixes IN ["909"] AND country IN ["DK"] AND certifications IN ["rsv"] AND ' +
        'eligibleFor IN ["res-ws"] AND openToConsortia = true AND openToSubcontracting = false AND ' +
        "_geoRadius(56.15674, 10.21076, 60000)",
    );
    expect(params.sort).toEqual(["_geoPoint(56.15674, 10.21076):asc", "id:asc"]);
  });

  it("orders by name without words or without a point, and by relevance with words", () => {
    expect(enterpriseSearchParams(eq()).sort).toEqual(["nameSort:asc", "id:asc"]);
    expect(enterpriseSearchParams(eq({ sort: "distance" })).sort).toEqual(["nameSort:asc", "id:asc"]);
    expect(enterpriseSearchParams(eq({ q: "catering" })).sort).toBeUndefined();
    expect(enterpriseSearchParams(eq({ q: "catering", sort: "name" })).sort).toEqual([
      "nameSort:asc",
      "id:asc",
    ]);
  });

  it("rounds the radius to whole metres", () => {
    expect(enterpriseSearchParams(eq({ near: { lat: 55.5, lon: -0.25, radiusKm: 2.5004 } })).filter).toBe(
      "_geoRadius(55.5, -0.25, 2500)",
    );
  });
});

describe("paging", () => {
  it("uses pages (exact totals) when the offset falls on a page boundary", () => {
    expect(paging(0, 20)).toEqual({ page: 1, hitsPerPage: 20 });
    expect(paging(40, 20)).toEqual({ page: 3, hitsPerPage: 20 });
    expect(paging(100, 10)).toEqual({ page: 11, hitsPerPage: 10 });
  });

  it("falls back to offset/limit otherwise, and asks for no hits when the limit is 0", () => {
    expect(paging(5, 20)).toEqual({ offset: 5, limit: 20 });
    expect(paging(7, 0)).toEqual({ page: 1, hitsPerPage: 0 });
  });

  it("refuses negative or fractional numbers", () => {
    expect(() => paging(-1, 10)).toThrow(AppError);
    expect(() => paging(0, 2.5)).toThrow(AppError);
  });
});
