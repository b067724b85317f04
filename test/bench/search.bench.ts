/**
 * The search benchmark: the embedded engine against the plain linear scan (the reference
 * semantics, test/support/linear-scan.ts) and the alternatives it was chosen against, Orama
 * and MiniSearch, on the same synthetic corpus (synthetic.ts) and the same 200 queries.
 *
 * For each contender: build time, memory retained after a full gc (V8 heap + external memory,
 * which holds typed arrays) and RSS growth, and latency per query (p50, p95, max). The
 * alternatives get the same text analysis as the engine (folded words and snowball stems in
 * the document's language, fed to them pre-analyzed); where one cannot express a filter, facet
 * or sort natively, the remainder is done in JavaScript on its results and listed in its notes.
 */
import { create, insertMultiple, search as oramaSearch } from "@orama/orama";
import { stemmer as danish } from "@orama/stemmers/danish";
import { stemmer as english } from "@orama/stemmers/english";
import { stemmer as norwegian } from "@orama/stemmers/norwegian";
import { stemmer as swedish } from "@orama/stemmers/swedish";
import MiniSearch, { type Query as MiniQuery, type SearchOptions as MiniOptions } from "minisearch";
import { distanceKm } from "../../src/domain/geo.js";
import { fold } from "../../src/domain/text.js";
import {
  dateToMs,
  enterpriseDocument,
  tenderDocument,
  type EnterpriseDoc,
  type TenderDoc,
} from "../../src/search/documents.js";
import { createEmbeddedSearchEngine } from "../../src/search/embedded/embedded.engine.js";
import {
  ENTERPRISE_FACETS,
  TENDER_FACETS,
  type EnterpriseQuery,
  type FacetCounts,
  type SearchHits,
  type TenderQuery,
} from "../../src/search/search.port.js";
import { matchesEnterprise, matchesTender, scanEnterprises, scanTenders } from "../support/linear-scan.js";
import { seededRandom, syntheticEnterprises, syntheticTenders, validateSample } from "./synthetic.js";

// ------------------------------------------------------------------------------ options, report

export interface SearchBenchOptions {
  tenders?: number;
  enterprises?: number;
  queries?: number;
  seed?: number;
  /** Also measure Orama and MiniSearch (default true). */
  alternatives?: boolean;
  /**
   * Orama builds slowly and holds a lot of memory per document: it is measured on the first
   * `oramaShare` of the corpus (default 0.25), next to the embedded engine on the same share.
   */
  oramaShare?: number;
  /** Wall-clock budget for the linear scan's queries; it runs an even sample within it. */
  scanBudgetMs?: number;
  /** Wall-clock budget for each alternative's queries (default 100 s). */
  alternativeBudgetMs?: number;
  log?: (line: string) => void;
}

export interface LatencyFigures {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface ContenderFigures {
  name: string;
  documents: { tenders: number; enterprises: number };
  buildMs: number;
  /** First query of each sort after the build (the embedded engine sorts its columns then). */
  warmupMs: number;
  retainedMB: number;
  heapMB: number;
  externalMB: number;
  rssGrowthMB: number;
  /** Resident set size of the whole process after the build (corpus and bench included). */
  rssAfterMB: number;
  latency: LatencyFigures;
  /** Latency per kind of query. */
  byKind: Record<string, LatencyFigures>;
  /** Queries whose total differs from the linear scan's, among filter-only queries. */
  filterMismatches: number;
  notes: string[];
}

export interface SearchBenchReport {
  corpus: { tenders: number; enterprises: number; queries: number; seed: number; generateMs: number };
  contenders: ContenderFigures[];
  /**
   * Embedded p50/p95 divided by each other contender's, on the queries both ran, against the
   * embedded run over the same documents.
   */
  ratios: Record<string, { p50: number; p95: number; queries: number; documents: number }>;
  targets: { p95Ms: number; buildMs: number; rssMB: number; met: Record<string, boolean> };
  table: string;
}

// ------------------------------------------------------------------------------ queries

type BenchQuery =
  | { kind: string; index: "tenders"; query: TenderQuery }
  | { kind: string; index: "enterprises"; query: EnterpriseQuery };

const TYPED_QUERIES = [
  "rengøring",
  "rengøringen",
  "rengoring",
  "skoler",
  "catering",
  "vinduespolering",
  "städning",
  "upphandling",
  "cleaning services",
  "transport",
  "grønne områder",
  "snerydning",
  "møbler",
  "kantine",
  "software",
  "reparation",
  "vedligeholdelse",
  "mad til ældre",
  "förskolor",
  "barnehager",
  "rammeaftale",
  "konsulentbistand",
  "undervisning",
  "renhold",
  "it support",
  "byggearbejde",
  "legetøj",
  "lokalvård",
  "catering til arrangementer",
  "kontorartikler",
];

function makeQueries(
  tenders: readonly TenderDoc[],
  enterprises: readonly EnterpriseDoc[],
  count: number,
  seed: number,
): BenchQuery[] {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error("empty");
    return item;
  };
  const chance = (p: number): boolean => random() < p;
  const someDoc = (): TenderDoc => pick(tenders);

