/**
 * A generic in-memory search index, configured by an `IndexSchema` (index-schemas.ts).
 *
 * - Text: two posting stores (posting-store.ts) keyed by term id, folded words and their stems
 *   (only where the stem differs from the word), each posting a (document number, weight). The
 *   weight is BM25F-style, computed at insert time: per field, tf·(k1+1)/(tf + k1·(1 − b +
 *   b·len/avgLen)) times the field's weight, summed over fields. The average lengths are fixed
 *   per field in the schema, so a document's weights never depend on what else is indexed; the
 *   idf is applied at query time from live counts.
 * - Keywords: per value its documents (filters), per document its values (facets).
 * - Numbers, sort strings and coordinates: columns indexed by document number.
 *
 * Documents get increasing numbers as they arrive, so every list stays sorted by appending. An
 * upsert marks the old number dead and appends the document again; a delete marks it dead.
 * Dead documents are left out through the live bitset until `compact()` renumbers the live
 * ones and rewrites every list. Scores use live counts only, so a compacted index returns
 * exactly what a fresh build of the same documents returns.
 */
import { distanceKm } from "../../domain/geo.js";
import type { FacetCounts } from "../search.port.js";
import { Analyzer, stemmerIndex, TokenBuffer, type QueryWord } from "./analyzer.js";
import { PostingStore, type Segment } from "./posting-store.js";
import { bitsetWords, clearBit, F64Vec, hasBit, I32Vec, popcount32, setBit, U32Vec } from "./postings.js";
import { topK } from "./top-k.js";
import { Vocabulary, type Expansion } from "./vocabulary.js";

export interface TextField<D> {
  name: string;
  /** How much a match in this field counts against the others. */
  weight: number;
  /** A typical length in words, the length BM25 normalises against. */
  averageLength: number;
  /** The same values come back in many documents (labels, names): analysis is cached. */
  repeats?: boolean;
  read(doc: D): string | readonly string[] | null;
}

export interface KeywordField<D> {
  name: string;
  /** More than one value per document. */
  multi: boolean;
  /** Keep per-value document lists (for filters). */
  filter: boolean;
  /** Keep per-document values (for facet counts). */
  facet: boolean;
  read(doc: D): string | boolean | readonly string[] | null;
}

export interface NumberField<D> {
  name: string;
  read(doc: D): number | null;
}

export interface StringField<D> {
  name: string;
  read(doc: D): string;
}

export interface IndexSchema<D> {
  id(doc: D): string;
  /** Language of the document's text, for stemming. */
  language(doc: D): string;
  text: readonly TextField<D>[];
  keywords: readonly KeywordField<D>[];
  numbers: readonly NumberField<D>[];
  strings: readonly StringField<D>[];
  geo?: (doc: D) => { lat: number; lng: number } | null;
}

/** Documents with any of the values (an empty list filters nothing). */
export interface KeywordFilter {
  field: string;
  values: readonly string[];
}

/** Documents with a value in range; documents without a value never match. */
export interface RangeFilter {
  field: string;
  gte?: number;
  lte?: number;
  lt?: number;
}

export type IndexSort =
  | { by: "relevance"; fallback?: IndexSort }
  | { by: "number"; field: string; descending: boolean }
  | { by: "string"; field: string }
  | { by: "distance" }
  | { by: "id" };

export interface IndexQuery {
  text?: string;
  language?: string;
  filters?: readonly KeywordFilter[];
  ranges?: readonly RangeFilter[];
  near?: { lat: number; lon: number; radiusKm: number };
  /** `relevance` without words falls back to `fallback` (else `id`); `distance` needs `near`. */
  sort: IndexSort;
  offset: number;
  limit: number;
  facets: readonly string[];
}

export interface IndexResult {
  ids: string[];
  total: number;
  facets: FacetCounts;
}

/** BM25 parameters. */
const K1 = 1.2;
const B = 0.75;

/**
 * Match costs, lower is better. The words of a query add up their costs, and a document with a
 * lower total ranks above any document with a higher one, whatever their BM25 scores: exact
 * words above stems above prefixes above typos.
 */
export const MATCH_COST = { exact: 0, stem: 1, prefix: 2 } as const;

