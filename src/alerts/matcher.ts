import { cpvPrefixes } from "../domain/cpv.js";
import { toEur } from "../domain/money.js";
import type { SubscriptionFilters } from "../domain/subscription.js";
import type { Tender } from "../domain/tender.js";
import { fold } from "../domain/text.js";
import {
  ALL_STEMMERS,
  MAX_TERM_LENGTH,
  type Stemmer,
  stemmerOf,
  wordPattern,
} from "../search/embedded/analyzer.js";

/**
 * Which tenders a subscription's filters match, as documented on `SubscriptionFilters`: fields
 * ANDed, values within a field ORed; `cpv` and `nuts` are prefixes; an empty list is no
 * filter. `reservedOnly`: the tender or one of its lots is reserved (`res-ws`, `res-pub-ser`).
 * Values compare in EUR (src/domain/money.ts); a tender without a value, or with a currency the
 * table does not know, passes a value filter, and a bound in an unknown currency is ignored (a
 * missed alert is worse than an extra one). `q`: every query word appears in the title, the
 * description, the buyer's name or a lot title, compared the way the search engine analyses
 * text (src/search/embedded/analyzer.ts): folded (æ → ae, ø → o), and stemmed, the tender's
 * words in its own language and the query's words in all four (da, sv, nb, en). Unlike a search,
 * a saved query allows no typos and no prefix of its last word.
 *
 * Filters are taken as `SubscriptionFilters` parses them (CPV prefixes normalised to their
 * significant digits, codes upper-case).
 *
 * `compileSubscriptions` answers the same question for many subscriptions at once through an
 * index on each subscription's most selective field; its answers are those of the plain loop
 * over `matchesFilters` (a property test checks it).
 */

/** The analyzer's word pattern and length cut, so that a query word means what it means in search. */
const WORD = wordPattern();
const RESERVED: ReadonlySet<string> = new Set(["res-ws", "res-pub-ser"]);

const cut = (term: string) => (term.length > MAX_TERM_LENGTH ? term.slice(0, MAX_TERM_LENGTH) : term);

function lowerCase(text: string): string {
  return (/\p{M}/u.test(text) ? text.normalize("NFC") : text).toLowerCase();
}

/** A word of a saved query: its folded form and its folded stems in the four languages. */
export interface QueryWord {
  term: string;
  stems: string[];
}

const QUERY_CACHE_LIMIT = 50_000;
const queryCache = new Map<string, QueryWord[]>();

/** The words of a saved query (cached: many subscriptions share few queries). */
export function queryWords(q: string): QueryWord[] {
  const cached = queryCache.get(q);
  if (cached) return cached;
  const words: QueryWord[] = [];
  for (const match of lowerCase(q).matchAll(WORD)) {
    const term = cut(fold(match[0]));
    if (term === "") continue;
    const stems = new Set<string>();
    for (const stem of ALL_STEMMERS) {
      const s = cut(fold(stem(match[0])));
      if (s !== "" && s !== term) stems.add(s);
    }
    words.push({ term, stems: [...stems] });
  }
  if (queryCache.size >= QUERY_CACHE_LIMIT) queryCache.clear();
  queryCache.set(q, words);
  return words;
}

const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<Stemmer, Map<string, string>>();

function stemmed(stem: Stemmer, word: string): string {
  let cache = stemCache.get(stem);
  if (!cache) {
    cache = new Map();
    stemCache.set(stem, cache);
  }
  let out = cache.get(word);
  if (out === undefined) {
    out = cut(fold(stem(word)));
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(word, out);
  }
  return out;
}

/** What the filters read of a tender, computed once per tender. */
export interface TenderFeatures {
  stage: string;
  buyerId: string;
  country: string;
  municipality: string | undefined;
  /** Every significant-digit prefix (2 digits and up) of every code. */
  cpvPrefixes: ReadonlySet<string>;
  /** Every prefix (2 characters and up) of the place's and the lots' NUTS codes. */
  nutsPrefixes: ReadonlySet<string>;
  reserved: boolean;
  /** NaN without a value, or in a currency that does not convert. */
  valueEur: number;
  /** Folded words and their stems in the tender's language, computed when a query first asks. */
  words(): ReadonlySet<string>;
}

const featureCache = new WeakMap<Tender, TenderFeatures>();

