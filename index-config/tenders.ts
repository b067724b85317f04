import type { Settings } from "meilisearch";
import { SYNONYMS } from "./synonyms/index.js";

/**
 * The tenders index (documents: TenderDoc in src/search/documents.ts). Settings are applied by
 * `npm run index:sync` (sync.ts), never at import or per request.
 */

/** Meilisearch ids allow only a-z A-Z 0-9 - _; ours have ":" and ".", so the key is derived. */
export const DOCUMENT_KEY = "key";

/** Ranking rules shared by both indexes. With matchingStrategy "all" every hit has every word,
 * so "words" is a single bucket; "sort" comes next so that an explicit sort is exhaustive (the
 * search port's sorts are orders, not tie-breakers). Without a sort parameter the sort rule does
 * nothing and typo → proximity → attribute → exactness rank text matches. */
export const RANKING_RULES = ["words", "sort", "typo", "proximity", "attribute", "exactness"];

/** Exhaustive totals: page/hitsPerPage reports totalHits up to this, and hits beyond it cannot be reached. */
export const MAX_TOTAL_HITS = 1_000_000;

/** Settings both indexes share: ranking, typo tolerance as the embedded engine has it, facets, synonyms. */
export const SHARED_SETTINGS = {
  rankingRules: RANKING_RULES,
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  // More values than there are municipalities in DK + SE + NO, most frequent first.
  faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { "*": "count" } },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  synonyms: SYNONYMS,
} satisfies Settings;

export const tendersSettings = {
  // In ranking order: a word in the title counts more than one in the description.
  searchableAttributes: ["title", "lotTitles", "buyerName", "placeName", "cpvLabels", "description"],
  filterableAttributes: [
    "stage",
    "reserved",
    "buyerId",
    "country",
    "nutsPrefixes",
    "nuts3",
    "municipality",
    "cpvPrefixes",
    "cpvDivisions",
    "valueEur",
    "valueBand",
    "expectedDate",
    "deadlineDate",
    "language",
  ],
  sortableAttributes: ["lastChanged", "expectedDate", "deadlineDate", "valueEur", "id"],
  ...SHARED_SETTINGS,
} satisfies Settings;

export const tendersIndex = {
  name: "tenders",
  uidSuffix: "tenders",
  primaryKey: DOCUMENT_KEY,
  settings: tendersSettings,
} as const;