export function expansionCost(e: Expansion): number {
  if (e.typos === 0) return MATCH_COST.prefix;
  return MATCH_COST.prefix + e.typos + (e.prefix ? 1 : 0);
}

class KeywordColumn {
  readonly values = new Map<string, number>();
  readonly names: string[] = [];
  /** Documents by value id, when the field filters. */
  readonly postings = new PostingStore(false);
  /** Per value, 1 + the last document it was added for (to skip repeated values). */
  readonly seenAt: number[] = [];
  single: I32Vec | undefined;
  offsets: U32Vec | undefined;
  items: U32Vec | undefined;

  constructor(readonly field: KeywordField<unknown>) {
    if (field.facet && !field.multi) this.single = new I32Vec();
    if (field.facet && field.multi) {
      this.offsets = new U32Vec();
      this.offsets.push(0);
      this.items = new U32Vec();
    }
  }

  valueId(value: string): number {
    let id = this.values.get(value);
    if (id === undefined) {
      id = this.names.length;
      this.values.set(value, id);
      this.names.push(value);
      this.seenAt.push(0);
    }
    return id;
  }
}

/** A term a query word reaches: its posting store and key, match cost and idf. */
interface WeightedTerm {
  segments: readonly Segment[];
  key: number;
  cost: number;
  idf: number;
}

function keywordValues(raw: string | boolean | readonly string[] | null): readonly string[] {
  if (raw === null) return [];
  if (typeof raw === "boolean") return [raw ? "true" : "false"];
  if (typeof raw === "string") return [raw];
  return raw;
}

export class InvertedIndex<D> {
  /** Postings by term id (analyzer ids): folded words, and stems that differ from them. */
  private readonly exact = new PostingStore(true);
  private readonly stems = new PostingStore(true);
  /** Per term id, 1 when the folded word is in the vocabulary. */
  private inVocabulary = new Uint8Array(0);
  private exactCount = 0;
  private readonly vocabulary = new Vocabulary();
  private readonly keywords: Map<string, KeywordColumn>;
  private readonly numbers: Map<string, F64Vec>;
  private readonly strings: Map<string, string[]>;
  private lat = new F64Vec();
  private lng = new F64Vec();

  private ids: string[] = [];
  private byId = new Map<string, number>();
  private live = new U32Vec();
  private slots = 0;
  private liveCount = 0;
  private deadCount = 0;
  /** Changes whenever a document dies, so that cached sort orders know to drop it. */
  private deaths = 0;
  private orders = new Map<string, { order: Uint32Array; covered: number; deaths: number }>();

  // Scratch space of the text matcher, one slot per document number.
  private mark = new Uint32Array(0);
  private stamp = 0;
  private wordCost = new Uint8Array(0);
  private wordScore = new Float64Array(0);
  private totalCost = new Uint16Array(0);
  private totalScore = new Float64Array(0);
  private touched = new Uint32Array(0);
  /** Reused per query: candidate bitset, filter mask, list of matches. */
  private candidateBits = new Uint32Array(0);
  private maskBits = new Uint32Array(0);
  private matchList = new Uint32Array(0);

  // Reused per document while indexing: word ids of a field, counts and weights by term id.
  private readonly tokens = new TokenBuffer();
  private fieldTf = new Uint32Array(0);
  private fieldStemTf = new Uint32Array(0);
  private docWeight = new Float64Array(0);
  private docStemWeight = new Float64Array(0);
  private readonly fieldTouched: number[] = [];
  private readonly fieldStemTouched: number[] = [];
  private readonly docTouched: number[] = [];
  private readonly docStemTouched: number[] = [];

  constructor(
    private readonly schema: IndexSchema<D>,
    private readonly analyzer: Analyzer = new Analyzer(),
  ) {
    this.keywords = new Map(
      schema.keywords.map((f) => [f.name, new KeywordColumn(f as KeywordField<unknown>)]),
    );
    this.numbers = new Map(schema.numbers.map((f) => [f.name, new F64Vec()]));
    this.strings = new Map(schema.strings.map((f) => [f.name, []]));
  }

