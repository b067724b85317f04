import type { Settings } from "meilisearch";
import { DOCUMENT_KEY, SHARED_SETTINGS } from "./tenders.js";

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
  ...SHARED_SETTINGS,
} satisfies Settings;

export const enterprisesIndex = {
  name: "enterprises",
  uidSuffix: "enterprises",
  primaryKey: DOCUMENT_KEY,
  settings: enterprisesSettings,
} as const;