export function tenderFeatures(tender: Tender): TenderFeatures {
  const cached = featureCache.get(tender);
  if (cached) return cached;
  const cpv = new Set<string>();
  for (const code of tender.cpv) for (const p of cpvPrefixes(code)) cpv.add(p);
  const nuts = new Set<string>();
  const nutsCodes = [tender.place?.nuts, ...tender.lots.map((l) => l.nuts)];
  for (const code of nutsCodes) {
    if (!code) continue;
    for (let n = 2; n <= code.length; n++) nuts.add(code.slice(0, n));
  }
  let words: Set<string> | undefined;
  const features: TenderFeatures = {
    stage: tender.stage,
    buyerId: tender.buyer.id,
    country: tender.buyer.country,
    municipality: tender.place?.municipality,
    cpvPrefixes: cpv,
    nutsPrefixes: nuts,
    reserved:
      RESERVED.has(tender.reserved) || tender.lots.some((l) => l.reserved && RESERVED.has(l.reserved)),
    valueEur:
      (tender.estimatedValue
        ? toEur(tender.estimatedValue.amount, tender.estimatedValue.currency)
        : undefined) ?? Number.NaN,
    words: () => {
      words ??= tenderWords(tender);
      return words;
    },
  };
  featureCache.set(tender, features);
  return features;
}

const WORD_CACHE_LIMIT = 200_000;
/** Per stemmer (or none), a lower-case word → its folded form and folded stem. */
const wordCache = new Map<Stemmer | undefined, Map<string, readonly [string, string]>>();

/** The folded form and stem of a lower-case word (cached: folding and stemming are the costly part). */
function analysed(word: string, stem: Stemmer | undefined): readonly [string, string] {
  let cache = wordCache.get(stem);
  if (!cache) {
    cache = new Map();
    wordCache.set(stem, cache);
  }
  let out = cache.get(word);
  if (out === undefined) {
    const term = cut(fold(word));
    out = [term, stem && term !== "" ? stemmed(stem, word) : ""];
    if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
    cache.set(word, out);
  }
  return out;
}

function tenderWords(tender: Tender): Set<string> {
  const stem = stemmerOf(tender.language);
  const out = new Set<string>();
  const texts = [tender.title, tender.description, tender.buyer.name, ...tender.lots.map((l) => l.title)];
  for (const text of texts) {
    if (!text) continue;
    const lower = lowerCase(text);
    WORD.lastIndex = 0;
    for (let match = WORD.exec(lower); match !== null; match = WORD.exec(lower)) {
      const [term, s] = analysed(match[0], stem);
      if (term === "") continue;
      out.add(term);
      if (s !== "") out.add(s);
    }
  }
  return out;
}

/** Filters in the form the predicate reads fastest: sets, bounds in EUR, analysed query words. */
interface PreparedFilters {
  stages: ReadonlySet<string> | undefined;
  buyers: ReadonlySet<string> | undefined;
  countries: ReadonlySet<string> | undefined;
  municipalities: ReadonlySet<string> | undefined;
  reservedOnly: boolean;
  cpv: readonly string[] | undefined;
  nuts: readonly string[] | undefined;
  /** -Infinity and Infinity when unbounded (numbers throughout keep the objects' shape stable). */
  minEur: number;
  maxEur: number;
  words: readonly QueryWord[] | undefined;
}

const preparedCache = new WeakMap<SubscriptionFilters, PreparedFilters>();

const setOf = (values: readonly string[] | undefined) =>
  values && values.length > 0 ? new Set(values) : undefined;
const listOf = (values: readonly string[] | undefined) => (values && values.length > 0 ? values : undefined);

function prepare(filters: SubscriptionFilters): PreparedFilters {
  let p = preparedCache.get(filters);
  if (p) return p;
  const currency = filters.currency ?? "EUR";
  const words = filters.q === undefined ? [] : queryWords(filters.q);
  p = {
    stages: setOf(filters.stages),
    buyers: setOf(filters.buyers),
    countries: setOf(filters.countries),
    municipalities: setOf(filters.municipalities),
    reservedOnly: filters.reservedOnly,
    cpv: listOf(filters.cpv),
    nuts: listOf(filters.nuts),
    minEur: (filters.minValue === undefined ? undefined : toEur(filters.minValue, currency)) ?? -Infinity,
    maxEur: (filters.maxValue === undefined ? undefined : toEur(filters.maxValue, currency)) ?? Infinity,
    words: words.length > 0 ? words : undefined,
  };
  preparedCache.set(filters, p);
  return p;
}

function anyIn(wanted: readonly string[], have: ReadonlySet<string>): boolean {
  for (const v of wanted) if (have.has(v)) return true;
  return false;
}

/** Does a tender (as its features) pass the filters? */
export function matchesFeatures(filters: SubscriptionFilters, t: TenderFeatures): boolean {
  return passes(prepare(filters), t);
}