  const typo = (word: string): string => {
    if (word.length < 5) return word;
    const i = int(1, word.length - 2);
    return chance(0.5)
      ? word.slice(0, i) + (word[i + 1] ?? "") + (word[i] ?? "") + word.slice(i + 2)
      : word.slice(0, i) + word.slice(i + 1);
  };
  const text = (): { q: string; lang?: string } => {
    if (chance(0.4)) return { q: pick(TYPED_QUERIES) };
    const doc = someDoc();
    const source = chance(0.6) ? doc.title : pick(doc.cpvLabels.length > 0 ? doc.cpvLabels : [doc.title]);
    const words = source.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
    const first = words.length > 0 ? pick(words) : "service";
    const roll = random();
    const hint = chance(0.3) ? { lang: doc.language } : {};
    if (roll < 0.35) return { q: first, ...hint };
    if (roll < 0.55) return { q: typo(first), ...hint };
    if (roll < 0.75) return { q: first.slice(0, Math.max(3, Math.min(first.length, int(3, 6)))), ...hint };
    const second = words.length > 1 ? pick(words) : first;
    return { q: `${first} ${second}`, ...hint };
  };
  const filters = (): Partial<TenderQuery> => {
    const doc = someDoc();
    const out: Partial<TenderQuery> = {};
    if (chance(0.5)) out.stage = chance(0.5) ? ["planned"] : ["planned", "open"];
    if (chance(0.5)) out.country = [doc.country];
    if (chance(0.25)) out.reserved = [pick(["res-ws", "res-pub-ser"] as const)];
    if (chance(0.2)) out.buyerId = [doc.buyerId];
    if (Object.keys(out).length === 0) out.stage = ["open"];
    return out;
  };
  const cpvPrefix = (): string => {
    const doc = someDoc();
    const prefixes = doc.cpvPrefixes.filter((p) => p.length <= 5);
    return prefixes.length > 0 ? pick(prefixes) : "90";
  };
  const nutsPrefix = (): string => {
    const doc = pick(tenders.filter((d) => d.nutsPrefixes.length > 0).slice(0, 5000));
    return pick(doc.nutsPrefixes.filter((p) => p.length >= 3));
  };
  const base = (): TenderQuery => ({ sort: "relevance", offset: 0, limit: 20, facets: [] });
  const month = (): string => `${pick(["2026", "2027", "2028"])}-${String(int(1, 12)).padStart(2, "0")}-01`;
  const endOfRange = (from: string, months: number): string => {
    const d = new Date(dateToMs(from));
    d.setUTCMonth(d.getUTCMonth() + months);
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  };

  const plan: [string, number, () => BenchQuery][] = [
    ["text", 25, () => ({ kind: "text", index: "tenders", query: { ...base(), ...text() } })],
    [
      "text+facets",
      25,
      () => ({
        kind: "text+facets",
        index: "tenders",
        query: { ...base(), ...text(), facets: TENDER_FACETS },
      }),
    ],
    [
      "filters+facets",
      25,
      () => ({
        kind: "filters+facets",
        index: "tenders",
        query: { ...base(), ...filters(), facets: TENDER_FACETS },
      }),
    ],
    [
      "text+filters+facets",
      25,
      () => ({
        kind: "text+filters+facets",
        index: "tenders",
        query: { ...base(), ...text(), ...filters(), facets: TENDER_FACETS },
      }),
    ],
    [
      "cpv",
      20,
      () => ({
        kind: "cpv",
        index: "tenders",
        query: {
          ...base(),
          cpv: chance(0.3) ? [cpvPrefix(), cpvPrefix()] : [cpvPrefix()],
          ...(chance(0.4) ? text() : {}),
          sort: chance(0.5) ? "relevance" : "value-desc",
          facets: TENDER_FACETS,
        },
      }),
    ],
    [
      "nuts",
      15,
      () => ({
        kind: "nuts",
        index: "tenders",
        query: { ...base(), nuts: [nutsPrefix()], facets: TENDER_FACETS },
      }),
    ],
    [
      "ranges",
      20,
      () => {
        const from = month();
        const roll = random();
        const range: Partial<TenderQuery> =
          roll < 0.35
            ? {
                minValueEur: pick([50_000, 100_000, 500_000, 1_000_000]),
                ...(chance(0.5) ? { maxValueEur: 10_000_000 } : {}),
              }
            : roll < 0.7
              ? { expectedFrom: from, expectedTo: endOfRange(from, int(1, 6)), sort: "expected" }
              : { deadlineFrom: from, deadlineTo: endOfRange(from, int(1, 12)), sort: "deadline" };
        return {
          kind: "ranges",
          index: "tenders",
          query: { ...base(), ...range, facets: chance(0.5) ? TENDER_FACETS : [] },
        };
      },
    ],
    [
      "sorted pages",
      15,
      () => ({
        kind: "sorted pages",
        index: "tenders",
        query: {
          ...base(),
          sort: pick(["newest", "expected", "deadline", "value-desc", "value-asc"] as const),
          offset: 20 * int(0, 25),
          ...(chance(0.5) ? filters() : {}),
        },
      }),
    ],
    [
      "enterprises",
      30,
      () => {
        const e = pick(enterprises);
        const near = e._geo
          ? { lat: e._geo.lat, lon: e._geo.lng, radiusKm: pick([20, 50, 100, 150]) }
          : undefined;
        const roll = random();
        const query: EnterpriseQuery =
          roll < 0.3 && near
            ? {
                sort: "distance",
                near,
                cpv: [pick(e.cpvPrefixes.length > 0 ? e.cpvPrefixes : ["90"]).slice(0, 3)],
                offset: 0,
                limit: 20,
                facets: ENTERPRISE_FACETS,
              }
            : roll < 0.55
              ? { sort: "relevance", q: text().q, offset: 0, limit: 20, facets: ENTERPRISE_FACETS }
              : roll < 0.75
                ? { sort: "name", cpvCodes: e.cpv.slice(0, 2), offset: 0, limit: 50, facets: [] }
                : {
                    sort: "name",
                    eligibleFor: ["res-ws"],
                    country: [e.country],
                    offset: 20 * int(0, 10),
                    limit: 20,
                    facets: ENTERPRISE_FACETS,
                  };
        return { kind: "enterprises", index: "enterprises", query };
      },
    ],
  ];
  const total = plan.reduce((s, [, n]) => s + n, 0);
  const queries: BenchQuery[] = [];
  for (const [, n, make] of plan) {
    const share = Math.max(1, Math.round((n * count) / total));
    for (let i = 0; i < share; i++) queries.push(make());
  }
  // Interleave the kinds deterministically, as real traffic would.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = queries[i];
    const b = queries[j];
    if (a && b) {
      queries[i] = b;
      queries[j] = a;
    }
  }
  return queries.slice(0, count);
}

