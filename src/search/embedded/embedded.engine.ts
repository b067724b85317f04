/**
 * The embedded SearchEngine: two in-memory inverted indexes (tenders, enterprises) in the same
 * process, rebuilt from the store at start. The default adapter; pure JavaScript, so it runs on
 * Node and inside a Worker alike.
 */
import { dateToMs, type EnterpriseDoc, type TenderDoc } from "../documents.js";
import type { EnterpriseQuery, SearchEngine, SearchHealth, SearchHits, TenderQuery } from "../search.port.js";
import { Analyzer } from "./analyzer.js";
import { ENTERPRISE_SCHEMA, TENDER_SCHEMA } from "./index-schemas.js";
import { InvertedIndex, type IndexSort, type KeywordFilter, type RangeFilter } from "./inverted-index.js";

const DAY_MS = 86_400_000;

export interface EmbeddedSearchOptions {
  /**
   * Compact an index after a write once dead documents exceed this share of its slots (and
   * `compactMinDead`). Defaults: 0.25 and 1000.
   */
  compactRatio?: number;
  compactMinDead?: number;
}

function dateRange(field: string, from: string | undefined, to: string | undefined): RangeFilter[] {
  if (from === undefined && to === undefined) return [];
  return [
    {
      field,
      ...(from !== undefined ? { gte: dateToMs(from) } : {}),
      ...(to !== undefined ? { lt: dateToMs(to) + DAY_MS } : {}),
    },
  ];
}

function keyword(field: string, values: readonly string[] | undefined): KeywordFilter[] {
  return values === undefined || values.length === 0 ? [] : [{ field, values }];
}

function hasText(q: string | undefined): q is string {
  return q !== undefined && q.trim() !== "";
}

const TENDER_SORTS: Readonly<Record<Exclude<TenderQuery["sort"], "relevance">, IndexSort>> = {
  newest: { by: "number", field: "lastChanged", descending: true },
  expected: { by: "number", field: "expectedDate", descending: false },
  deadline: { by: "number", field: "deadlineDate", descending: false },
  "value-desc": { by: "number", field: "valueEur", descending: true },
  "value-asc": { by: "number", field: "valueEur", descending: false },
};

const BY_NAME: IndexSort = { by: "string", field: "nameSort" };

export class EmbeddedSearchEngine implements SearchEngine {
  readonly kind = "embedded" as const;
  private analyzer = new Analyzer();
  private tenders: InvertedIndex<TenderDoc>;
  private enterprises: InvertedIndex<EnterpriseDoc>;
  private readonly compactRatio: number;
  private readonly compactMinDead: number;

  constructor(options: EmbeddedSearchOptions = {}) {
    this.compactRatio = options.compactRatio ?? 0.25;
    this.compactMinDead = options.compactMinDead ?? 1000;
    this.tenders = new InvertedIndex(TENDER_SCHEMA, this.analyzer);
    this.enterprises = new InvertedIndex(ENTERPRISE_SCHEMA, this.analyzer);
  }

  async upsertTenders(docs: readonly TenderDoc[]): Promise<void> {
    for (const doc of docs) this.tenders.upsert(doc);
    this.maybeCompact(this.tenders);
  }

  async deleteTenders(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.tenders.delete(id);
    this.maybeCompact(this.tenders);
  }

  async upsertEnterprises(docs: readonly EnterpriseDoc[]): Promise<void> {
    for (const doc of docs) this.enterprises.upsert(doc);
    this.maybeCompact(this.enterprises);
  }

  async deleteEnterprises(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.enterprises.delete(id);
    this.maybeCompact(this.enterprises);
  }

  async clear(): Promise<void> {
    // A new analyzer too: its word ids and caches would otherwise outlive every document.
    this.analyzer = new Analyzer();
    this.tenders = new InvertedIndex(TENDER_SCHEMA, this.analyzer);
    this.enterprises = new InvertedIndex(ENTERPRISE_SCHEMA, this.analyzer);
  }