/** The one predicate both matchers use. */
function passes(f: PreparedFilters, t: TenderFeatures): boolean {
  if (f.stages && !f.stages.has(t.stage)) return false;
  if (f.buyers && !f.buyers.has(t.buyerId)) return false;
  if (f.countries && !f.countries.has(t.country)) return false;
  if (f.municipalities && (t.municipality === undefined || !f.municipalities.has(t.municipality)))
    return false;
  if (f.reservedOnly && !t.reserved) return false;
  if (f.cpv && !anyIn(f.cpv, t.cpvPrefixes)) return false;
  if (f.nuts && !anyIn(f.nuts, t.nutsPrefixes)) return false;
  // A tender without a value (NaN) passes: every comparison with NaN is false.
  if (t.valueEur < f.minEur || t.valueEur > f.maxEur) return false;
  if (f.words) {
    const have = t.words();
    for (const w of f.words) {
      if (have.has(w.term)) continue;
      if (!anyIn(w.stems, have)) return false;
    }
  }
  return true;
}

/** Does the tender pass the filters? */
export function matchesFilters(filters: SubscriptionFilters, tender: Tender): boolean {
  return matchesFeatures(filters, tenderFeatures(tender));
}

export interface FilteredSubscription {
  id: string;
  filters: SubscriptionFilters;
}

/** The ids of the subscriptions whose filters the tender passes, in the order they were compiled. */
export type CompiledMatcher = ((tender: Tender) => string[]) & { readonly size: number };

type Key = "buyers" | "municipalities" | "cpv" | "nuts" | "q" | "reserved" | "countries" | "stages";

/**
 * Index fields, most selective first: a subscription is filed under the first it filters on.
 * `q` files it under the first query word (its folded form and stems: a tender that matches has
 * one of them among its words); `reserved` under one key that only reserved tenders look up.
 */
const KEYS: readonly Key[] = [
  "buyers",
  "municipalities",
  "cpv",
  "nuts",
  "q",
  "reserved",
  "countries",
  "stages",
];

function keysOf(filters: SubscriptionFilters, key: Key): readonly string[] {
  switch (key) {
    case "q": {
      const first = filters.q === undefined ? undefined : queryWords(filters.q)[0];
      return first ? [first.term, ...first.stems] : [];
    }
    case "reserved":
      return filters.reservedOnly ? ["reserved"] : [];
    default:
      return filters[key] ?? [];
  }
}

/**
 * A matcher for many subscriptions. Each subscription is filed under the values of its most
 * selective field (buyer, municipality, CPV prefix, NUTS prefix, a query word, reservation,
 * country, stage); one with none of them is checked for every tender. A tender looks up its own
 * values in each index, and only the subscriptions found are checked with the full predicate,
 * so the answer is the plain loop's.
 */
export function compileSubscriptions(subs: readonly FilteredSubscription[]): CompiledMatcher {
  const index = new Map<Key, Map<string, number[]>>(KEYS.map((k) => [k, new Map()]));
  const scan: number[] = [];
  subs.forEach((sub, i) => {
    let values: readonly string[] = [];
    const key = KEYS.find((k) => (values = keysOf(sub.filters, k)).length > 0);
    if (!key) {
      scan.push(i);
      return;
    }
    const map = index.get(key);
    for (const value of new Set(values)) {
      const list = map?.get(value);
      if (list) list.push(i);
      else map?.set(value, [i]);
    }
  });
  const ids = subs.map((s) => s.id);
  const prepared = subs.map((s) => prepare(s.filters));
  const seen = new Uint32Array(subs.length);
  let stamp = 0;
  const at = (key: Key) => index.get(key) ?? new Map<string, number[]>();
  const byBuyer = at("buyers");
  const byMunicipality = at("municipalities");
  const byCpv = at("cpv");
  const byNuts = at("nuts");
  const byWord = at("q");
  const byReserved = at("reserved");
  const byCountry = at("countries");
  const byStage = at("stages");

  const match = (tender: Tender): string[] => {
    const t = tenderFeatures(tender);
    stamp++;
    if (stamp === 0xffffffff) {
      seen.fill(0);
      stamp = 1;
    }
    const hits: number[] = [];
    const check = (list: readonly number[] | undefined) => {
      if (!list) return;
      for (const i of list) {
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        const f = prepared[i];
        if (f && passes(f, t)) hits.push(i);
      }
    };
    check(byBuyer.get(t.buyerId));
    if (t.municipality !== undefined) check(byMunicipality.get(t.municipality));
    for (const p of t.cpvPrefixes) check(byCpv.get(p));
    for (const p of t.nutsPrefixes) check(byNuts.get(p));
    if (byWord.size > 0) for (const w of t.words()) check(byWord.get(w));
    if (t.reserved) check(byReserved.get("reserved"));
    check(byCountry.get(t.country));
    check(byStage.get(t.stage));
    check(scan);
    hits.sort((a, b) => a - b);
    return hits.map((i) => ids[i] ?? "");
  };
  return Object.assign(match, { size: subs.length });
}