function isFilterOnly(q: BenchQuery): boolean {
  return q.query.q === undefined;
}

// ------------------------------------------------------------------------------ shared analysis

type Stemmer = (word: string) => string;
const STEMMER: Readonly<Record<string, Stemmer>> = {
  da: danish,
  sv: swedish,
  nb: norwegian,
  no: norwegian,
  nn: norwegian,
  en: english,
};
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The engine's analysis, as plain strings for the alternatives: folded words and stems. */
class PlainAnalyzer {
  private readonly folded = new Map<string, string>();
  private readonly stemmed = new Map<string, string>();

  private fold(word: string): string {
    let out = this.folded.get(word);
    if (out === undefined) {
      out = fold(word).slice(0, 48);
      this.folded.set(word, out);
    }
    return out;
  }

  private stem(word: string, lang: string): string {
    const stemmer = STEMMER[lang];
    if (!stemmer) return this.fold(word);
    const key = `${lang}:${word}`;
    let out = this.stemmed.get(key);
    if (out === undefined) {
      out = this.fold(stemmer(word)).slice(0, 48);
      this.stemmed.set(key, out);
    }
    return out;
  }

  /** Folded words of the texts joined by spaces, and their stems joined by spaces. */
  analyze(texts: readonly (string | null)[], lang: string): { words: string; stems: string } {
    const words: string[] = [];
    const stems: string[] = [];
    for (const text of texts) {
      if (text === null) continue;
      for (const match of text.normalize("NFC").toLowerCase().matchAll(WORD)) {
        const w = this.fold(match[0]);
        if (w === "") continue;
        words.push(w);
        stems.push(this.stem(match[0], lang));
      }
    }
    return { words: words.join(" "), stems: stems.join(" ") };
  }

  queryWords(
    q: string,
    lang: string | undefined,
  ): { term: string; stems: string[]; prefix: boolean; typos: number }[] {
    const lower = q.normalize("NFC").toLowerCase();
    const langs = lang === undefined ? ["da", "sv", "nb", "en"] : [lang];
    const out = [...lower.matchAll(WORD)]
      .map((m) => {
        const term = this.fold(m[0]);
        const length = [...term].length;
        return {
          term,
          stems: [...new Set(langs.map((l) => this.stem(m[0], l)))],
          prefix: false,
          typos: length >= 9 ? 2 : length >= 5 ? 1 : 0,
        };
      })
      .filter((w) => w.term !== "");
    const last = out[out.length - 1];
    if (last && /[\p{L}\p{M}\p{N}]$/u.test(lower)) last.prefix = true;
    return out;
  }
}

// ------------------------------------------------------------------------------ contenders

interface Contender {
  name: string;
  notes: string[];
  /** Run one query of each sort before measuring (the embedded engine sorts its columns then). */
  warmup: boolean;
  build(tenders: readonly TenderDoc[], enterprises: readonly EnterpriseDoc[]): Promise<void>;
  tenders(q: TenderQuery): Promise<SearchHits> | SearchHits;
  enterprises(q: EnterpriseQuery): Promise<SearchHits> | SearchHits;
  release(): void;
}

function facetsOf<D>(docs: Iterable<D>, facets: readonly string[]): FacetCounts {
  const out: FacetCounts = {};
  for (const facet of facets) out[facet] = {};
  for (const d of docs) {
    for (const facet of facets) {
      const raw = (d as Record<string, unknown>)[facet];
      const counts = out[facet];
      if (!counts || raw === null || raw === undefined) continue;
      const values = Array.isArray(raw) ? new Set(raw.map(String)) : [String(raw)];
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
    }
  }
  return out;
}

type Key<D> = (d: D) => number | string | null;
function sortDocs<D extends { id: string }>(docs: D[], key: Key<D>, dir: 1 | -1): D[] {
  return docs.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null)
      return ka === null && kb === null ? (a.id < b.id ? -1 : 1) : ka === null ? 1 : -1;
    if (ka !== kb) return (ka < kb ? -1 : 1) * dir;
    return a.id < b.id ? -1 : 1;
  });
}

const TENDER_SORT_KEYS: Readonly<Record<string, [Key<TenderDoc>, 1 | -1]>> = {
  newest: [(d) => d.lastChanged, -1],
  expected: [(d) => d.expectedDate, 1],
  deadline: [(d) => d.deadlineDate, 1],
  "value-desc": [(d) => d.valueEur, -1],
  "value-asc": [(d) => d.valueEur, 1],
};

function embeddedContender(): Contender {
  let engine = createEmbeddedSearchEngine();
  return {
    name: "embedded",
    notes: ["everything native"],
    warmup: true,
    async build(tenders, enterprises) {
      await engine.upsertTenders(tenders);
      await engine.upsertEnterprises(enterprises);
    },
    tenders: (q) => engine.searchTenders(q),
    enterprises: (q) => engine.searchEnterprises(q),
    release() {
      engine = createEmbeddedSearchEngine();
    },
  };
}

function scanContender(): Contender {
  let tenders: readonly TenderDoc[] = [];
  let enterprises: readonly EnterpriseDoc[] = [];
  return {
    name: "linear scan",
    notes: [
      "no index: every query tests every document (prefix text match, no stems or typos)",
      "its 'build' is one text query per index, which fills the reference's cache of each document's folded words",
    ],
    warmup: false,
    async build(t, e) {
      tenders = t;
      enterprises = e;
      // The reference keeps each document's folded words after first use: fill that cache
      // here, so that the first measured text query does not pay for folding every document.
      scanTenders(tenders, { q: "a", sort: "relevance", offset: 0, limit: 1, facets: [] });
      scanEnterprises(enterprises, { q: "a", sort: "relevance", offset: 0, limit: 1, facets: [] });
    },
    tenders: (q) => scanTenders(tenders, q),
    enterprises: (q) => scanEnterprises(enterprises, q),
    release() {
      tenders = [];
      enterprises = [];
    },
  };
}