  /** Number of live documents. */
  get size(): number {
    return this.liveCount;
  }

  /** Number of dead documents waiting for compaction. */
  get dead(): number {
    return this.deadCount;
  }

  /** Number of distinct folded words. */
  get vocabularySize(): number {
    return this.exactCount;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  upsert(doc: D): void {
    const id = this.schema.id(doc);
    const old = this.byId.get(id);
    if (old !== undefined) this.kill(old);
    const no = this.slots++;
    this.ids.push(id);
    this.byId.set(id, no);
    if ((no & 31) === 0) this.live.push(0);
    setBit(this.live.data, no);
    this.liveCount++;
    this.indexText(doc, no);
    this.indexKeywords(doc, no);
    for (const field of this.schema.numbers) {
      const value = field.read(doc);
      this.numbers.get(field.name)?.push(value === null || !Number.isFinite(value) ? Number.NaN : value);
    }
    for (const field of this.schema.strings) this.strings.get(field.name)?.push(field.read(doc));
    const point = this.schema.geo?.(doc) ?? null;
    this.lat.push(point ? point.lat : Number.NaN);
    this.lng.push(point ? point.lng : Number.NaN);
  }

  /** Makes the writes so far searchable: seals the posting logs, merges new words in. */
  commit(): void {
    this.exact.seal();
    this.stems.seal();
    for (const column of this.keywords.values()) column.postings.seal();
    this.vocabulary.flush();
  }

  delete(id: string): boolean {
    const no = this.byId.get(id);
    if (no === undefined) return false;
    this.byId.delete(id);
    this.kill(no);
    return true;
  }

  private kill(no: number): void {
    clearBit(this.live.data, no);
    this.liveCount--;
    this.deadCount++;
    this.deaths++;
  }

  private ensureTermScratch(): void {
    const needed = this.analyzer.termCount;
    if (this.fieldTf.length >= needed) return;
    const size = Math.max(needed * 2, 1024);
    const grow = <T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.fieldTf = grow(this.fieldTf, (n) => new Uint32Array(n));
    this.fieldStemTf = grow(this.fieldStemTf, (n) => new Uint32Array(n));
    this.docWeight = grow(this.docWeight, (n) => new Float64Array(n));
    this.docStemWeight = grow(this.docStemWeight, (n) => new Float64Array(n));
  }

  private indexText(doc: D, no: number): void {
    const stemmer = stemmerIndex(this.schema.language(doc));
    const { tokens, fieldTouched, fieldStemTouched, docTouched, docStemTouched } = this;
    docTouched.length = 0;
    docStemTouched.length = 0;
    for (const field of this.schema.text) {
      const raw = field.read(doc);
      if (raw === null) continue;
      tokens.length = 0;
      const repeats = field.repeats === true;
      if (typeof raw === "string") this.analyzer.analyze(raw, stemmer, tokens, repeats);
      else for (const text of raw) this.analyzer.analyze(text, stemmer, tokens, repeats);
      const length = tokens.length;
      if (length === 0) continue;
      this.ensureTermScratch();
      const { fieldTf, fieldStemTf, docWeight, docStemWeight } = this;
      fieldTouched.length = 0;
      fieldStemTouched.length = 0;
      const termIds = tokens.terms;
      const stemIds = tokens.stems;
      for (let k = 0; k < length; k++) {
        const term = termIds[k] ?? 0;
        if ((fieldTf[term] = (fieldTf[term] ?? 0) + 1) === 1) fieldTouched.push(term);
        const stem = stemIds[k] ?? term;
        if (stem !== term && (fieldStemTf[stem] = (fieldStemTf[stem] ?? 0) + 1) === 1)
          fieldStemTouched.push(stem);
      }
      const norm = K1 * (1 - B + (B * length) / field.averageLength);
      const scale = field.weight * (K1 + 1);
      for (const term of fieldTouched) {
        const tf = fieldTf[term] ?? 0;
        fieldTf[term] = 0;
        const before = docWeight[term] ?? 0;
        if (before === 0) docTouched.push(term);
        docWeight[term] = before + (scale * tf) / (tf + norm);
      }
      for (const stem of fieldStemTouched) {
        const tf = fieldStemTf[stem] ?? 0;
        fieldStemTf[stem] = 0;
        const before = docStemWeight[stem] ?? 0;
        if (before === 0) docStemTouched.push(stem);
        docStemWeight[stem] = before + (scale * tf) / (tf + norm);
      }
    }
    const { docWeight, docStemWeight } = this;
    if (this.inVocabulary.length < this.analyzer.termCount) {
      const grown = new Uint8Array(this.analyzer.termCount * 2);
      grown.set(this.inVocabulary);
      this.inVocabulary = grown;
    }
    const inVocabulary = this.inVocabulary;
    for (const term of docTouched) {
      if (inVocabulary[term] === 0) {
        inVocabulary[term] = 1;
        this.exactCount++;
        this.vocabulary.add(this.analyzer.term(term));
      }
      this.exact.add(term, no, docWeight[term] ?? 0);
      docWeight[term] = 0;
    }
    for (const stem of docStemTouched) {
      this.stems.add(stem, no, docStemWeight[stem] ?? 0);
      docStemWeight[stem] = 0;
    }
  }

  private indexKeywords(doc: D, no: number): void {
    for (const field of this.schema.keywords) {
      const column = this.keywords.get(field.name);
      if (column === undefined) continue;
      const values = keywordValues(field.read(doc));
      if (column.single) {
        const first = values[0];
        column.single.push(first === undefined ? -1 : column.valueId(first));
        if (field.filter && first !== undefined) column.postings.add(column.valueId(first), no);
        continue;
      }
      for (const value of values) {
        const vid = column.valueId(value);
        if (column.seenAt[vid] === no + 1) continue;
        column.seenAt[vid] = no + 1;
        if (field.filter) column.postings.add(vid, no);
        column.items?.push(vid);
      }
      if (column.offsets && column.items) column.offsets.push(column.items.length);
    }
  }

  /**
   * Renumbers the live documents 0..n−1 in their current order and rewrites every list and
   * column without the dead ones; words no live document uses leave the vocabulary.
   */
  compact(): void {
    if (this.deadCount === 0) return;
    const renumber = new Int32Array(this.slots).fill(-1);
    let next = 0;
    for (let no = 0; no < this.slots; no++) if (hasBit(this.live.data, no)) renumber[no] = next++;

    this.exact.remap(renumber);
    this.stems.remap(renumber);
    const surviving: string[] = [];
    this.exactCount = 0;
    for (let term = 0; term < this.inVocabulary.length; term++) {
      if (this.inVocabulary[term] === 0) continue;
      if (this.exact.count(term) === 0) this.inVocabulary[term] = 0;
      else {
        surviving.push(this.analyzer.term(term));
        this.exactCount++;
      }
    }
    this.vocabulary.reset(surviving);
    for (const column of this.keywords.values()) column.seenAt.fill(0);

    for (const column of this.keywords.values()) {
      column.postings.remap(renumber);
      if (column.single) {
        const single = new I32Vec(Math.max(next, 16));
        for (let no = 0; no < this.slots; no++)
          if ((renumber[no] ?? -1) >= 0) single.push(column.single.get(no));
        column.single = single;
      }
      if (column.offsets && column.items) {
        const offsets = new U32Vec(next + 1);
        const items = new U32Vec(Math.max(column.items.length, 16));
        offsets.push(0);
        for (let no = 0; no < this.slots; no++) {
          if ((renumber[no] ?? -1) < 0) continue;
          const end = column.offsets.get(no + 1);
          for (let k = column.offsets.get(no); k < end; k++) items.push(column.items.get(k));
          offsets.push(items.length);
        }
        column.offsets = offsets;
        column.items = items;
      }
    }
    const keep = <T>(values: readonly T[]): T[] => values.filter((_, no) => (renumber[no] ?? -1) >= 0);
    const keepF64 = (vec: F64Vec): F64Vec => {
      const out = new F64Vec(Math.max(next, 16));
      for (let no = 0; no < this.slots; no++) if ((renumber[no] ?? -1) >= 0) out.push(vec.get(no));
      return out;
    };
    for (const [name, vec] of this.numbers) this.numbers.set(name, keepF64(vec));
    for (const [name, column] of this.strings) this.strings.set(name, keep(column.slice(0, this.slots)));
    this.lat = keepF64(this.lat);
    this.lng = keepF64(this.lng);
    this.ids = keep(this.ids);
    this.byId = new Map(this.ids.map((id, no) => [id, no]));
    this.live = new U32Vec(Math.max(bitsetWords(next), 16));
    for (let no = 0; no < next; no++) {
      if ((no & 31) === 0) this.live.push(0);
      setBit(this.live.data, no);
    }
    const orders = new Map<string, { order: Uint32Array; covered: number; deaths: number }>();
    for (const [key, cached] of this.orders) {
      if (cached.covered !== this.slots) continue;
      const order: number[] = [];
      for (const no of cached.order) {
        const renumbered = renumber[no] ?? -1;
        if (renumbered >= 0) order.push(renumbered);
      }
      orders.set(key, { order: Uint32Array.from(order), covered: next, deaths: 0 });
    }
    this.orders = orders;
    this.slots = next;
    this.liveCount = next;
    this.deadCount = 0;
    this.deaths = 0;
    this.mark = new Uint32Array(0);
  }

  // ---------------------------------------------------------------------------------- search

  search(query: IndexQuery): IndexResult {
    const words = query.text === undefined ? [] : this.analyzer.query(query.text, query.language);
    const candidates = this.candidates(query);
    let matches: Uint32Array;
    let textStamp = -1;
    if (words.length > 0) {
      const found = this.matchWords(words, candidates);
      matches = found.docs;
      textStamp = found.stamp;
    } else {
      matches = this.bitsToList(candidates);
    }
    const facets = this.facetCounts(query.facets, matches);
    const offset = Math.max(0, Math.floor(query.offset));
    const limit = Math.max(0, Math.floor(query.limit));
    const page = this.page(query, matches, candidates, textStamp, offset, limit);
    return { ids: page.map((no) => this.ids[no] ?? ""), total: matches.length, facets };
  }

  private candidates(query: IndexQuery): Uint32Array {
    const words = bitsetWords(this.slots);
    if (this.candidateBits.length < words) {
      this.candidateBits = new Uint32Array(words);
      this.maskBits = new Uint32Array(words);
    }
    const candidates = this.candidateBits.subarray(0, words);
    candidates.set(this.live.data.subarray(0, words));
    for (const filter of query.filters ?? []) {
      if (filter.values.length === 0) continue;
      const column = this.keywords.get(filter.field);
      if (!column?.field.filter) throw new Error(`not a filterable field: ${filter.field}`);
      const mask = this.maskBits.subarray(0, words);
      mask.fill(0);
      const segments = column.postings.segments();
      for (const value of filter.values) {
        const vid = column.values.get(value);
        if (vid === undefined) continue;
        for (const { keyCount, offsets, docs } of segments) {
          if (vid >= keyCount) continue;
          const end = offsets[vid + 1] ?? 0;
          for (let j = offsets[vid] ?? 0; j < end; j++) {
            const doc = docs[j] ?? 0;
            mask[doc >>> 5] = (mask[doc >>> 5] ?? 0) | (1 << (doc & 31));
          }
        }
      }
      for (let w = 0; w < words; w++) candidates[w] = (candidates[w] ?? 0) & (mask[w] ?? 0);
    }
    for (const range of query.ranges ?? []) {
      const column = this.numbers.get(range.field);
      if (!column) throw new Error(`not a number field: ${range.field}`);
      const values = column.data;
      const { gte, lte, lt } = range;
      this.retain(candidates, (doc) => {
        const v = values[doc] ?? Number.NaN;
        if (Number.isNaN(v)) return false;
        if (gte !== undefined && v < gte) return false;
        if (lte !== undefined && v > lte) return false;
        if (lt !== undefined && v >= lt) return false;
        return true;
      });
    }
    const near = query.near;
    if (near) {
      const lat = this.lat.data;
      const lng = this.lng.data;
      // Cheap latitude band first: a degree of latitude is at least 111 km of great circle.
      const band = (near.radiusKm / 111) * 1.01 + 1e-9;
      this.retain(candidates, (doc) => {
        const dLat = lat[doc] ?? Number.NaN;
        const dLng = lng[doc] ?? Number.NaN;
        if (Number.isNaN(dLat) || Number.isNaN(dLng)) return false;
        if (Math.abs(dLat - near.lat) > band) return false;
        return distanceKm({ lat: dLat, lon: dLng }, near) <= near.radiusKm;
      });
    }
    return candidates;
  }

  private retain(bits: Uint32Array, keep: (doc: number) => boolean): void {
    for (let w = 0; w < bits.length; w++) {
      let x = bits[w] ?? 0;
      let out = x;
      while (x !== 0) {
        const lowest = x & -x;
        if (!keep((w << 5) + (31 - Math.clz32(lowest)))) out &= ~lowest;
        x ^= lowest;
      }
      bits[w] = out;
    }
  }

  private bitsToList(bits: Uint32Array): Uint32Array {
    let n = 0;
    for (let w = 0; w < bits.length; w++) n += popcount32(bits[w] ?? 0);
    if (this.matchList.length < n) this.matchList = new Uint32Array(Math.max(n, this.slots));
    const out = this.matchList.subarray(0, n);
    let k = 0;
    for (let w = 0; w < bits.length; w++) {
      let x = bits[w] ?? 0;
      while (x !== 0) {
        const lowest = x & -x;
        out[k++] = (w << 5) + (31 - Math.clz32(lowest));
        x ^= lowest;
      }
    }
    return out;
  }

  private ensureScratch(): void {
    if (this.mark.length >= this.slots) return;
    const size = Math.max(this.slots, 1024);
    this.mark = new Uint32Array(size);
    this.stamp = 0;
    this.wordCost = new Uint8Array(size);
    this.wordScore = new Float64Array(size);
    this.totalCost = new Uint16Array(size);
    this.totalScore = new Float64Array(size);
    this.touched = new Uint32Array(size);
  }

  /** Live documents among the postings of `key`. */
  private liveCountOf(segments: readonly Segment[], key: number): number {
    const live = this.live.data;
    let n = 0;
    for (const { keyCount, offsets, docs } of segments) {
      if (key >= keyCount) continue;
      const start = offsets[key] ?? 0;
      const end = offsets[key + 1] ?? 0;
      if (this.deadCount === 0) {
        n += end - start;
        continue;
      }
      for (let j = start; j < end; j++) if (hasBit(live, docs[j] ?? 0)) n++;
    }
    return n;
  }

  /** Terms a query word reaches, each with its match cost and idf. */
  private expand(word: QueryWord): WeightedTerm[] {
    // Keyed by term id, stems as negative numbers: the cheapest way each term is reached.
    const costs = new Map<number, number>();
    const consider = (stem: boolean, term: string, cost: number): void => {
      const id = this.analyzer.lookup(term);
      if (id === undefined) return;
      const key = stem ? -1 - id : id;
      const known = costs.get(key);
      if (known === undefined || cost < known) costs.set(key, cost);
    };
    consider(false, word.term, MATCH_COST.exact);
    for (const stem of new Set([...word.stems, word.term])) {
      consider(true, stem, MATCH_COST.stem);
      if (stem !== word.term) consider(false, stem, MATCH_COST.stem);
    }
    if (word.typos > 0 || word.prefix) {
      for (const e of this.vocabulary.search(word.term, word.typos, word.prefix)) {
        consider(false, e.term, expansionCost(e));
      }
    }
    const n = this.liveCount;
    const exact = this.exact.segments();
    const stems = this.stems.segments();
    const out: WeightedTerm[] = [];
    for (const [key, cost] of costs) {
      const segments = key < 0 ? stems : exact;
      const term = key < 0 ? -1 - key : key;
      const df = this.liveCountOf(segments, term);
      if (df === 0) continue;
      out.push({ segments, key: term, cost, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) });
    }
    return out;
  }

