import type { Settings } from "meilisearch";
import { SYNONYMS } from "./synonyms/index.js";
import { DOCUMENT_KEY, MAX_TOTAL_HITS, RANKING_RULES } from "./tenders.js";

/** The enterprises index (documents: EnterpriseDoc in src/search/documents.ts). */
export const enterprisesSettings = {
  searchableAttributes: ["name", "keywords", "cpvLabels", "municipalityName", "description"],
  filterableAttributes: [
    "cpv",
    "cpvPrefixes",
    "cpvDivisions",
    "country",
    "municipality",
    "certifications",
    "eligibleFor",
    "openToConsortia",
    "openToSubcontracting",
    "language",
    "_geo",
  ],
  sortableAttributes: ["nameSort", "_geo", "id"],
  rankingRules: RANKING_RULES,
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { "*": "count" } },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  synonyms: SYNONYMS,
} satisfies Settings;

export const enterprisesIndex = {
  name: "enterprises",
  uidSuffix: "enterprises",
  primaryKey: DOCUMENT_KEY,
  settings: enterprisesSettings,
} as const;