const TENDER_TEXT = ["title", "lotTitles", "buyerName", "placeName", "cpvLabels", "description"] as const;
const TENDER_BOOST = { title: 8, lotTitles: 5, buyerName: 4, placeName: 3, cpvLabels: 2, description: 1 };
const ENTERPRISE_TEXT = ["name", "keywords", "cpvLabels", "municipalityName", "description"] as const;
const ENTERPRISE_BOOST = { name: 8, keywords: 5, cpvLabels: 2, municipalityName: 2, description: 1 };

function tenderTexts(d: TenderDoc): Record<(typeof TENDER_TEXT)[number], (string | null)[]> {
  return {
    title: [d.title],
    lotTitles: d.lotTitles,
    buyerName: [d.buyerName],
    placeName: [d.placeName],
    cpvLabels: d.cpvLabels,
    description: [d.description],
  };
}

function enterpriseTexts(d: EnterpriseDoc): Record<(typeof ENTERPRISE_TEXT)[number], (string | null)[]> {
  return {
    name: [d.name],
    keywords: d.keywords,
    cpvLabels: d.cpvLabels,
    municipalityName: [d.municipalityName],
    description: [d.description],
  };
}

/** Each text field analysed once: its words, every word and stem together, and the stems alone. */
function analyzedFields<N extends string>(
  analyzer: PlainAnalyzer,
  names: readonly N[],
  texts: Record<N, (string | null)[]>,
  language: string,
): { fields: Record<string, string>; all: string; stems: string } {
  const fields: Record<string, string> = {};
  const all: string[] = [];
  const stems: string[] = [];
  for (const name of names) {
    const a = analyzer.analyze(texts[name], language);
    fields[name] = a.words;
    all.push(a.words, a.stems);
    stems.push(a.stems);
  }
  return { fields, all: all.join(" "), stems: stems.join(" ") };
}

