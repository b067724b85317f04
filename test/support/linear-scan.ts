/**
 * A plain linear scan over search documents, implementing the search port's filter, facet and
 * sort semantics with no index at all. The conformance suite uses it as the reference for what
 * a filter must return, and the benchmark uses it as the baseline the engine is measured
 * against. Text matching is deliberately plain: every query word must start some word of a
 * searchable field (folded), with no stemming and no typo tolerance.
 */
import { foldedWords } from "../../src/domain/text.js";
import { distanceKm } from "../../src/domain/geo.js";
import { dateToMs, type EnterpriseDoc, type TenderDoc } from "../../src/search/documents.js";
import type { EnterpriseQuery, FacetCounts, SearchHits, TenderQuery } from "../../src/search/search.port.js";

const DAY_MS = 86_400_000;

function anyOf<T>(wanted: readonly T[] | undefined, values: readonly T[]): boolean {
  return wanted === undefined || wanted.length === 0 || values.some((v) => wanted.includes(v));
}

function textOf(fields: readonly (string | readonly string[] | null)[]): string[] {
  return fields.flatMap((f) =>
    f === null ? [] : typeof f === "string" ? foldedWords(f) : f.flatMap(foldedWords),
  );
}

/**
 * The folded words of each document, computed on first use and kept: a plain scan still reads
 * every document per query, but does not fold the same text again every time.
 */
const wordCache = new WeakMap<object, string[]>();

function cachedWords<D extends object>(doc: D, words: (d: D) => string[]): string[] {
  let found = wordCache.get(doc);
  if (!found) {
    found = words(doc);
    wordCache.set(doc, found);
  }
  return found;
}

/** 0 when a query word starts no word of the document, else how many words it starts. */
function textScore<D extends object>(
  doc: D,
  words: (d: D) => string[],
  queryWords: readonly string[] | undefined,
): number {
  if (queryWords === undefined) return 1;
  const docWords = cachedWords(doc, words);
  let score = 0;
  for (const q of queryWords) {
    const n = docWords.filter((w) => w.startsWith(q)).length;
    if (n === 0) return 0;
    score += n;
  }
  return score;
}

function queryWords(q: string | undefined): string[] | undefined {
  return q === undefined || q.trim() === "" ? undefined : foldedWords(q);
}

function inRange(value: number | null, from: string | undefined, to: string | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  if (value === null) return false;
  if (from !== undefined && value < dateToMs(from)) return false;
  if (to !== undefined && value >= dateToMs(to) + DAY_MS) return false;
  return true;
}

export function matchesTender(d: TenderDoc, q: TenderQuery): boolean {
  if (!anyOf(q.stage, [d.stage])) return false;
  if (!anyOf(q.reserved, d.reserved)) return false;
  if (!anyOf(q.buyerId, [d.buyerId])) return false;
  if (!anyOf(q.country, [d.country])) return false;
  if (!anyOf(q.nuts, d.nutsPrefixes)) return false;
  if (!anyOf(q.municipality, d.municipality === null ? [] : [d.municipality])) return false;
  if (!anyOf(q.cpv, d.cpvPrefixes)) return false;
  if (q.minValueEur !== undefined || q.maxValueEur !== undefined) {
    if (d.valueEur === null) return false;
    if (q.minValueEur !== undefined && d.valueEur < q.minValueEur) return false;
    if (q.maxValueEur !== undefined && d.valueEur > q.maxValueEur) return false;
  }
  if (!inRange(d.expectedDate, q.expectedFrom, q.expectedTo)) return false;
  if (!inRange(d.deadlineDate, q.deadlineFrom, q.deadlineTo)) return false;
  return true;
}

export function tenderWords(d: TenderDoc): string[] {
  return textOf([d.title, d.description, d.lotTitles, d.buyerName, d.placeName, d.cpvLabels]);
}

export function enterpriseWords(d: EnterpriseDoc): string[] {
  return textOf([d.name, d.keywords, d.description, d.cpvLabels, d.municipalityName]);
}

