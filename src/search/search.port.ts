import type { Reservation, TenderStage } from "../domain/tender.js";
import type { EnterpriseDoc, TenderDoc } from "./documents.js";

/**
 * The search port. The store is the truth; an engine holds documents derived from it
 * (documents.ts) and can be rebuilt from the store at any time. Two adapters implement it: the
 * embedded engine (default, in-process) and Meilisearch (when MEILI_URL is set). Both pass the
 * conformance suite in test/integration/search/conformance.ts.
 */

export const TENDER_SORTS = [
  "relevance",
  "newest",
  "expected",
  "deadline",
  "value-desc",
  "value-asc",
] as const;
export type TenderSort = (typeof TENDER_SORTS)[number];

export const TENDER_FACETS = [
  "stage",
  "reserved",
  "buyerId",
  "country",
  "nuts3",
  "municipality",
  "cpvDivisions",
  "valueBand",
] as const;
export type TenderFacet = (typeof TENDER_FACETS)[number];

export const ENTERPRISE_SORTS = ["relevance", "name", "distance"] as const;
export type EnterpriseSort = (typeof ENTERPRISE_SORTS)[number];

export const ENTERPRISE_FACETS = [
  "country",
  "municipality",
  "certifications",
  "cpvDivisions",
  "eligibleFor",
] as const;
export type EnterpriseFacet = (typeof ENTERPRISE_FACETS)[number];

export const ELIGIBILITIES = ["res-ws", "res-pub-ser"] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];

/**
 * Filters are ANDed across fields and ORed within one field (stage=planned&stage=open means
 * planned or open). Codes arrive normalised: `cpv` holds significant-digit prefixes ("909"),
 * `nuts` upper-case prefixes ("DK04"), dates ISO "YYYY-MM-DD" (inclusive).
 */
export interface TenderQuery {
  q?: string;
  /** Language of the query, a hint for stemming; all four languages are tried without it. */
  lang?: string;
  stage?: TenderStage[];
  reserved?: Reservation[];
  buyerId?: string[];
  country?: string[];
  nuts?: string[];
  municipality?: string[];
  cpv?: string[];
  minValueEur?: number;
  maxValueEur?: number;
  expectedFrom?: string;
  expectedTo?: string;
  deadlineFrom?: string;
  deadlineTo?: string;
  sort: TenderSort;
  offset: number;
  limit: number;
  facets: readonly TenderFacet[];
}

export interface EnterpriseQuery {
  q?: string;
  lang?: string;
  /** Exact codes the enterprise has (any of them). Used by matching to find who covers a code. */
  cpvCodes?: string[];
  /** Significant-digit prefixes: an enterprise with any code under one of them. */
  cpv?: string[];
  country?: string[];
  municipality?: string[];
  certification?: string[];
  eligibleFor?: Eligibility[];
  openToConsortia?: boolean;
  openToSubcontracting?: boolean;
  /** Enterprises whose location is within `radiusKm` of the point. */
  near?: { lat: number; lon: number; radiusKm: number };
  sort: EnterpriseSort;
  offset: number;
  limit: number;
  facets: readonly EnterpriseFacet[];
}

export type FacetCounts = Record<string, Record<string, number>>;

export interface SearchHits {
  /** Ids of the hits of the page asked for, best first. */
  ids: string[];
  /** Number of documents that match, over all pages. */
  total: number;
  /** Facet value counts over all matching documents (not only the page). */
  facets: FacetCounts;
}

export interface SearchHealth {
  ok: boolean;
  engine: "embedded" | "meilisearch";
  documents?: { tenders: number; enterprises: number };
  error?: string;
}

export interface SearchEngine {
  readonly kind: "embedded" | "meilisearch";
  upsertTenders(docs: readonly TenderDoc[]): Promise<void>;
  deleteTenders(ids: readonly string[]): Promise<void>;
  upsertEnterprises(docs: readonly EnterpriseDoc[]): Promise<void>;
  deleteEnterprises(ids: readonly string[]): Promise<void>;
  /** Removes every document of both indexes (before a rebuild). */
  clear(): Promise<void>;
  searchTenders(query: TenderQuery): Promise<SearchHits>;
  searchEnterprises(query: EnterpriseQuery): Promise<SearchHits>;
  health(): Promise<SearchHealth>;
}