function oramaContender(): Contender {
  const analyzer = new PlainAnalyzer();
  const tokenizer = {
    language: "english",
    normalizationCache: new Map<string, string>(),
    tokenize: (raw: string): string[] => raw.split(" ").filter((t) => t !== ""),
  };
  const tenderSchema = {
    title: "string",
    lotTitles: "string",
    buyerName: "string",
    placeName: "string",
    cpvLabels: "string",
    description: "string",
    all: "string",
    stage: "enum",
    reserved: "enum[]",
    buyerId: "enum",
    country: "enum",
    municipality: "enum",
    nutsPrefixes: "enum[]",
    nuts3: "enum[]",
    cpvPrefixes: "enum[]",
    cpvDivisions: "enum[]",
    valueBand: "enum",
    valueEur: "number",
    expectedDate: "number",
    deadlineDate: "number",
    lastChanged: "number",
  } as const;
  const enterpriseSchema = {
    name: "string",
    keywords: "string",
    cpvLabels: "string",
    municipalityName: "string",
    description: "string",
    all: "string",
    cpv: "enum[]",
    cpvPrefixes: "enum[]",
    cpvDivisions: "enum[]",
    country: "enum",
    municipality: "enum",
    certifications: "enum[]",
    eligibleFor: "enum[]",
    openToConsortia: "boolean",
    openToSubcontracting: "boolean",
    nameSort: "string",
    location: "geopoint",
  } as const;
  const makeTenders = () => create({ schema: tenderSchema, components: { tokenizer } });
  const makeEnterprises = () => create({ schema: enterpriseSchema, components: { tokenizer } });
  let tdb = makeTenders();
  let edb = makeEnterprises();

  const compact = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

  const textParams = (q: string | undefined, lang: string | undefined) => {
    if (q === undefined || q.trim() === "") return undefined;
    const words = analyzer.queryWords(q, lang);
    if (words.length === 0) return undefined;
    return {
      term: words.map((w) => w.term).join(" "),
      tolerance: Math.min(...words.map((w) => w.typos)),
      threshold: 0,
    };
  };
  const stripEmpty = (
    facets: Record<string, { values: Record<string, number> }> | undefined,
    names: readonly string[],
  ): FacetCounts => {
    const out: FacetCounts = {};
    for (const name of names) {
      const values = { ...(facets?.[name]?.values ?? {}) };
      delete values[""];
      out[name] = values;
    }
    return out;
  };
  const facetParams = (names: readonly string[]) =>
    names.length === 0 ? undefined : Object.fromEntries(names.map((n) => [n, { limit: 100_000 }]));

  return {
    name: "Orama",
    notes: [
      "text: pre-analyzed fields (folded words; an extra `all` field with words and stems makes threshold 0 mean every word anywhere)",
      "typos: one tolerance per query (the smallest any word allows); every word matches as a prefix; no query-side stems",
      "filters, ranges, geo radius, facets, number sorts native; null facet values removed from its counts",
      "distance sort with text: all hits fetched and sorted in JavaScript",
    ],
    warmup: true,
    async build(tenders, enterprises) {
      const tdocs = tenders.map((d) => {
        const { fields, all } = analyzedFields(analyzer, TENDER_TEXT, tenderTexts(d), d.language);
        return compact({
          id: d.id,
          ...fields,
          all,
          stage: d.stage,
          reserved: d.reserved,
          buyerId: d.buyerId,
          country: d.country,
          municipality: d.municipality,
          nutsPrefixes: d.nutsPrefixes,
          nuts3: d.nuts3,
          cpvPrefixes: d.cpvPrefixes,
          cpvDivisions: d.cpvDivisions,
          valueBand: d.valueBand,
          valueEur: d.valueEur,
          expectedDate: d.expectedDate,
          deadlineDate: d.deadlineDate,
          lastChanged: d.lastChanged,
        });
      });
      await insertMultiple(tdb, tdocs as never[], 1000);
      const edocs = enterprises.map((d) => {
        const { fields, all } = analyzedFields(analyzer, ENTERPRISE_TEXT, enterpriseTexts(d), d.language);
        return compact({
          id: d.id,
          ...fields,
          all,
          cpv: d.cpv,
          cpvPrefixes: d.cpvPrefixes,
          cpvDivisions: d.cpvDivisions,
          country: d.country,
          municipality: d.municipality,
          certifications: d.certifications,
          eligibleFor: d.eligibleFor,
          openToConsortia: d.openToConsortia,
          openToSubcontracting: d.openToSubcontracting,
          nameSort: d.nameSort,
          location: d._geo ? { lat: d._geo.lat, lon: d._geo.lng } : undefined,
        });
      });
      await insertMultiple(edb, edocs as never[], 1000);
    },
    async tenders(q) {
      const where: Record<string, unknown> = {};
      if (q.stage?.length) where.stage = { in: q.stage };
      if (q.reserved?.length) where.reserved = { containsAny: q.reserved };
      if (q.buyerId?.length) where.buyerId = { in: q.buyerId };
      if (q.country?.length) where.country = { in: q.country };
      if (q.nuts?.length) where.nutsPrefixes = { containsAny: q.nuts };
      if (q.municipality?.length) where.municipality = { in: q.municipality };
      if (q.cpv?.length) where.cpvPrefixes = { containsAny: q.cpv };
      // Orama takes one operator per property: two bounds become `between` (dates are whole ms).
      const range = (lo: number | undefined, hi: number | undefined) =>
        lo !== undefined && hi !== undefined
          ? { between: [lo, hi] }
          : lo !== undefined
            ? { gte: lo }
            : { lte: hi };
      if (q.minValueEur !== undefined || q.maxValueEur !== undefined)
        where.valueEur = range(q.minValueEur, q.maxValueEur);
      const dates = (from?: string, to?: string) =>
        from === undefined && to === undefined
          ? undefined
          : range(
              from === undefined ? undefined : dateToMs(from),
              to === undefined ? undefined : dateToMs(to) + 86_400_000 - 1,
            );
      const expected = dates(q.expectedFrom, q.expectedTo);
      if (expected) where.expectedDate = expected;
      const deadline = dates(q.deadlineFrom, q.deadlineTo);
      if (deadline) where.deadlineDate = deadline;
      const text = textParams(q.q, q.lang);
      const sort = q.sort === "relevance" ? (text ? undefined : "newest") : q.sort;
      const sortKey = sort ? TENDER_SORT_KEYS[sort] : undefined;
      const sortProperty =
        sort === "newest"
          ? "lastChanged"
          : sort === "expected"
            ? "expectedDate"
            : sort === "deadline"
              ? "deadlineDate"
              : "valueEur";
      const res = await oramaSearch(tdb, {
        ...(text ?? {}),
        ...(text ? { properties: [...TENDER_TEXT, "all"], boost: { ...TENDER_BOOST, all: 0.1 } } : {}),
        where: where as never,
        ...(sortKey ? { sortBy: { property: sortProperty, order: sortKey[1] === 1 ? "ASC" : "DESC" } } : {}),
        ...(q.facets.length > 0 ? { facets: facetParams(q.facets) as never } : {}),
        offset: q.offset,
        limit: q.limit,
      });
      return {
        ids: res.hits.map((h) => String(h.id)),
        total: res.count,
        facets: stripEmpty(res.facets as never, q.facets),
      };
    },
    async enterprises(q) {
      const where: Record<string, unknown> = {};
      if (q.cpvCodes?.length) where.cpv = { containsAny: q.cpvCodes };
      if (q.cpv?.length) where.cpvPrefixes = { containsAny: q.cpv };
      if (q.country?.length) where.country = { in: q.country };
      if (q.municipality?.length) where.municipality = { in: q.municipality };
      if (q.certification?.length) where.certifications = { containsAny: q.certification };
      if (q.eligibleFor?.length) where.eligibleFor = { containsAny: q.eligibleFor };
      if (q.openToConsortia !== undefined) where.openToConsortia = q.openToConsortia;
      if (q.openToSubcontracting !== undefined) where.openToSubcontracting = q.openToSubcontracting;
      if (q.near) {
        where.location = {
          radius: {
            coordinates: { lat: q.near.lat, lon: q.near.lon },
            value: q.near.radiusKm,
            unit: "km",
            inside: true,
            highPrecision: false,
          },
        };
      }
      const text = textParams(q.q, q.lang);
      const byDistance = q.sort === "distance" && q.near !== undefined;
      const byName = !byDistance && !(q.sort === "relevance" && text);
      const fetchAll = byDistance && text !== undefined;
      const res = await oramaSearch(edb, {
        ...(text ?? {}),
        ...(text
          ? { properties: [...ENTERPRISE_TEXT, "all"], boost: { ...ENTERPRISE_BOOST, all: 0.1 } }
          : {}),
        where: where as never,
        ...(byName ? { sortBy: { property: "nameSort", order: "ASC" } } : {}),
        ...(q.facets.length > 0 ? { facets: facetParams(q.facets) as never } : {}),
        offset: fetchAll ? 0 : q.offset,
        limit: fetchAll ? 1_000_000 : q.limit,
      });
      let ids = res.hits.map((h) => String(h.id));
      if (fetchAll && q.near) {
        const near = q.near;
        const hits = res.hits.map(
          (h) => h.document as unknown as { id: string; location?: { lat: number; lon: number } },
        );
        ids = sortDocs(hits, (d) => (d.location ? distanceKm(d.location, near) : null), 1)
          .slice(q.offset, q.offset + q.limit)
          .map((d) => d.id);
      }
      return { ids, total: res.count, facets: stripEmpty(res.facets as never, q.facets) };
    },
    release() {
      tdb = makeTenders();
      edb = makeEnterprises();
    },
  };
}