  /**
   * Documents among the candidates that match every word. Each word keeps, per document, its
   * cheapest match and, among equally cheap ones, the highest score; the words' costs and
   * scores are then added up in query order.
   */
  private matchWords(
    words: readonly QueryWord[],
    candidates: Uint32Array,
  ): { docs: Uint32Array; stamp: number } {
    this.ensureScratch();
    if (this.stamp > 0xffff_0000 - words.length) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    const base = this.stamp;
    this.stamp += words.length;
    const { mark, wordCost, wordScore, totalCost, totalScore, touched } = this;
    let count = 0;
    for (let wi = 0; wi < words.length; wi++) {
      const word = words[wi];
      if (word === undefined) continue;
      const need = base + wi;
      const done = need + 1;
      let n = 0;
      for (const { segments, key, cost, idf } of this.expand(word)) {
        for (const { keyCount, offsets, docs, weights } of segments) {
          if (key >= keyCount) continue;
          const end = offsets[key + 1] ?? 0;
          for (let j = offsets[key] ?? 0; j < end; j++) {
            const doc = docs[j] ?? 0;
            const m = mark[doc] ?? 0;
            if (m === done) {
              const c = wordCost[doc] ?? 0;
              if (cost < c) {
                wordCost[doc] = cost;
                wordScore[doc] = idf * (weights[j] ?? 0);
              } else if (cost === c) {
                const s = idf * (weights[j] ?? 0);
                if (s > (wordScore[doc] ?? 0)) wordScore[doc] = s;
              }
              continue;
            }
            if (wi === 0 ? !hasBit(candidates, doc) : m !== need) continue;
            mark[doc] = done;
            wordCost[doc] = cost;
            wordScore[doc] = idf * (weights[j] ?? 0);
            touched[n++] = doc;
          }
        }
      }
      for (let k = 0; k < n; k++) {
        const doc = touched[k] ?? 0;
        if (wi === 0) {
          totalCost[doc] = wordCost[doc] ?? 0;
          totalScore[doc] = wordScore[doc] ?? 0;
        } else {
          totalCost[doc] = (totalCost[doc] ?? 0) + (wordCost[doc] ?? 0);
          totalScore[doc] = (totalScore[doc] ?? 0) + (wordScore[doc] ?? 0);
        }
      }
      count = n;
      if (n === 0) break;
    }
    return { docs: touched.subarray(0, count), stamp: base + words.length };
  }

