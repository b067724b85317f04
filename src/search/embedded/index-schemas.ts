/**
 * What the embedded engine indexes of each document kind, and how much each text field
 * weighs: the embedded counterpart of index-config/ for Meilisearch.
 *
 * Weights: per-field saturation caps what a field can give at weight·(k1+1), while one match
 * in a title of ordinary length (up to ~40 words) gives more than 2.2 × 1, so a title match
 * beats a description-only match however often the description repeats the word.
 */
import type { EnterpriseDoc, TenderDoc } from "../documents.js";
import type { IndexSchema } from "./inverted-index.js";

export const TENDER_SCHEMA: IndexSchema<TenderDoc> = {
  id: (d) => d.id,
  language: (d) => d.language,
  text: [
    { name: "title", weight: 8, averageLength: 6, read: (d) => d.title },
    { name: "lotTitles", weight: 5, averageLength: 12, read: (d) => d.lotTitles },
    { name: "buyerName", weight: 4, averageLength: 3, repeats: true, read: (d) => d.buyerName },
    { name: "placeName", weight: 3, averageLength: 1, repeats: true, read: (d) => d.placeName },
    { name: "cpvLabels", weight: 2, averageLength: 40, repeats: true, read: (d) => d.cpvLabels },
    { name: "description", weight: 1, averageLength: 60, read: (d) => d.description },
  ],
  keywords: [
    { name: "stage", multi: false, filter: true, facet: true, read: (d) => d.stage },
    { name: "reserved", multi: true, filter: true, facet: true, read: (d) => d.reserved },
    { name: "buyerId", multi: false, filter: true, facet: true, read: (d) => d.buyerId },
    { name: "country", multi: false, filter: true, facet: true, read: (d) => d.country },
    { name: "municipality", multi: false, filter: true, facet: true, read: (d) => d.municipality },
    { name: "nutsPrefixes", multi: true, filter: true, facet: false, read: (d) => d.nutsPrefixes },
    { name: "nuts3", multi: true, filter: false, facet: true, read: (d) => d.nuts3 },
    { name: "cpvPrefixes", multi: true, filter: true, facet: false, read: (d) => d.cpvPrefixes },
    { name: "cpvDivisions", multi: true, filter: true, facet: true, read: (d) => d.cpvDivisions },
    { name: "valueBand", multi: false, filter: true, facet: true, read: (d) => d.valueBand },
  ],
  numbers: [
    { name: "valueEur", read: (d) => d.valueEur },
    { name: "expectedDate", read: (d) => d.expectedDate },
    { name: "deadlineDate", read: (d) => d.deadlineDate },
    { name: "lastChanged", read: (d) => d.lastChanged },
  ],
  strings: [],
  geo: (d) => d._geo,
};

export const ENTERPRISE_SCHEMA: IndexSchema<EnterpriseDoc> = {
  id: (d) => d.id,
  language: (d) => d.language,
  text: [
    { name: "name", weight: 8, averageLength: 3, read: (d) => d.name },
    { name: "keywords", weight: 5, averageLength: 6, repeats: true, read: (d) => d.keywords },
    { name: "cpvLabels", weight: 2, averageLength: 30, repeats: true, read: (d) => d.cpvLabels },
    { name: "municipalityName", weight: 2, averageLength: 1, repeats: true, read: (d) => d.municipalityName },
    { name: "description", weight: 1, averageLength: 40, read: (d) => d.description },
  ],
  keywords: [
    { name: "cpv", multi: true, filter: true, facet: false, read: (d) => d.cpv },
    { name: "cpvPrefixes", multi: true, filter: true, facet: false, read: (d) => d.cpvPrefixes },
    { name: "cpvDivisions", multi: true, filter: true, facet: true, read: (d) => d.cpvDivisions },
    { name: "country", multi: false, filter: true, facet: true, read: (d) => d.country },
    { name: "municipality", multi: false, filter: true, facet: true, read: (d) => d.municipality },
    { name: "certifications", multi: true, filter: true, facet: true, read: (d) => d.certifications },
    { name: "eligibleFor", multi: true, filter: true, facet: true, read: (d) => d.eligibleFor },
    { name: "openToConsortia", multi: false, filter: true, facet: false, read: (d) => d.openToConsortia },
    {
      name: "openToSubcontracting",
      multi: false,
      filter: true,
      facet: false,
      read: (d) => d.openToSubcontracting,
    },
  ],
  numbers: [
    { name: "turnoverEur", read: (d) => d.turnoverEur },
    { name: "employees", read: (d) => d.employees },
  ],
  strings: [{ name: "nameSort", read: (d) => d.nameSort }],
  geo: (d) => d._geo,
};