function miniSearchContender(): Contender {
  const analyzer = new PlainAnalyzer();
  const split = (text: string): string[] => text.split(" ");
  const keep = (term: string): string | null => (term === "" ? null : term);
  const make = (fields: readonly string[]) =>
    new MiniSearch<Record<string, string>>({
      fields: [...fields, "stems"],
      tokenize: split,
      processTerm: keep,
      idField: "id",
    });
  let tindex = make(TENDER_TEXT);
  let eindex = make(ENTERPRISE_TEXT);
  let tenderById = new Map<string, TenderDoc>();
  let enterpriseById = new Map<string, EnterpriseDoc>();

  const textQuery = (
    q: string | undefined,
    lang: string | undefined,
    fields: readonly string[],
  ): MiniQuery | undefined => {
    if (q === undefined || q.trim() === "") return undefined;
    const words = analyzer.queryWords(q, lang);
    if (words.length === 0) return undefined;
    return {
      combineWith: "AND",
      queries: words.map((w) => ({
        combineWith: "OR",
        queries: [
          { queries: [w.term], fields: [...fields], fuzzy: w.typos > 0 ? w.typos : false, prefix: w.prefix },
          { queries: [...new Set([...w.stems, w.term])], fields: ["stems"], fuzzy: false, prefix: false },
        ],
      })),
    };
  };
  const run = <D extends { id: string }>(
    index: MiniSearch<Record<string, string>>,
    byId: Map<string, D>,
    text: MiniQuery | undefined,
    filter: (d: D) => boolean,
    boost: Record<string, number>,
  ): D[] => {
    const options: MiniOptions = {
      boost: { ...boost, stems: 1 },
      filter: (r) => {
        const d = byId.get(String(r.id));
        return d !== undefined && filter(d);
      },
    };
    const results = index.search(text ?? MiniSearch.wildcard, options);
    const out: D[] = [];
    for (const r of results) {
      const d = byId.get(String(r.id));
      if (d) out.push(d);
    }
    return out;
  };

  return {
    name: "MiniSearch",
    notes: [
      "text: pre-analyzed fields plus one `stems` field; per word (exact | fuzzy | prefix) OR stems, words ANDed",
      "filters and geo radius: `filter` callback on every result, looking up the original document (not counted in its memory)",
      "facets, sorts other than relevance, pages: computed in JavaScript over all results; no-text queries use the wildcard",
      "typos: plain Levenshtein with the same per-word limits (no first-letter rule)",
    ],
    warmup: true,
    async build(tenders, enterprises) {
      tenderById = new Map(tenders.map((d) => [d.id, d]));
      enterpriseById = new Map(enterprises.map((d) => [d.id, d]));
      tindex.addAll(
        tenders.map((d) => {
          const { fields, stems } = analyzedFields(analyzer, TENDER_TEXT, tenderTexts(d), d.language);
          return { id: d.id, ...fields, stems };
        }),
      );
      eindex.addAll(
        enterprises.map((d) => {
          const { fields, stems } = analyzedFields(analyzer, ENTERPRISE_TEXT, enterpriseTexts(d), d.language);
          return { id: d.id, ...fields, stems };
        }),
      );
    },
    tenders(q) {
      const text = textQuery(q.q, q.lang, TENDER_TEXT);
      const filter = (d: TenderDoc) => matchesTender(d, { ...q, q: undefined });
      let docs = run(tindex, tenderById, text, filter, TENDER_BOOST);
      const sort = q.sort === "relevance" ? (text ? undefined : "newest") : q.sort;
      const key = sort ? TENDER_SORT_KEYS[sort] : undefined;
      if (key) docs = sortDocs(docs, key[0], key[1]);
      return {
        ids: docs.slice(q.offset, q.offset + q.limit).map((d) => d.id),
        total: docs.length,
        facets: facetsOf(docs, q.facets),
      };
    },
    enterprises(q) {
      const text = textQuery(q.q, q.lang, ENTERPRISE_TEXT);
      const filter = (d: EnterpriseDoc) => matchesEnterprise(d, { ...q, q: undefined });
      let docs = run(eindex, enterpriseById, text, filter, ENTERPRISE_BOOST);
      if (q.sort === "distance" && q.near) {
        const near = q.near;
        docs = sortDocs(
          docs,
          (d) => (d._geo ? distanceKm({ lat: d._geo.lat, lon: d._geo.lng }, near) : null),
          1,
        );
      } else if (!(q.sort === "relevance" && text)) docs = sortDocs(docs, (d) => d.nameSort, 1);
      return {
        ids: docs.slice(q.offset, q.offset + q.limit).map((d) => d.id),
        total: docs.length,
        facets: facetsOf(docs, q.facets),
      };
    },
    release() {
      tindex = make(TENDER_TEXT);
      eindex = make(ENTERPRISE_TEXT);
      tenderById = new Map();
      enterpriseById = new Map();
    },
  };
}

// ------------------------------------------------------------------------------ measuring

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

function memory(): { heap: number; external: number; rss: number } {
  collectGarbage();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external, rss: m.rss };
}

const MB = 1024 * 1024;

function latencyOf(samples: readonly number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return {
    queries: sorted.length,
    p50Ms: rank(0.5),
    p95Ms: rank(0.95),
    maxMs: sorted[sorted.length - 1] ?? 0,
    meanMs: sorted.length === 0 ? 0 : sorted.reduce((s, x) => s + x, 0) / sorted.length,
  };
}