  private facetCounts(names: readonly string[], matches: Uint32Array): FacetCounts {
    const out: FacetCounts = {};
    for (const name of names) {
      const column = this.keywords.get(name);
      if (!column?.field.facet) throw new Error(`not a facet field: ${name}`);
      const counts = new Uint32Array(column.names.length);
      if (column.single) {
        const values = column.single.data;
        for (let i = 0; i < matches.length; i++) {
          const v = values[matches[i] ?? 0] ?? -1;
          if (v >= 0) counts[v] = (counts[v] ?? 0) + 1;
        }
      } else if (column.offsets && column.items) {
        const offsets = column.offsets.data;
        const items = column.items.data;
        for (let i = 0; i < matches.length; i++) {
          const doc = matches[i] ?? 0;
          const end = offsets[doc + 1] ?? 0;
          for (let k = offsets[doc] ?? 0; k < end; k++) {
            const v = items[k] ?? 0;
            counts[v] = (counts[v] ?? 0) + 1;
          }
        }
      }
      const record: Record<string, number> = {};
      for (let v = 0; v < counts.length; v++) {
        const count = counts[v] ?? 0;
        if (count > 0) record[column.names[v] ?? ""] = count;
      }
      out[name] = record;
    }
    return out;
  }

  // ----------------------------------------------------------------------------- sort, page

