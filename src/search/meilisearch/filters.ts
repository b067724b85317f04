import type { SearchParams } from "meilisearch";
import { AppError } from "../../domain/errors.js";
import { dateToMs } from "../documents.js";
import type { EnterpriseQuery, TenderQuery, TenderSort } from "../search.port.js";

/**
 * Pure translation of the search port's queries into Meilisearch search parameters: one filter
 * expression, a sort array, facets, paging. Semantics follow test/support/linear-scan.ts: filters
 * AND across fields and OR within one (`IN [...]`), prefix filters through the `*Prefixes`
 * arrays, `*From` inclusive, `*To` including the whole day, value bounds inclusive (a document
 * without a value matches neither), explicit sorts with the id as tie-breaker.
 */

const DAY_MS = 86_400_000;

/**
 * A string as a filter value: always double-quoted. Meilisearch first turns `\"` into `"` inside
 * a double-quoted value, then unescapes the result (`\\` → `\`), so backslashes are doubled
 * before quotes are escaped. Nothing a value holds can end the quotes early or add an operator.
 */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function numberValue(value: number, field: string): string {
  if (!Number.isFinite(value)) {
    throw new AppError("VALIDATION_FAILED", `${field} must be a finite number`, {
      fields: [{ path: field, message: "must be a finite number" }],
    });
  }
  return String(value);
}

/** `attr IN ["a", "b"]`, or nothing when the list is absent or empty (no constraint). */
function anyOf(attribute: string, values: readonly string[] | undefined): string[] {
  if (values === undefined || values.length === 0) return [];
  return [`${attribute} IN [${[...new Set(values)].map(quoteFilterValue).join(", ")}]`];
}

function range(
  attribute: string,
  from: number | undefined,
  to: number | undefined,
  toExclusive: boolean,
): string[] {
  const out: string[] = [];
  if (from !== undefined) out.push(`${attribute} >= ${numberValue(from, attribute)}`);
  if (to !== undefined) out.push(`${attribute} ${toExclusive ? "<" : "<="} ${numberValue(to, attribute)}`);
  return out;
}

function dayRange(attribute: string, from: string | undefined, to: string | undefined): string[] {
  return range(
    attribute,
    from === undefined ? undefined : dateToMs(from),
    to === undefined ? undefined : dateToMs(to) + DAY_MS,
    true,
  );
}

export function tenderFilter(query: TenderQuery): string[] {
  return [
    ...anyOf("stage", query.stage),
    ...anyOf("reserved", query.reserved),
    ...anyOf("buyerId", query.buyerId),
    ...anyOf("country", query.country),
    ...anyOf("nutsPrefixes", query.nuts),
    ...anyOf("municipality", query.municipality),
    ...anyOf("cpvPrefixes", query.cpv),
    ...range("valueEur", query.minValueEur, query.maxValueEur, false),
    ...dayRange("expectedDate", query.expectedFrom, query.expectedTo),
    ...dayRange("deadlineDate", query.deadlineFrom, query.deadlineTo),
  ];
}

export function enterpriseFilter(query: EnterpriseQuery): string[] {
  const near = query.near;
  return [
    ...anyOf("cpv", query.cpvCodes),
    ...anyOf("cpvPrefixes", query.cpv),
    ...anyOf("country", query.country),
    ...anyOf("municipality", query.municipality),
    ...anyOf("certifications", query.certification),
    ...anyOf("eligibleFor", query.eligibleFor),
    ...(query.openToConsortia === undefined ? [] : [`openToConsortia = ${String(query.openToConsortia)}`]),
    ...(query.openToSubcontracting === undefined
      ? []
      : [`openToSubcontracting = ${String(query.openToSubcontracting)}`]),
    ...(near
      ? [
          `_geoRadius(${numberValue(near.lat, "near.lat")}, ${numberValue(near.lon, "near.lon")}, ${numberValue(
            Math.round(near.radiusKm * 1000),
            "near.radiusKm",
          )})`,
        ]
      : []),
  ];
}

const TENDER_SORT: Record<Exclude<TenderSort, "relevance">, string> = {
  newest: "lastChanged:desc",
  expected: "expectedDate:asc",
  deadline: "deadlineDate:asc",
  "value-desc": "valueEur:desc",
  "value-asc": "valueEur:asc",
};

function hasText(q: string | undefined): q is string {
  return q !== undefined && q.trim() !== "";
}

/** Relevance with words keeps Meilisearch's ranking; relevance without words means newest. */
export function tenderSort(query: TenderQuery): string[] | undefined {
  if (query.sort === "relevance" && hasText(query.q)) return undefined;
  const sort = query.sort === "relevance" ? "newest" : query.sort;
  return [TENDER_SORT[sort], "id:asc"];
}

/** Distance needs a point; without one (and for relevance without words) the order is by name. */
export function enterpriseSort(query: EnterpriseQuery): string[] | undefined {
  if (query.sort === "distance" && query.near) {
    const { lat, lon } = query.near;
    return [`_geoPoint(${numberValue(lat, "near.lat")}, ${numberValue(lon, "near.lon")}):asc`, "id:asc"];
  }
  if (query.sort === "relevance" && hasText(query.q)) return undefined;
  return ["nameSort:asc", "id:asc"];
}

/**
 * page/hitsPerPage gives an exact totalHits, so it is used whenever the offset falls on a page
 * boundary (always, for the API's pages); any other offset uses offset/limit, whose
 * estimatedTotalHits Meilisearch computes from the same candidates.
 */
export function paging(
  offset: number,
  limit: number,
): Pick<SearchParams, "page" | "hitsPerPage" | "offset" | "limit"> {
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) {
    throw new AppError("VALIDATION_FAILED", "offset and limit must be non-negative integers", {
      fields: [
        { path: "offset", message: "non-negative integer" },
        { path: "limit", message: "non-negative integer" },
      ],
    });
  }
  if (limit === 0) return { page: 1, hitsPerPage: 0 };
  if (offset % limit === 0) return { page: offset / limit + 1, hitsPerPage: limit };
  return { offset, limit };
}

function params(
  q: string | undefined,
  filter: string[],
  sort: string[] | undefined,
  facets: readonly string[],
  offset: number,
  limit: number,
): SearchParams {
  return {
    ...(hasText(q) ? { q: q.trim() } : {}),
    ...(filter.length > 0 ? { filter: filter.join(" AND ") } : {}),
    ...(sort ? { sort } : {}),
    ...(facets.length > 0 ? { facets: [...facets] } : {}),
    matchingStrategy: "all",
    attributesToRetrieve: ["id"],
    ...paging(offset, limit),
  };
}

export function tenderSearchParams(query: TenderQuery): SearchParams {
  return params(query.q, tenderFilter(query), tenderSort(query), query.facets, query.offset, query.limit);
}

export function enterpriseSearchParams(query: EnterpriseQuery): SearchParams {
  return params(
    query.q,
    enterpriseFilter(query),
    enterpriseSort(query),
    query.facets,
    query.offset,
    query.limit,
  );
}