async function runQuery(c: Contender, q: BenchQuery): Promise<SearchHits> {
  return q.index === "tenders" ? await c.tenders(q.query) : await c.enterprises(q.query);
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

async function measureContender(
  contender: Contender,
  tenders: readonly TenderDoc[],
  enterprises: readonly EnterpriseDoc[],
  queries: readonly BenchQuery[],
  expectedTotals: Map<number, number>,
  log: (line: string) => void,
  budgetMs?: number,
): Promise<{ figures: ContenderFigures; samples: Map<number, number> }> {
  const before = memory();
  const t0 = performance.now();
  await contender.build(tenders, enterprises);
  const buildMs = performance.now() - t0;
  const after = memory();
  log(`  ${contender.name}: built in ${(buildMs / 1000).toFixed(1)} s`);

  const w0 = performance.now();
  if (contender.warmup) {
    for (const sort of ["newest", "expected", "deadline", "value-desc", "value-asc"] as const) {
      await contender.tenders({ sort, offset: 0, limit: 1, facets: [] });
    }
    await contender.enterprises({ sort: "name", offset: 0, limit: 1, facets: [] });
  }
  const warmupMs = performance.now() - w0;

  const samples = new Map<number, number>();
  const byKind = new Map<string, number[]>();
  let mismatches = 0;
  const started = performance.now();
  // Under a budget, run an even sample: every k-th query, filter-only ones first.
  const order = budgetMs === undefined ? queries.map((_, i) => i) : evenOrder(queries);
  for (const i of order) {
    if (budgetMs !== undefined && performance.now() - started > budgetMs) break;
    const q = queries[i];
    if (!q) continue;
    const s = performance.now();
    const hits = await runQuery(contender, q);
    const ms = performance.now() - s;
    samples.set(i, ms);
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
    const expected = expectedTotals.get(i);
    if (expected !== undefined && hits.total !== expected) mismatches++;
  }
  const figures: ContenderFigures = {
    name: contender.name,
    documents: { tenders: tenders.length, enterprises: enterprises.length },
    buildMs: round(buildMs, 0),
    warmupMs: round(warmupMs, 0),
    retainedMB: round((after.heap + after.external - before.heap - before.external) / MB),
    heapMB: round((after.heap - before.heap) / MB),
    externalMB: round((after.external - before.external) / MB),
    rssGrowthMB: round((after.rss - before.rss) / MB),
    rssAfterMB: round(after.rss / MB),
    latency: roundLatency(latencyOf([...samples.values()])),
    byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, roundLatency(latencyOf(v))])),
    filterMismatches: mismatches,
    notes: [...contender.notes],
  };
  if (budgetMs !== undefined && samples.size < queries.length) {
    figures.notes.push(
      `ran ${samples.size} of ${queries.length} queries (an even sample) within its ${Math.round(budgetMs / 1000)} s budget`,
    );
  }
  log(
    `  ${contender.name}: ${samples.size} queries, p50 ${figures.latency.p50Ms} ms, p95 ${figures.latency.p95Ms} ms`,
  );
  return { figures, samples };
}

function roundLatency(l: LatencyFigures): LatencyFigures {
  return {
    queries: l.queries,
    p50Ms: round(l.p50Ms, 2),
    p95Ms: round(l.p95Ms, 2),
    maxMs: round(l.maxMs, 2),
    meanMs: round(l.meanMs, 2),
  };
}

/** Query indexes interleaved evenly (0, n/2, n/4, 3n/4, …) so any prefix is a fair sample. */
function evenOrder(queries: readonly BenchQuery[]): number[] {
  const n = queries.length;
  const out: number[] = [];
  const seen = new Set<number>();
  for (let step = 1; out.length < n; step *= 2) {
    for (let k = 0; k < step && out.length < n; k++) {
      const i = Math.floor(((2 * k + 1) * n) / (2 * step));
      if (!seen.has(i)) {
        seen.add(i);
        out.push(i);
      }
    }
    if (step > 4 * n) break;
  }
  for (let i = 0; i < n; i++) if (!seen.has(i)) out.push(i);
  return out;
}

function formatTable(contenders: readonly ContenderFigures[], ratios: SearchBenchReport["ratios"]): string {
  const head = [
    "engine",
    "tenders",
    "build s",
    "warm-up ms",
    "retained MB",
    "RSS +MB",
    "RSS MB",
    "queries",
    "p50 ms",
    "p95 ms",
    "max ms",
    "embedded/this p95",
  ];
  const rows = contenders.map((c) => [
    c.name,
    String(c.documents.tenders),
    (c.buildMs / 1000).toFixed(1),
    String(c.warmupMs),
    c.retainedMB.toFixed(0),
    c.rssGrowthMB.toFixed(0),
    c.rssAfterMB.toFixed(0),
    String(c.latency.queries),
    c.latency.p50Ms.toFixed(2),
    c.latency.p95Ms.toFixed(2),
    c.latency.maxMs.toFixed(1),
    ratios[c.name] ? (ratios[c.name]?.p95 ?? 0).toPrecision(2) : "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  const out = [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  const kinds = [...new Set(contenders.flatMap((c) => Object.keys(c.byKind)))];
  out.push("", "p95 ms by kind of query (queries run):");
  const kindHead = ["kind", ...contenders.map((c) => `${c.name} ${Math.round(c.documents.tenders / 1000)}k`)];
  const kindRows = kinds.map((k) => [
    k,
    ...contenders.map((c) =>
      c.byKind[k] ? `${c.byKind[k].p95Ms.toFixed(1)} (${c.byKind[k].queries})` : "-",
    ),
  ]);
  const kw = kindHead.map((h, i) => Math.max(h.length, ...kindRows.map((r) => (r[i] ?? "").length)));
  const kline = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(kw[i] ?? 0) : c.padStart(kw[i] ?? 0))).join("  ");
  out.push(kline(kindHead), ...kindRows.map(kline));
  for (const c of contenders) {
    out.push("", `${c.name} (${c.documents.tenders} tenders, ${c.documents.enterprises} enterprises):`);
    for (const note of c.notes) out.push(`  - ${note}`);
    if (c.filterMismatches > 0)
      out.push(
        `  - ${c.filterMismatches} filter-only queries returned a total different from the linear scan`,
      );
  }
  return out.join("\n");
}