  private compareIds = (a: number, b: number): number => {
    const ia = this.ids[a] ?? "";
    const ib = this.ids[b] ?? "";
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };

  private comparator(sort: IndexSort): (a: number, b: number) => number {
    if (sort.by === "number") {
      const column = this.numbers.get(sort.field);
      if (!column) throw new Error(`not a number field: ${sort.field}`);
      const values = column.data;
      const descending = sort.descending;
      return (a, b) => {
        const va = values[a] ?? Number.NaN;
        const vb = values[b] ?? Number.NaN;
        const nullA = Number.isNaN(va);
        const nullB = Number.isNaN(vb);
        if (nullA || nullB) return nullA && nullB ? this.compareIds(a, b) : nullA ? 1 : -1;
        if (va !== vb) return (va < vb ? -1 : 1) * (descending ? -1 : 1);
        return this.compareIds(a, b);
      };
    }
    if (sort.by === "string") {
      const column = this.strings.get(sort.field);
      if (!column) throw new Error(`not a string field: ${sort.field}`);
      return (a, b) => {
        const sa = column[a] ?? "";
        const sb = column[b] ?? "";
        return sa < sb ? -1 : sa > sb ? 1 : this.compareIds(a, b);
      };
    }
    return this.compareIds;
  }

  /** Every live document in the order of `sort`, kept up to date by merging in new documents. */
  private order(key: string, compare: (a: number, b: number) => number): Uint32Array {
    const cached = this.orders.get(key);
    if (cached && cached.covered === this.slots && cached.deaths === this.deaths) return cached.order;
    const live = this.live.data;
    const kept: number[] = [];
    if (cached) for (const no of cached.order) if (hasBit(live, no)) kept.push(no);
    const fresh: number[] = [];
    for (let no = cached ? cached.covered : 0; no < this.slots; no++) if (hasBit(live, no)) fresh.push(no);
    fresh.sort(compare);
    const order = new Uint32Array(kept.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < fresh.length) {
      const a = kept[i] ?? 0;
      const b = fresh[j] ?? 0;
      if (compare(a, b) <= 0) {
        order[k++] = a;
        i++;
      } else {
        order[k++] = b;
        j++;
      }
    }
    while (i < kept.length) order[k++] = kept[i++] ?? 0;
    while (j < fresh.length) order[k++] = fresh[j++] ?? 0;
    this.orders.set(key, { order, covered: this.slots, deaths: this.deaths });
    return order;
  }