  /** Rewrites both indexes without their dead documents (also done on its own after writes). */
  compact(): void {
    this.tenders.compact();
    this.enterprises.compact();
  }

  /** Dead documents waiting for compaction, per index. */
  deadDocuments(): { tenders: number; enterprises: number } {
    return { tenders: this.tenders.dead, enterprises: this.enterprises.dead };
  }

  private maybeCompact(index: InvertedIndex<TenderDoc> | InvertedIndex<EnterpriseDoc>): void {
    const dead = index.dead;
    if (dead >= this.compactMinDead && dead >= this.compactRatio * (dead + index.size)) index.compact();
    index.commit();
  }

  async searchTenders(query: TenderQuery): Promise<SearchHits> {
    const text = hasText(query.q);
    const sort: IndexSort =
      query.sort === "relevance"
        ? text
          ? { by: "relevance", fallback: TENDER_SORTS.newest }
          : TENDER_SORTS.newest
        : TENDER_SORTS[query.sort];
    const value: RangeFilter[] =
      query.minValueEur === undefined && query.maxValueEur === undefined
        ? []
        : [
            {
              field: "valueEur",
              ...(query.minValueEur !== undefined ? { gte: query.minValueEur } : {}),
              ...(query.maxValueEur !== undefined ? { lte: query.maxValueEur } : {}),
            },
          ];
    return this.tenders.search({
      ...(text ? { text: query.q } : {}),
      ...(query.lang !== undefined ? { language: query.lang } : {}),
      filters: [
        ...keyword("stage", query.stage),
        ...keyword("reserved", query.reserved),
        ...keyword("buyerId", query.buyerId),
        ...keyword("country", query.country),
        ...keyword("nutsPrefixes", query.nuts),
        ...keyword("municipality", query.municipality),
        ...keyword("cpvPrefixes", query.cpv),
      ],
      ranges: [
        ...value,
        ...dateRange("expectedDate", query.expectedFrom, query.expectedTo),
        ...dateRange("deadlineDate", query.deadlineFrom, query.deadlineTo),
      ],
      sort,
      offset: query.offset,
      limit: query.limit,
      facets: query.facets,
    });
  }

  async searchEnterprises(query: EnterpriseQuery): Promise<SearchHits> {
    const text = hasText(query.q);
    const sort: IndexSort =
      query.sort === "distance" && query.near
        ? { by: "distance" }
        : query.sort === "relevance" && text
          ? { by: "relevance", fallback: BY_NAME }
          : BY_NAME;
    const flag = (field: string, value: boolean | undefined): KeywordFilter[] =>
      value === undefined ? [] : [{ field, values: [value ? "true" : "false"] }];
    return this.enterprises.search({
      ...(text ? { text: query.q } : {}),
      ...(query.lang !== undefined ? { language: query.lang } : {}),
      filters: [
        ...keyword("cpv", query.cpvCodes),
        ...keyword("cpvPrefixes", query.cpv),
        ...keyword("country", query.country),
        ...keyword("municipality", query.municipality),
        ...keyword("certifications", query.certification),
        ...keyword("eligibleFor", query.eligibleFor),
        ...flag("openToConsortia", query.openToConsortia),
        ...flag("openToSubcontracting", query.openToSubcontracting),
      ],
      ...(query.near ? { near: query.near } : {}),
      sort,
      offset: query.offset,
      limit: query.limit,
      facets: query.facets,
    });
  }

  async health(): Promise<SearchHealth> {
    return {
      ok: true,
      engine: "embedded",
      documents: { tenders: this.tenders.size, enterprises: this.enterprises.size },
    };
  }
}

export function createEmbeddedSearchEngine(options: EmbeddedSearchOptions = {}): EmbeddedSearchEngine {
  return new EmbeddedSearchEngine(options);
}