// ------------------------------------------------------------------------------ the bench

export async function runSearchBench(options: SearchBenchOptions = {}): Promise<SearchBenchReport> {
  const nTenders = options.tenders ?? 100_000;
  const nEnterprises = options.enterprises ?? 20_000;
  const nQueries = options.queries ?? 200;
  const seed = options.seed ?? 1;
  const log = options.log ?? ((line: string) => console.log(line));

  log(`search bench: ${nTenders} tenders, ${nEnterprises} enterprises, ${nQueries} queries, seed ${seed}`);
  const g0 = performance.now();
  const rawTenders = syntheticTenders(nTenders, seed);
  const rawEnterprises = syntheticEnterprises(nEnterprises, seed + 1);
  validateSample(rawTenders, rawEnterprises);
  const tenders = rawTenders.map(tenderDocument);
  const enterprises = rawEnterprises.map(enterpriseDocument);
  rawTenders.length = 0;
  rawEnterprises.length = 0;
  const generateMs = performance.now() - g0;
  const queries = makeQueries(tenders, enterprises, nQueries, seed + 2);
  log(`  corpus and queries ready in ${(generateMs / 1000).toFixed(1)} s`);

  const share = options.oramaShare ?? 0.25;
  const small = {
    tenders: tenders.slice(0, Math.round(tenders.length * share)),
    enterprises: enterprises.slice(0, Math.round(enterprises.length * share)),
  };
  const full = { tenders, enterprises };
  const totals = new Map<number, Map<number, number>>();
  // Filter-only queries have one right total, the reference semantics' (without a query the
  // scan's text score is 1 for every document, so its total is the number of matches).
  const expectedTotals = (corpus: typeof full): Map<number, number> => {
    const cached = totals.get(corpus.tenders.length);
    if (cached) return cached;
    const out = new Map<number, number>();
    queries.forEach((q, i) => {
      if (!isFilterOnly(q)) return;
      if (q.index === "tenders") out.set(i, corpus.tenders.filter((d) => matchesTender(d, q.query)).length);
      else out.set(i, corpus.enterprises.filter((d) => matchesEnterprise(d, q.query)).length);
    });
    totals.set(corpus.tenders.length, out);
    return out;
  };

  const altBudget = options.alternativeBudgetMs ?? 100_000;
  const runs: { make: () => Contender; corpus: typeof full; budget?: number }[] = [
    { make: embeddedContender, corpus: full },
    { make: scanContender, corpus: full, budget: options.scanBudgetMs ?? 100_000 },
  ];
  if (options.alternatives !== false) {
    runs.push(
      { make: miniSearchContender, corpus: full, budget: altBudget },
      { make: embeddedContender, corpus: small },
      { make: oramaContender, corpus: small, budget: altBudget },
    );
  }
  const results: { figures: ContenderFigures; samples: Map<number, number> }[] = [];
  for (const run of runs) {
    const contender = run.make();
    const { tenders: t, enterprises: e } = run.corpus;
    log(`  ${contender.name} over ${t.length} tenders and ${e.length} enterprises`);
    results.push(
      await measureContender(contender, t, e, queries, expectedTotals(run.corpus), log, run.budget),
    );
    contender.release();
    collectGarbage();
  }

  const ratios: SearchBenchReport["ratios"] = {};
  for (const r of results) {
    if (r.figures.name === "embedded") continue;
    const embedded = results.find(
      (x) => x.figures.name === "embedded" && x.figures.documents.tenders === r.figures.documents.tenders,
    );
    if (!embedded) continue;
    const shared = [...r.samples.keys()].filter((i) => embedded.samples.has(i));
    const mine = latencyOf(shared.map((i) => embedded.samples.get(i) ?? 0));
    const theirs = latencyOf(shared.map((i) => r.samples.get(i) ?? 0));
    ratios[r.figures.name] = {
      p50: round(theirs.p50Ms === 0 ? 0 : mine.p50Ms / theirs.p50Ms, 4),
      p95: round(theirs.p95Ms === 0 ? 0 : mine.p95Ms / theirs.p95Ms, 4),
      queries: shared.length,
      documents: r.figures.documents.tenders,
    };
  }
  const figures = results.map((r) => r.figures);
  const e = figures[0];
  const targets = {
    p95Ms: 50,
    buildMs: 20_000,
    rssMB: 1024,
    met: {
      p95: e !== undefined && e.latency.p95Ms <= 50,
      build: e !== undefined && e.buildMs <= 20_000,
      memory: e !== undefined && e.retainedMB <= 1024,
    },
  };
  const yes = (ok: boolean): string => (ok ? "met" : "MISSED");
  const table = [
    `targets for the embedded engine at ${nTenders} tenders: p95 ≤ 50 ms ${yes(targets.met.p95)}, build ≤ 20 s ${yes(targets.met.build)}, retained memory ≤ 1 GB ${yes(targets.met.memory)}`,
    "retained = V8 heap + external (typed arrays) after a full gc, minus before the build; RSS +MB = growth of the process's resident set",
    "",
    formatTable(figures, ratios),
  ].join("\n");
  return {
    corpus: {
      tenders: nTenders,
      enterprises: nEnterprises,
      queries: queries.length,
      seed,
      generateMs: round(generateMs, 0),
    },
    contenders: figures,
    ratios,
    targets,
    table,
  };
}