  private page(
    query: IndexQuery,
    matches: Uint32Array,
    candidates: Uint32Array,
    textStamp: number,
    offset: number,
    limit: number,
  ): number[] {
    const want = offset + limit;
    if (limit === 0 || offset >= matches.length) return [];
    let sort = query.sort;
    if (sort.by === "relevance" && textStamp < 0) sort = sort.fallback ?? { by: "id" };
    if (sort.by === "distance" && !query.near) sort = { by: "id" };

    if (sort.by === "relevance") {
      const { totalCost, totalScore } = this;
      return topK(matches, want, (a, b) => {
        const ca = totalCost[a] ?? 0;
        const cb = totalCost[b] ?? 0;
        if (ca !== cb) return ca - cb;
        const sa = totalScore[a] ?? 0;
        const sb = totalScore[b] ?? 0;
        if (sa !== sb) return sa > sb ? -1 : 1;
        return this.compareIds(a, b);
      }).slice(offset);
    }
    if (sort.by === "distance" && query.near) {
      const near = query.near;
      const distance = new Map<number, number>();
      for (const no of matches) {
        distance.set(no, distanceKm({ lat: this.lat.get(no), lon: this.lng.get(no) }, near));
      }
      return topK(matches, want, (a, b) => {
        const da = distance.get(a) ?? Number.POSITIVE_INFINITY;
        const db = distance.get(b) ?? Number.POSITIVE_INFINITY;
        return da !== db ? da - db : this.compareIds(a, b);
      }).slice(offset);
    }
    const compare = this.comparator(sort);
    // Few matches: sort them. Many: walk the precomputed order and pick the matches.
    if (matches.length * 32 < this.slots) return topK(matches, want, compare).slice(offset);
    const key =
      sort.by === "number"
        ? `n:${sort.field}:${sort.descending ? "d" : "a"}`
        : sort.by === "string"
          ? `s:${sort.field}`
          : "id";
    const order = this.order(key, compare);
    const out: number[] = [];
    let seen = 0;
    const mark = this.mark;
    for (let i = 0; i < order.length && out.length < limit; i++) {
      const no = order[i] ?? 0;
      const member = textStamp >= 0 ? mark[no] === textStamp : hasBit(candidates, no);
      if (!member) continue;
      if (seen++ >= offset) out.push(no);
    }
    return out;
  }
}