export function matchesEnterprise(d: EnterpriseDoc, q: EnterpriseQuery): boolean {
  if (!anyOf(q.cpvCodes, d.cpv)) return false;
  if (!anyOf(q.cpv, d.cpvPrefixes)) return false;
  if (!anyOf(q.country, [d.country])) return false;
  if (!anyOf(q.municipality, d.municipality === null ? [] : [d.municipality])) return false;
  if (!anyOf(q.certification, d.certifications)) return false;
  if (!anyOf(q.eligibleFor, d.eligibleFor)) return false;
  if (q.openToConsortia !== undefined && d.openToConsortia !== q.openToConsortia) return false;
  if (q.openToSubcontracting !== undefined && d.openToSubcontracting !== q.openToSubcontracting) return false;
  if (q.near) {
    if (d._geo === null) return false;
    if (distanceKm({ lat: d._geo.lat, lon: d._geo.lng }, q.near) > q.near.radiusKm) return false;
  }
  return true;
}

function facetCounts<D>(docs: readonly D[], facets: readonly string[]): FacetCounts {
  const out: FacetCounts = {};
  for (const facet of facets) {
    const counts: Record<string, number> = {};
    for (const d of docs) {
      const raw = (d as Record<string, unknown>)[facet];
      const values = Array.isArray(raw)
        ? new Set(raw.map(String))
        : raw === null || raw === undefined
          ? []
          : [String(raw)];
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
    }
    out[facet] = counts;
  }
  return out;
}

/** Sort with nulls last whatever the direction, ties by id. */
function byKey<D extends { id: string }>(key: (d: D) => number | string | null, dir: 1 | -1) {
  return (a: D, b: D): number => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null && kb === null) return a.id < b.id ? -1 : 1;
    if (ka === null) return 1;
    if (kb === null) return -1;
    if (ka < kb) return -dir;
    if (ka > kb) return dir;
    return a.id < b.id ? -1 : 1;
  };
}

export function scanTenders(docs: readonly TenderDoc[], q: TenderQuery): SearchHits {
  const words = queryWords(q.q);
  const scored: { d: TenderDoc; s: number }[] = [];
  for (const d of docs) {
    if (!matchesTender(d, q)) continue;
    const s = textScore(d, tenderWords, words);
    if (s > 0) scored.push({ d, s });
  }
  const hasText = q.q !== undefined && q.q.trim() !== "";
  const sort = q.sort === "relevance" && !hasText ? "newest" : q.sort;
  const list = scored.map((x) => x.d);
  if (sort === "relevance") {
    const score = new Map(scored.map((x) => [x.d.id, x.s]));
    list.sort(byKey((d) => score.get(d.id) ?? 0, -1));
  } else if (sort === "newest") list.sort(byKey((d) => d.lastChanged, -1));
  else if (sort === "expected") list.sort(byKey((d) => d.expectedDate, 1));
  else if (sort === "deadline") list.sort(byKey((d) => d.deadlineDate, 1));
  else if (sort === "value-desc") list.sort(byKey((d) => d.valueEur, -1));
  else list.sort(byKey((d) => d.valueEur, 1));
  return {
    ids: list.slice(q.offset, q.offset + q.limit).map((d) => d.id),
    total: list.length,
    facets: facetCounts(list, q.facets),
  };
}

export function scanEnterprises(docs: readonly EnterpriseDoc[], q: EnterpriseQuery): SearchHits {
  const words = queryWords(q.q);
  const scored: { d: EnterpriseDoc; s: number }[] = [];
  for (const d of docs) {
    if (!matchesEnterprise(d, q)) continue;
    const s = textScore(d, enterpriseWords, words);
    if (s > 0) scored.push({ d, s });
  }
  const list = scored.map((x) => x.d);
  const hasText = q.q !== undefined && q.q.trim() !== "";
  if (q.sort === "distance" && q.near) {
    const near = q.near;
    list.sort(byKey((d) => (d._geo ? distanceKm({ lat: d._geo.lat, lon: d._geo.lng }, near) : null), 1));
  } else if (q.sort === "relevance" && hasText) {
    const score = new Map(scored.map((x) => [x.d.id, x.s]));
    list.sort(byKey((d) => score.get(d.id) ?? 0, -1));
  } else list.sort(byKey((d) => d.nameSort, 1));
  return {
    ids: list.slice(q.offset, q.offset + q.limit).map((d) => d.id),
    total: list.length,
    facets: facetCounts(list, q.facets),
  };
}
