/**
 * An msw stand-in for a Meilisearch server at one base URL: the one handler module for that host.
 * A Meilisearch server cannot be installed on the development machines, so the adapter is tested
 * against this model of the documented HTTP API (https://www.meilisearch.com/docs/reference/api):
 *
 * - routes: GET /health, GET/POST /indexes, GET/PATCH/DELETE /indexes/:uid,
 *   GET/PATCH /indexes/:uid/settings, GET/POST/PUT/DELETE /indexes/:uid/documents,
 *   POST /indexes/:uid/documents/delete-batch, POST /indexes/:uid/search, GET /indexes/:uid/stats,
 *   GET /tasks/:uid;
 * - asynchronous writes: 202 with a summarised task; the queue is processed in order, one step per
 *   request received (enqueued → processing → succeeded | failed), so a poller sees "processing"
 *   before "succeeded" and a write is only visible once its task succeeded;
 * - error bodies `{message, code, type, link}` with Meilisearch's codes and statuses, task errors
 *   in the same shape (index_not_found, invalid_document_id, missing_document_id,
 *   invalid_document_geo_field, index_primary_key_*, invalid_search_*, missing_authorization_header,
 *   invalid_api_key, …);
 * - search: folding tokeniser, matchingStrategy all/last, typos per minWordSizeForTypos (a typo on
 *   the first letter counts as two), the last word as a prefix, phrases and `-negation`, synonyms
 *   (one word or n-grams, multi-word synonyms as phrases), bucket ranking by the index's ranking
 *   rules (words, typo, proximity, attribute in searchableAttributes order, sort, exactness,
 *   custom asc/desc), the filter grammar, facetDistribution/facetStats, sort with numbers before
 *   strings before missing values and `_geoPoint`, both paginations, maxTotalHits.
 *
 * Known differences from a real server: no word splitting/concatenation or stemming-like
 * derivations, a simplified proximity (capped at 8 per pair) and attribute score, no
 * distinct/highlight/crop/vector features, facet strings compared lower-cased only, estimatedTotalHits
 * is exact, task batching is not modelled (one task per step), and error messages are close to
 * but not always word for word Meilisearch's.
 *
 * Control surface for tests: `requests` (method, path, query, body, response), fault injection
 * (`failNextTask`, `failNextRequests`, `delayResponses`) and `processAllTasks`.
 */
import { delay, http, HttpResponse } from "msw";
import type { HttpHandler } from "msw";
import { distanceKm } from "../../src/domain/geo.js";
import { fold, foldedWords } from "../../src/domain/text.js";

// ---------------------------------------------------------------------------------------------
// Types

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface MeiliErrorBody {
  message: string;
  code: string;
  type: "invalid_request" | "internal" | "auth" | "system";
  link: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the base URL's path, e.g. `/indexes/t_tenders/search`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | null;
  response?: { status: number; body: unknown };
}

export type TaskStatus = "enqueued" | "processing" | "succeeded" | "failed" | "canceled";

export interface MockTask {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: string;
  canceledBy: null;
  details: JsonObject;
  error: MeiliErrorBody | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface IndexState {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
  settings: JsonObject;
  documents: Map<string, JsonObject>;
}

interface QueuedTask {
  task: MockTask;
  /** Applies the change; returns details to merge, or throws a TaskFailure. */
  run: () => JsonObject | void;
  injectedError?: MeiliErrorBody;
}

export interface MeilisearchMockOptions {
  /** e.g. "http://meili.test:7700" */
  baseUrl: string;
  /** When set, every route but /health needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface RequestFault {
  /** Answer with this status (default 503) and a Meilisearch error body, or `body` when given. */
  status?: number;
  body?: unknown;
  /** Fail at the network level instead (fetch rejects). */
  networkError?: boolean;
  /** Only requests matching these count; others are served normally. */
  method?: string;
  path?: RegExp;
}

export interface MeilisearchMock {
  readonly handlers: HttpHandler[];
  readonly requests: RecordedRequest[];
  /** Recorded requests with this method whose path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  clearRequests(): void;
  /** The next task enqueued fails with this error (its change is not applied). */
  failNextTask(error?: Partial<MeiliErrorBody>): void;
  /** The next `count` matching requests are answered with a 5xx (or a network error). */
  failNextRequests(count: number, fault?: RequestFault): void;
  /** Delay every response by `ms` (0 to stop). */
  delayResponses(ms: number): void;
  /** Runs every queued task to its end. */
  processAllTasks(): void;
  task(uid: number): MockTask | undefined;
  documents(indexUid: string): JsonObject[];
  settings(indexUid: string): JsonObject | undefined;
  indexUids(): string[];
  /** Forgets indexes, documents, tasks, requests and faults. */
  reset(): void;
}

// ---------------------------------------------------------------------------------------------
// Errors

const LINK = "https://docs.meilisearch.com/errors#";

function meiliError(
  code: string,
  message: string,
  type: MeiliErrorBody["type"] = "invalid_request",
): MeiliErrorBody {
  return { message, code, type, link: `${LINK}${code}` };
}

/** A synchronous error answer. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: MeiliErrorBody,
  ) {
    super(body.message);
  }
}

/** A task failing while processed. */
class TaskFailure extends Error {
  constructor(readonly body: MeiliErrorBody) {
    super(body.message);
  }
}

const badRequest = (code: string, message: string) => new HttpFailure(400, meiliError(code, message));
const indexNotFound = (uid: string) => meiliError("index_not_found", `Index \`${uid}\` not found.`);

// ---------------------------------------------------------------------------------------------
// Settings

const DEFAULT_RANKING_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness"];

function defaultSettings(): JsonObject {
  return {
    displayedAttributes: ["*"],
    searchableAttributes: ["*"],
    filterableAttributes: [],
    sortableAttributes: [],
    rankingRules: [...DEFAULT_RANKING_RULES],
    stopWords: [],
    nonSeparatorTokens: [],
    separatorTokens: [],
    dictionary: [],
    synonyms: {},
    distinctAttribute: null,
    proximityPrecision: "byWord",
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
      disableOnWords: [],
      disableOnAttributes: [],
      disableOnNumbers: false,
    },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
    pagination: { maxTotalHits: 1000 },
    embedders: {},
    searchCutoffMs: null,
    localizedAttributes: null,
    facetSearch: true,
    prefixSearch: "indexingTime",
  };
}

const STRING_LIST_SETTINGS = new Set([
  "displayedAttributes",
  "searchableAttributes",
  "filterableAttributes",
  "sortableAttributes",
  "rankingRules",
  "stopWords",
  "nonSeparatorTokens",
  "separatorTokens",
  "dictionary",
]);
const OBJECT_SETTINGS = new Set(["typoTolerance", "faceting", "pagination"]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function settingCode(name: string): string {
  return `invalid_settings_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

function mergeDeep(base: Json, patch: Json): Json {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const defaults = base[key];
    out[key] = value === null && isObject(defaults) ? defaults : mergeDeep(defaults ?? null, value);
  }
  return out;
}

/** Validates a settings body synchronously, as Meilisearch does for the shape of each setting. */
function validateSettings(body: unknown): JsonObject {
  if (!isObject(body)) throw badRequest("bad_request", "Invalid value type: expected an object.");
  const known = Object.keys(defaultSettings());
  for (const [name, value] of Object.entries(body)) {
    if (!known.includes(name)) {
      throw badRequest(
        "bad_request",
        `Unknown field \`${name}\`: expected one of ${known.map((k) => `\`${k}\``).join(", ")}`,
      );
    }
    if (value === null) continue;
    if (STRING_LIST_SETTINGS.has(name)) {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        throw badRequest(
          settingCode(name),
          `Invalid value type at \`.${name}\`: expected an array of strings.`,
        );
      }
    }
    if (OBJECT_SETTINGS.has(name) && !isObject(value)) {
      throw badRequest(settingCode(name), `Invalid value type at \`.${name}\`: expected an object.`);
    }
    if (name === "synonyms") {
      if (
        !isObject(value) ||
        Object.values(value).some((v) => !Array.isArray(v) || v.some((s) => typeof s !== "string"))
      ) {
        throw badRequest(
          "invalid_settings_synonyms",
          "Invalid value type at `.synonyms`: expected a map of arrays of strings.",
        );
      }
    }
    if (name === "rankingRules" && Array.isArray(value)) {
      for (const rule of value) {
        if (
          typeof rule !== "string" ||
          !(DEFAULT_RANKING_RULES.includes(rule) || /^[^:\s]+:(asc|desc)$/.test(rule))
        ) {
          throw badRequest(
            "invalid_settings_ranking_rules",
            `Invalid value at \`.rankingRules[${value.indexOf(rule)}]\`: \`${String(rule)}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`,
          );
        }
      }
    }
    if (
      name === "pagination" &&
      isObject(value) &&
      value.maxTotalHits !== undefined &&
      value.maxTotalHits !== null
    ) {
      if (
        typeof value.maxTotalHits !== "number" ||
        !Number.isInteger(value.maxTotalHits) ||
        value.maxTotalHits < 1
      ) {
        throw badRequest(
          "invalid_settings_pagination",
          "Invalid value at `.pagination.maxTotalHits`: a positive integer is expected.",
        );
      }
    }
  }
  return body;
}

function applySettings(current: JsonObject, patch: JsonObject): JsonObject {
  const defaults = defaultSettings();
  const out: JsonObject = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    const fallback = defaults[name] ?? null;
    if (value === null) out[name] = fallback;
    else if (OBJECT_SETTINGS.has(name)) out[name] = mergeDeep(current[name] ?? fallback, value);
    else out[name] = value;
  }
  return out;
}

function stringList(settings: JsonObject, name: string): string[] {
  const value = settings[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function numberAt(settings: JsonObject, path: string[], fallback: number): number {
  let current: Json | undefined = settings;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return typeof current === "number" ? current : fallback;
}

// ---------------------------------------------------------------------------------------------
// Documents

const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,511}$/;

function documentIdOf(doc: JsonObject, primaryKey: string): string {
  const value = doc[primaryKey];
  if (value === undefined) {
    throw new TaskFailure(
      meiliError(
        "missing_document_id",
        `Document doesn't have a \`${primaryKey}\` attribute: \`${JSON.stringify(doc)}\`.`,
      ),
    );
  }
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value === "string" && DOCUMENT_ID.test(value) && new TextEncoder().encode(value).length <= 511)
    return value;
  throw new TaskFailure(
    meiliError(
      "invalid_document_id",
      `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
    ),
  );
}

function finiteNumber(value: Json | undefined): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function geoOf(doc: JsonObject): { lat: number; lng: number } | undefined {
  const geo = doc._geo;
  if (!isObject(geo)) return undefined;
  const lat = finiteNumber(geo.lat);
  const lng = finiteNumber(geo.lng);
  return lat === undefined || lng === undefined ? undefined : { lat, lng };
}

/** `_geo` must be null (as if absent) or `{lat, lng}` with numbers or numeric strings, nothing else. */
function validateGeo(doc: JsonObject, id: string): void {
  if (!("_geo" in doc) || doc._geo === null) return;
  const geo = doc._geo;
  const fail = (what: string) => {
    throw new TaskFailure(
      meiliError(
        "invalid_document_geo_field",
        `The \`_geo\` field in the document with the id: \`"${id}"\` ${what}`,
      ),
    );
  };
  if (!isObject(geo))
    return fail(
      `is not an object. Was expecting an object with the \`_geo.lat\` and \`_geo.lng\` fields but instead got \`${JSON.stringify(geo)}\`.`,
    );
  if (geo.lat === undefined || geo.lng === undefined) return fail("is missing `_geo.lat` or `_geo.lng`.");
  if (finiteNumber(geo.lat) === undefined)
    return fail(`contains an invalid \`_geo.lat\`: \`${JSON.stringify(geo.lat)}\`.`);
  if (finiteNumber(geo.lng) === undefined)
    return fail(`contains an invalid \`_geo.lng\`: \`${JSON.stringify(geo.lng)}\`.`);
  const extra = Object.keys(geo).filter((k) => k !== "lat" && k !== "lng");
  if (extra.length > 0) return fail(`contains the following unexpected fields: \`${extra.join(", ")}\`.`);
}

function primaryKeyCandidates(doc: JsonObject): string[] {
  return Object.keys(doc).filter((k) => k.toLowerCase().includes("id"));
}

/** A (dotted) attribute's values, arrays flattened; undefined when the attribute is absent. */
function valuesAt(doc: JsonObject, attribute: string): Json[] | undefined {
  let found: Json[] | undefined;
  const walk = (value: Json, rest: string[]) => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v, rest);
      if (value.length === 0 && rest.length === 0) found = found ?? [];
      return;
    }
    if (rest.length === 0) {
      (found ??= []).push(value);
      return;
    }
    if (!isObject(value)) return;
    const [head, ...tail] = rest;
    if (head === undefined) return;
    if (head in value) walk(value[head] ?? null, tail);
    else {
      // Meilisearch also reads `{"a.b": …}` for `a.b`.
      const joined = rest.join(".");
      if (joined in value) walk(value[joined] ?? null, []);
    }
  };
  walk(doc, attribute.split("."));
  return found;
}

// ---------------------------------------------------------------------------------------------
// Text: tokenising documents, parsing queries, typo distances

interface Occurrence {
  attr: number;
  start: number;
  end: number;
}

interface DocText {
  /** word → occurrences */
  words: Map<string, Occurrence[]>;
}

function scalarText(value: Json): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function tokeniseDocument(doc: JsonObject, attributes: readonly string[]): DocText {
  const words = new Map<string, Occurrence[]>();
  attributes.forEach((attribute, attr) => {
    let position = 0;
    const add = (text: string) => {
      for (const word of foldedWords(text)) {
        const list = words.get(word) ?? [];
        list.push({ attr, start: position, end: position });
        words.set(word, list);
        position++;
      }
    };
    const walk = (value: Json) => {
      if (Array.isArray(value)) {
        for (const v of value) {
          walk(v);
          position += 8; // array values are not adjacent
        }
      } else if (isObject(value)) {
        for (const v of Object.values(value)) walk(v);
      } else {
        const text = scalarText(value);
        if (text !== undefined) add(text);
      }
    };
    for (const value of valuesAt(doc, attribute) ?? []) walk(value);
  });
  return { words };
}

/** Optimal-string-alignment distance; with `prefix`, to the closest prefix of `word`. */
function typoDistance(query: string, word: string, prefix: boolean): number {
  const a = Array.from(query);
  const b = Array.from(word);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0) row.push(j);
      else if (j === 0) row.push(i);
      else {
        const prev = rows[i - 1] ?? [];
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let best = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
        }
        row.push(best);
      }
    }
    rows.push(row);
  }
  const last = rows[a.length] ?? [];
  const distance = prefix ? Math.min(...last) : (last[b.length] ?? Infinity);
  // "A typo on the first letter of a word is treated as two typos."
  return a[0] !== b[0] ? distance + 1 : distance;
}

interface QueryTerm {
  kind: "word" | "phrase";
  words: string[];
  prefix: boolean;
  negative: boolean;
}

function parseQuery(q: string, stopWords: ReadonlySet<string>): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const re = /(-?)"([^"]*)"?|(-?)([^\s"]+)/g;
  for (const m of q.matchAll(re)) {
    if (m[2] !== undefined) {
      const words = foldedWords(m[2]);
      if (words.length > 0) terms.push({ kind: "phrase", words, prefix: false, negative: m[1] === "-" });
    } else if (m[4] !== undefined) {
      const negative = m[3] === "-";
      for (const word of foldedWords(m[4]))
        terms.push({ kind: "word", words: [word], prefix: false, negative });
    }
  }
  const positives = terms.filter(
    (t) => !t.negative && !(t.kind === "word" && stopWords.has(t.words[0] ?? "")),
  );
  const lastTerm = positives[positives.length - 1];
  if (lastTerm && lastTerm.kind === "word" && !/\s$/.test(q) && !q.trimEnd().endsWith('"'))
    lastTerm.prefix = true;
  return [...positives, ...terms.filter((t) => t.negative)];
}

/** Meilisearch's synonyms, normalised: "word" or "two words" → alternatives as word lists. */
function normalisedSynonyms(settings: JsonObject): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  const synonyms = settings.synonyms;
  if (!isObject(synonyms)) return out;
  for (const [key, values] of Object.entries(synonyms)) {
    const normalisedKey = foldedWords(key).join(" ");
    if (normalisedKey === "" || !Array.isArray(values)) continue;
    const list = out.get(normalisedKey) ?? [];
    for (const value of values) {
      if (typeof value !== "string") continue;
      const words = foldedWords(value);
      if (words.length > 0 && list.length < 50) list.push(words);
    }
    out.set(normalisedKey, list);
  }
  return out;
}

interface UnitMatch {
  typos: number;
  exact: boolean;
  occurrences: Occurrence[];
}

interface TextMatch {
  matchedTerms: number;
  typos: number;
  proximity: number;
  attribute: [number, number];
  exact: number;
}

function phraseOccurrences(text: DocText, words: readonly string[]): Occurrence[] {
  const [first, ...rest] = words;
  if (first === undefined) return [];
  const out: Occurrence[] = [];
  for (const occ of text.words.get(first) ?? []) {
    let ok = true;
    rest.forEach((word, i) => {
      if (
        ok &&
        !(text.words.get(word) ?? []).some((o) => o.attr === occ.attr && o.start === occ.start + i + 1)
      )
        ok = false;
    });
    if (ok) out.push({ attr: occ.attr, start: occ.start, end: occ.start + rest.length });
  }
  return out;
}

interface TextContext {
  synonyms: Map<string, string[][]>;
  typoEnabled: boolean;
  oneTypo: number;
  twoTypos: number;
  disableOnWords: ReadonlySet<string>;
  disableOnNumbers: boolean;
}

function matchWordTerm(text: DocText, term: QueryTerm, ctx: TextContext): UnitMatch | undefined {
  const q = term.words[0] ?? "";
  const length = Array.from(q).length;
  const typoAllowed =
    ctx.typoEnabled && !ctx.disableOnWords.has(q) && !(ctx.disableOnNumbers && /^\d+$/.test(q));
  const maxTypos = !typoAllowed ? 0 : length >= ctx.twoTypos ? 2 : length >= ctx.oneTypo ? 1 : 0;
  let best: UnitMatch | undefined;
  const consider = (typos: number, exact: boolean, occurrences: Occurrence[]) => {
    if (occurrences.length === 0) return;
    if (!best || typos < best.typos) best = { typos, exact, occurrences: [...occurrences] };
    else if (typos === best.typos) {
      best.exact ||= exact;
      best.occurrences.push(...occurrences);
    }
  };
  for (const [word, occurrences] of text.words) {
    if (word === q) consider(0, true, occurrences);
    else if (term.prefix && word.startsWith(q)) consider(0, false, occurrences);
    else if (maxTypos > 0) {
      const d = typoDistance(q, word, term.prefix);
      if (d <= maxTypos) consider(d, false, occurrences);
    }
  }
  for (const alternative of ctx.synonyms.get(q) ?? [])
    consider(0, false, phraseOccurrences(text, alternative));
  return best;
}

/**
 * Whether the document matches the first `count` positive terms, choosing for each span of the
 * query the cheapest way to match it (the words themselves, or a synonym of one word or of an
 * n-gram), and the ranking figures of that match.
 */
function matchTerms(
  text: DocText,
  terms: readonly QueryTerm[],
  count: number,
  ctx: TextContext,
): TextMatch | undefined {
  const memo = new Map<number, { typos: number; units: UnitMatch[] } | null>();
  const solve = (i: number): { typos: number; units: UnitMatch[] } | null => {
    if (i >= count) return { typos: 0, units: [] };
    const cached = memo.get(i);
    if (cached !== undefined) return cached;
    let best: { typos: number; units: UnitMatch[] } | null = null;
    const options: { next: number; unit: UnitMatch }[] = [];
    const term = terms[i];
    if (term) {
      const single =
        term.kind === "phrase"
          ? (() => {
              const occ = phraseOccurrences(text, term.words);
              return occ.length > 0 ? { typos: 0, exact: true, occurrences: occ } : undefined;
            })()
          : matchWordTerm(text, term, ctx);
      if (single) options.push({ next: i + 1, unit: single });
      // n-gram synonyms over consecutive word terms
      for (let j = i + 1; j < Math.min(count, i + 3); j++) {
        const span = terms.slice(i, j + 1);
        if (span.some((t) => t.kind !== "word")) break;
        const key = span.map((t) => t.words[0] ?? "").join(" ");
        const occurrences = (ctx.synonyms.get(key) ?? []).flatMap((alt) => phraseOccurrences(text, alt));
        if (occurrences.length > 0)
          options.push({ next: j + 1, unit: { typos: 0, exact: false, occurrences } });
      }
    }
    for (const option of options) {
      const rest = solve(option.next);
      if (rest && (!best || option.unit.typos + rest.typos < best.typos)) {
        best = { typos: option.unit.typos + rest.typos, units: [option.unit, ...rest.units] };
      }
    }
    memo.set(i, best);
    return best;
  };
  const solution = solve(0);
  if (!solution) return undefined;
  let proximity = 0;
  for (let k = 1; k < solution.units.length; k++) {
    const a = solution.units[k - 1]?.occurrences ?? [];
    const b = solution.units[k]?.occurrences ?? [];
    let cost = 8;
    for (const x of a) {
      for (const y of b) {
        if (x.attr !== y.attr) continue;
        const c = y.start > x.end ? y.start - x.end : x.start - y.end + 1;
        cost = Math.min(cost, Math.max(1, c));
      }
    }
    proximity += cost;
  }
  let attrSum = 0;
  let positionSum = 0;
  for (const unit of solution.units) {
    const first = [...unit.occurrences].sort((x, y) => x.attr - y.attr || x.start - y.start)[0];
    attrSum += first?.attr ?? 0;
    positionSum += first?.start ?? 0;
  }
  return {
    matchedTerms: count,
    typos: solution.typos,
    proximity,
    attribute: [attrSum, positionSum],
    exact: solution.units.filter((u) => u.exact).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Filters

type Token =
  | { t: "op"; v: "=" | "!=" | ">" | ">=" | "<" | "<=" }
  | { t: "("; at: number }
  | { t: ")"; at: number }
  | { t: "["; at: number }
  | { t: "]"; at: number }
  | { t: ","; at: number }
  | { t: "word"; v: string; at: number }
  | { t: "quoted"; v: string; at: number };

type FilterNode =
  | { kind: "and" | "or"; children: FilterNode[] }
  | { kind: "not"; child: FilterNode }
  | { kind: "cmp"; attr: string; op: "=" | "!=" | ">" | ">=" | "<" | "<="; value: string }
  | { kind: "to"; attr: string; from: string; to: string }
  | { kind: "in"; attr: string; values: string[] }
  | { kind: "exists"; attr: string }
  | { kind: "null" | "empty"; attr: string }
  | { kind: "geoRadius"; lat: number; lng: number; metres: number }
  | { kind: "geoBox"; top: number; right: number; bottom: number; left: number };

const filterError = (message: string) => badRequest("invalid_search_filter", message);

/** Meilisearch unescapes `\<quote>` first, then the usual escapes (`\\`, `\n`, `\t`, `\u{…}`, …). */
function unescapeQuoted(raw: string, quote: string): string {
  const first = raw.split(`\\${quote}`).join(quote);
  let out = "";
  for (let i = 0; i < first.length; i++) {
    const c = first[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = first[++i];
    if (next === undefined) throw filterError("Malformed value: an escape sequence is incomplete.");
    const simple: Record<string, string> = {
      "\\": "\\",
      '"': '"',
      "'": "'",
      n: "\n",
      t: "\t",
      r: "\r",
      "0": "\0",
      b: "\b",
      f: "\f",
      "/": "/",
    };
    const mapped = simple[next];
    if (mapped !== undefined) out += mapped;
    else if (next === "u" && first[i + 1] === "{") {
      const close = first.indexOf("}", i);
      const code = Number.parseInt(first.slice(i + 2, close), 16);
      if (close < 0 || !Number.isFinite(code)) throw filterError("Malformed value: invalid unicode escape.");
      out += String.fromCodePoint(code);
      i = close;
    } else throw filterError(`Malformed value: invalid escape \`\\${next}\`.`);
  }
  return out;
}

function tokeniseFilter(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "[" || c === "]" || c === ",") {
      tokens.push({ t: c, at: i });
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "!=" || two === ">=" || two === "<=") {
      tokens.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if (c === "=" || c === ">" || c === "<") {
      tokens.push({ t: "op", v: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < input.length && input[j] !== c) j += input[j] === "\\" ? 2 : 1;
      if (j >= input.length)
        throw filterError(
          `Expression \`${input.slice(i)}\` is missing the following closing delimiter: \`${c}\`.`,
        );
      tokens.push({ t: "quoted", v: unescapeQuoted(input.slice(i + 1, j), c), at: i });
      i = j + 1;
      continue;
    }
    const m = /^[\p{L}\p{N}_.-]+/u.exec(input.slice(i));
    if (!m)
      throw filterError(
        `Was expecting a value but instead got \`${input.slice(i, i + 20)}\` at position ${i}.`,
      );
    tokens.push({ t: "word", v: m[0], at: i });
    i += m[0].length;
  }
  return tokens;
}

const KEYWORDS = new Set([
  "AND",
  "OR",
  "IN",
  "NOT",
  "TO",
  "EXISTS",
  "IS",
  "NULL",
  "EMPTY",
  "CONTAINS",
  "STARTS",
  "WITH",
]);

function parseFilterString(input: string): FilterNode {
  const tokens = tokeniseFilter(input);
  let p = 0;
  const peek = () => tokens[p];
  const isWord = (tok: Token | undefined, word: string) => tok?.t === "word" && tok.v === word;
  const expected = (what: string): never => {
    const tok = peek();
    const near = tok && "at" in tok ? input.slice(tok.at, tok.at + 30) : "end of input";
    throw filterError(`Was expecting ${what} but instead got \`${near}\`.`);
  };
  const value = (): string => {
    const tok = peek();
    if (tok?.t === "quoted") {
      p++;
      return tok.v;
    }
    if (tok?.t === "word" && !KEYWORDS.has(tok.v)) {
      p++;
      return tok.v;
    }
    return expected("a value");
  };
  const numberArg = (): number => {
    const tok = peek();
    const n = tok?.t === "word" || tok?.t === "quoted" ? Number(tok.v) : NaN;
    if (!Number.isFinite(n)) return expected("a number");
    p++;
    return n;
  };
  const punct = (t: "(" | ")" | "[" | "]" | ","): void => {
    if (peek()?.t !== t) expected(`\`${t}\``);
    p++;
  };
  const checkLatLng = (lat: number, lng: number) => {
    if (lat < -90 || lat > 90)
      throw filterError(`Bad latitude \`${lat}\`. Latitude must be contained between -90 and 90 degrees.`);
    if (lng < -180 || lng > 180)
      throw filterError(
        `Bad longitude \`${lng}\`. Longitude must be contained between -180 and 180 degrees.`,
      );
  };

  const primary = (): FilterNode => {
    const tok = peek();
    if (tok?.t === "(") {
      p++;
      const inner = orExpr();
      punct(")");
      return inner;
    }
    if (isWord(tok, "_geoRadius")) {
      p++;
      punct("(");
      const lat = numberArg();
      punct(",");
      const lng = numberArg();
      punct(",");
      const metres = numberArg();
      punct(")");
      checkLatLng(lat, lng);
      return { kind: "geoRadius", lat, lng, metres };
    }
    if (isWord(tok, "_geoBoundingBox")) {
      p++;
      punct("(");
      punct("[");
      const top = numberArg();
      punct(",");
      const right = numberArg();
      punct("]");
      punct(",");
      punct("[");
      const bottom = numberArg();
      punct(",");
      const left = numberArg();
      punct("]");
      punct(")");
      checkLatLng(top, right);
      checkLatLng(bottom, left);
      return { kind: "geoBox", top, right, bottom, left };
    }
    if (isWord(tok, "_geo") || isWord(tok, "_geoDistance") || isWord(tok, "_geoPoint")) {
      throw filterError(
        `\`${tok?.t === "word" ? tok.v : ""}\` is a reserved keyword and thus can't be used as a filter expression. Use the \`_geoRadius(latitude, longitude, distance)\` or \`_geoBoundingBox([latitude, longitude], [latitude, longitude])\` built-in rules to filter on \`_geo\` coordinates.`,
      );
    }
    const attr = value();
    const next = peek();
    if (next?.t === "op") {
      p++;
      return { kind: "cmp", attr, op: next.v, value: value() };
    }
    if (isWord(next, "IN")) {
      p++;
      return { kind: "in", attr, values: list() };
    }
    if (isWord(next, "NOT")) {
      p++;
      if (isWord(peek(), "IN")) {
        p++;
        return { kind: "not", child: { kind: "in", attr, values: list() } };
      }
      if (isWord(peek(), "EXISTS")) {
        p++;
        return { kind: "not", child: { kind: "exists", attr } };
      }
      return expected("`IN` or `EXISTS` after `NOT`");
    }
    if (isWord(next, "EXISTS")) {
      p++;
      return { kind: "exists", attr };
    }
    if (isWord(next, "IS")) {
      p++;
      const negated = isWord(peek(), "NOT");
      if (negated) p++;
      let node: FilterNode;
      if (isWord(peek(), "NULL")) node = { kind: "null", attr };
      else if (isWord(peek(), "EMPTY")) node = { kind: "empty", attr };
      else return expected("`NULL` or `EMPTY` after `IS`");
      p++;
      return negated ? { kind: "not", child: node } : node;
    }
    if (next?.t === "word" || next?.t === "quoted") {
      const from = value();
      if (!isWord(peek(), "TO")) return expected("`TO`");
      p++;
      return { kind: "to", attr, from, to: value() };
    }
    return expected(
      "an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox`",
    );
  };
  const list = (): string[] => {
    punct("[");
    const values: string[] = [];
    while (peek()?.t !== "]") {
      values.push(value());
      if (peek()?.t === ",") p++;
      else break;
    }
    punct("]");
    return values;
  };
  const notExpr = (): FilterNode => {
    if (isWord(peek(), "NOT")) {
      p++;
      return { kind: "not", child: notExpr() };
    }
    return primary();
  };
  const andExpr = (): FilterNode => {
    const children = [notExpr()];
    while (isWord(peek(), "AND")) {
      p++;
      children.push(notExpr());
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "and", children };
  };
  const orExpr = (): FilterNode => {
    const children = [andExpr()];
    while (isWord(peek(), "OR")) {
      p++;
      children.push(andExpr());
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "or", children };
  };
  if (tokens.length === 0) return { kind: "and", children: [] };
  const node = orExpr();
  if (p < tokens.length) expected("`AND`, `OR` or the end of the filter");
  return node;
}

/** The `filter` parameter: a string, or an array (AND) of strings and arrays of strings (OR). */
function parseFilter(filter: unknown): FilterNode | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter === "string") return parseFilterString(filter);
  if (Array.isArray(filter)) {
    return {
      kind: "and",
      children: filter.map((item) => {
        if (typeof item === "string") return parseFilterString(item);
        if (Array.isArray(item)) {
          return {
            kind: "or" as const,
            children: item.map((inner) => {
              if (typeof inner !== "string")
                throw filterError(
                  "Invalid value type at `.filter`: the array filter can have a maximum depth of two.",
                );
              return parseFilterString(inner);
            }),
          };
        }
        throw filterError("Invalid value type at `.filter`: expected a string or an array of strings.");
      }),
    };
  }
  throw filterError("Invalid value type at `.filter`: expected an array, a string or null.");
}

function filterAttributes(node: FilterNode, out: Set<string>): void {
  switch (node.kind) {
    case "and":
    case "or":
      node.children.forEach((c) => filterAttributes(c, out));
      return;
    case "not":
      filterAttributes(node.child, out);
      return;
    case "geoRadius":
    case "geoBox":
      out.add("_geo");
      return;
    default:
      out.add(node.attr);
  }
}

function attributeMatches(patterns: readonly string[], attribute: string): boolean {
  return patterns.some(
    (p) =>
      p === "*" ||
      p === attribute ||
      attribute.startsWith(`${p}.`) ||
      (p.endsWith("*") && attribute.startsWith(p.slice(0, -1))),
  );
}

function equalsValue(docValue: Json, wanted: string): boolean {
  if (typeof docValue === "string") return docValue.trim().toLowerCase() === wanted.trim().toLowerCase();
  if (typeof docValue === "number") return wanted.trim() !== "" && Number(wanted) === docValue;
  if (typeof docValue === "boolean") return String(docValue) === wanted.toLowerCase();
  return false;
}

function evaluate(node: FilterNode, doc: JsonObject): boolean {
  switch (node.kind) {
    case "and":
      return node.children.every((c) => evaluate(c, doc));
    case "or":
      return node.children.some((c) => evaluate(c, doc));
    case "not":
      return !evaluate(node.child, doc);
    case "cmp": {
      const values = valuesAt(doc, node.attr) ?? [];
      if (node.op === "=") return values.some((v) => equalsValue(v, node.value));
      if (node.op === "!=") return !values.some((v) => equalsValue(v, node.value));
      const target = Number(node.value);
      if (node.value.trim() === "" || !Number.isFinite(target)) return false;
      return values.some(
        (v) =>
          typeof v === "number" &&
          (node.op === ">"
            ? v > target
            : node.op === ">="
              ? v >= target
              : node.op === "<"
                ? v < target
                : v <= target),
      );
    }
    case "to": {
      const from = Number(node.from);
      const to = Number(node.to);
      return (valuesAt(doc, node.attr) ?? []).some((v) => typeof v === "number" && v >= from && v <= to);
    }
    case "in":
      return (valuesAt(doc, node.attr) ?? []).some((v) => node.values.some((w) => equalsValue(v, w)));
    case "exists":
      return valuesAt(doc, node.attr) !== undefined;
    case "null":
      return (valuesAt(doc, node.attr) ?? [undefined]).some((v) => v === null);
    case "empty": {
      const raw = node.attr in doc ? doc[node.attr] : undefined;
      return (
        raw === "" ||
        (Array.isArray(raw) && raw.length === 0) ||
        (isObject(raw) && Object.keys(raw).length === 0)
      );
    }
    case "geoRadius": {
      const geo = geoOf(doc);
      return (
        geo !== undefined &&
        distanceKm({ lat: geo.lat, lon: geo.lng }, { lat: node.lat, lon: node.lng }) * 1000 <= node.metres
      );
    }
    case "geoBox": {
      const geo = geoOf(doc);
      if (!geo || geo.lat > node.top || geo.lat < node.bottom) return false;
      return node.left <= node.right
        ? geo.lng >= node.left && geo.lng <= node.right
        : geo.lng >= node.left || geo.lng <= node.right;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sort

type SortRule =
  { kind: "field"; attr: string; asc: boolean } | { kind: "geo"; lat: number; lng: number; asc: boolean };

function parseSort(sort: unknown, settings: JsonObject): SortRule[] {
  if (sort === undefined || sort === null) return [];
  const fail = (message: string) => badRequest("invalid_search_sort", message);
  if (!Array.isArray(sort))
    throw fail("Invalid value type at `.sort`: expected an array, but found a string.");
  if (sort.length > 0 && !stringList(settings, "rankingRules").includes("sort")) {
    throw fail(
      "You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.",
    );
  }
  const sortable = stringList(settings, "sortableAttributes");
  return sort.map((item): SortRule => {
    if (typeof item !== "string") throw fail("Invalid value type at `.sort`: expected an array of strings.");
    const geo = /^_geoPoint\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\):(asc|desc)$/.exec(item);
    if (geo) {
      const lat = Number(geo[1]);
      const lng = Number(geo[2]);
      if (!Number.isFinite(lat) || lat < -90 || lat > 90)
        throw fail(`Bad latitude \`${geo[1]}\`. Latitude must be contained between -90 and 90 degrees.`);
      if (!Number.isFinite(lng) || lng < -180 || lng > 180)
        throw fail(`Bad longitude \`${geo[2]}\`. Longitude must be contained between -180 and 180 degrees.`);
      if (!attributeMatches(sortable, "_geo")) {
        throw fail(
          `Attribute \`_geo\` is not sortable. Available sortable attributes are: \`${sortable.join(", ")}\`.`,
        );
      }
      return { kind: "geo", lat, lng, asc: geo[3] === "asc" };
    }
    const m = /^(.+):(asc|desc)$/.exec(item);
    if (!m || m[1] === undefined)
      throw fail(
        `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${item}\`.`,
      );
    const attr = m[1];
    if (attr.startsWith("_geo"))
      throw fail(
        `\`${attr}\` is a reserved keyword and thus can't be used as a sort expression. Use the _geoPoint(latitude, longitude) built-in rule to sort on _geo field coordinates.`,
      );
    if (!attributeMatches(sortable, attr)) {
      throw fail(
        `Attribute \`${attr}\` is not sortable. Available sortable attributes are: \`${sortable.join(", ")}\`.`,
      );
    }
    return { kind: "field", attr, asc: m[2] === "asc" };
  });
}

/** [bucket, value]: numbers (0) before strings (1) before documents without a value (2), in both directions. */
function sortKey(doc: JsonObject, rule: SortRule): [number, number | string] {
  if (rule.kind === "geo") {
    const geo = geoOf(doc);
    return geo
      ? [0, distanceKm({ lat: geo.lat, lon: geo.lng }, { lat: rule.lat, lon: rule.lng }) * 1000]
      : [2, 0];
  }
  const values = valuesAt(doc, rule.attr) ?? [];
  const numbers = values.filter((v): v is number => typeof v === "number");
  if (numbers.length > 0) return [0, rule.asc ? Math.min(...numbers) : Math.max(...numbers)];
  const strings = values
    .filter((v): v is string | boolean => typeof v === "string" || typeof v === "boolean")
    .map((v) => String(v).toLowerCase());
  if (strings.length > 0) return [1, [...strings].sort()[rule.asc ? 0 : strings.length - 1] ?? ""];
  return [2, 0];
}

function compareSortKeys(a: [number, number | string], b: [number, number | string], asc: boolean): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] === b[1]) return 0;
  const lower = a[1] < b[1] ? -1 : 1;
  return asc ? lower : -lower;
}

// ---------------------------------------------------------------------------------------------
// Search

const SEARCH_PARAMS = new Set([
  "q",
  "offset",
  "limit",
  "page",
  "hitsPerPage",
  "filter",
  "facets",
  "attributesToRetrieve",
  "attributesToCrop",
  "cropLength",
  "cropMarker",
  "attributesToHighlight",
  "highlightPreTag",
  "highlightPostTag",
  "showMatchesPosition",
  "sort",
  "matchingStrategy",
  "showRankingScore",
  "showRankingScoreDetails",
  "rankingScoreThreshold",
  "attributesToSearchOn",
  "hybrid",
  "vector",
  "distinct",
  "retrieveVectors",
  "locales",
  "showPerformanceDetails",
]);

function nonNegativeInteger(body: JsonObject, name: string, code: string, fallback: number): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw badRequest(
      code,
      `Invalid value type at \`.${name}\`: expected a positive integer, but found ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

const docTextCache = new WeakMap<JsonObject, Map<string, DocText>>();

function textOf(doc: JsonObject, attributes: readonly string[]): DocText {
  const signature = attributes.join("\u0000");
  let byAttributes = docTextCache.get(doc);
  if (!byAttributes) {
    byAttributes = new Map();
    docTextCache.set(doc, byAttributes);
  }
  let text = byAttributes.get(signature);
  if (!text) {
    text = tokeniseDocument(doc, attributes);
    byAttributes.set(signature, text);
  }
  return text;
}

function search(index: IndexState, body: unknown): JsonObject {
  const started = Date.now();
  if (!isObject(body)) throw badRequest("bad_request", "Invalid value type: expected an object.");
  for (const key of Object.keys(body)) {
    if (!SEARCH_PARAMS.has(key)) {
      throw badRequest(
        "bad_request",
        `Unknown field \`${key}\`: expected one of ${[...SEARCH_PARAMS].map((p) => `\`${p}\``).join(", ")}`,
      );
    }
  }
  const settings = index.settings;
  const q = body.q;
  if (q !== undefined && q !== null && typeof q !== "string")
    throw badRequest("invalid_search_q", "Invalid value type at `.q`: expected a string.");
  const strategy = body.matchingStrategy ?? "last";
  if (strategy !== "last" && strategy !== "all" && strategy !== "frequency") {
    throw badRequest(
      "invalid_search_matching_strategy",
      `Unknown value \`${String(strategy)}\` at \`.matchingStrategy\`: expected one of \`last\`, \`all\`, \`frequency\`.`,
    );
  }
  const filterable = stringList(settings, "filterableAttributes");
  const filter = parseFilter(body.filter);
  if (filter) {
    const used = new Set<string>();
    filterAttributes(filter, used);
    for (const attr of used) {
      if (!attributeMatches(filterable, attr)) {
        throw badRequest(
          "invalid_search_filter",
          `Attribute \`${attr}\` is not filterable. Available filterable attribute patterns are: \`${filterable.join(", ")}\`.`,
        );
      }
    }
  }
  const sortRules = parseSort(body.sort, settings);
  const facetsParam = body.facets;
  if (
    facetsParam !== undefined &&
    facetsParam !== null &&
    (!Array.isArray(facetsParam) || facetsParam.some((f) => typeof f !== "string"))
  ) {
    throw badRequest(
      "invalid_search_facets",
      "Invalid value type at `.facets`: expected an array of strings.",
    );
  }
  const facets = (Array.isArray(facetsParam) ? facetsParam : []).flatMap((f) =>
    f === "*" ? filterable.filter((a) => a !== "_geo") : [String(f)],
  );
  for (const facet of facets) {
    if (!attributeMatches(filterable, facet)) {
      throw badRequest(
        "invalid_search_facets",
        `Invalid facet distribution, attribute \`${facet}\` is not filterable. The available filterable attribute patterns are \`${filterable.join(", ")}\`.`,
      );
    }
  }
  const finite =
    (body.page !== undefined && body.page !== null) ||
    (body.hitsPerPage !== undefined && body.hitsPerPage !== null);
  const offset = nonNegativeInteger(body, "offset", "invalid_search_offset", 0);
  const limit = nonNegativeInteger(body, "limit", "invalid_search_limit", 20);
  const page = nonNegativeInteger(body, "page", "invalid_search_page", 1);
  const hitsPerPage = nonNegativeInteger(body, "hitsPerPage", "invalid_search_hits_per_page", 20);
  if (finite && page === 0)
    throw badRequest("invalid_search_page", "Invalid value at `.page`: the page must be greater than 0.");

  // Searchable attributes, in ranking order.
  const declared = stringList(settings, "searchableAttributes");
  let searchable = declared.includes("*")
    ? [...new Set([...index.documents.values()].flatMap((d) => Object.keys(d)))]
    : declared;
  const searchOn = body.attributesToSearchOn;
  if (Array.isArray(searchOn)) {
    for (const attr of searchOn) {
      if (typeof attr !== "string" || !attributeMatches(searchable, attr)) {
        throw badRequest(
          "invalid_search_attributes_to_search_on",
          `Attribute \`${String(attr)}\` is not searchable. Available searchable attributes are: \`${searchable.join(", ")}\`.`,
        );
      }
    }
    searchable = searchable.filter((a) => searchOn.includes(a));
  }

  const typo = isObject(settings.typoTolerance) ? settings.typoTolerance : {};
  const ctx: TextContext = {
    synonyms: normalisedSynonyms(settings),
    typoEnabled: typo.enabled !== false,
    oneTypo: numberAt(settings, ["typoTolerance", "minWordSizeForTypos", "oneTypo"], 5),
    twoTypos: numberAt(settings, ["typoTolerance", "minWordSizeForTypos", "twoTypos"], 9),
    disableOnWords: new Set(stringList(typo, "disableOnWords").map(fold)),
    disableOnNumbers: typo.disableOnNumbers === true,
  };
  const stopWords = new Set(stringList(settings, "stopWords").map(fold));
  const allTerms = typeof q === "string" ? parseQuery(q, stopWords) : [];
  const positives = allTerms.filter((t) => !t.negative);
  const negatives = allTerms.filter((t) => t.negative);

  interface Candidate {
    doc: JsonObject;
    seq: number;
    text?: TextMatch;
  }
  const candidates: Candidate[] = [];
  let seq = 0;
  for (const doc of index.documents.values()) {
    seq++;
    if (filter && !evaluate(filter, doc)) continue;
    if (positives.length === 0 && negatives.length === 0) {
      candidates.push({ doc, seq });
      continue;
    }
    const text = textOf(doc, searchable);
    if (
      negatives.some((t) =>
        t.kind === "phrase" ? phraseOccurrences(text, t.words).length > 0 : text.words.has(t.words[0] ?? ""),
      )
    )
      continue;
    if (positives.length === 0) {
      candidates.push({ doc, seq });
      continue;
    }
    const minimum = strategy === "all" ? positives.length : 1;
    let match: TextMatch | undefined;
    for (let count = positives.length; count >= minimum && !match; count--)
      match = matchTerms(text, positives, count, ctx);
    if (match) candidates.push({ doc, seq, text: match });
  }

  // Bucket sort by the ranking rules, then by internal document order.
  const rules = stringList(settings, "rankingRules");
  const compare = (a: Candidate, b: Candidate): number => {
    for (const rule of rules) {
      let d = 0;
      const ta = a.text;
      const tb = b.text;
      if (rule === "words" && ta && tb) d = tb.matchedTerms - ta.matchedTerms;
      else if (rule === "typo" && ta && tb) d = ta.typos - tb.typos;
      else if (rule === "proximity" && ta && tb) d = ta.proximity - tb.proximity;
      else if (rule === "attribute" && ta && tb)
        d = ta.attribute[0] - tb.attribute[0] || ta.attribute[1] - tb.attribute[1];
      else if (rule === "exactness" && ta && tb) d = tb.exact - ta.exact;
      else if (rule === "sort") {
        for (const s of sortRules) {
          d = compareSortKeys(sortKey(a.doc, s), sortKey(b.doc, s), s.asc);
          if (d !== 0) break;
        }
      } else {
        const custom = /^(.+):(asc|desc)$/.exec(rule);
        if (custom?.[1]) {
          const s: SortRule = { kind: "field", attr: custom[1], asc: custom[2] === "asc" };
          d = compareSortKeys(sortKey(a.doc, s), sortKey(b.doc, s), s.asc);
        }
      }
      if (d !== 0) return d;
    }
    return a.seq - b.seq;
  };
  candidates.sort(compare);

  const maxTotalHits = numberAt(settings, ["pagination", "maxTotalHits"], 1000);
  const reachable = candidates.slice(0, maxTotalHits);
  const from = finite ? (page - 1) * hitsPerPage : offset;
  const count = finite ? hitsPerPage : limit;
  const pageDocs = reachable.slice(from, from + count);

  // Hits: displayed ∩ attributesToRetrieve, plus _geoDistance when sorting by _geoPoint.
  const displayed = stringList(settings, "displayedAttributes");
  const retrieve = Array.isArray(body.attributesToRetrieve)
    ? body.attributesToRetrieve.filter((a): a is string => typeof a === "string")
    : ["*"];
  const geoRule = sortRules.find((r): r is Extract<SortRule, { kind: "geo" }> => r.kind === "geo");
  const hits = pageDocs.map(({ doc }) => {
    const hit: JsonObject = {};
    for (const [key, value] of Object.entries(doc)) {
      if (attributeMatches(displayed, key) && attributeMatches(retrieve, key)) hit[key] = value;
    }
    const geo = geoOf(doc);
    if (geoRule && geo && attributeMatches(displayed, "_geo")) {
      hit._geoDistance = Math.round(
        distanceKm({ lat: geo.lat, lon: geo.lng }, { lat: geoRule.lat, lon: geoRule.lng }) * 1000,
      );
    }
    return hit;
  });

  const response: JsonObject = {
    hits,
    query: typeof q === "string" ? q : "",
    processingTimeMs: Date.now() - started,
  };
  if (finite) {
    response.hitsPerPage = hitsPerPage;
    response.page = page;
    response.totalPages = hitsPerPage === 0 ? 0 : Math.ceil(reachable.length / hitsPerPage);
    response.totalHits = reachable.length;
  } else {
    response.limit = limit;
    response.offset = offset;
    response.estimatedTotalHits = reachable.length;
  }
  if (Array.isArray(facetsParam)) {
    const distribution: JsonObject = {};
    const stats: JsonObject = {};
    const maxValues = numberAt(settings, ["faceting", "maxValuesPerFacet"], 100);
    const orderSetting = isObject(settings.faceting) ? settings.faceting.sortFacetValuesBy : undefined;
    for (const facet of facets) {
      const counts = new Map<string, { label: string; count: number }>();
      let min = Infinity;
      let max = -Infinity;
      for (const { doc } of candidates) {
        const seen = new Set<string>();
        for (const value of valuesAt(doc, facet) ?? []) {
          if (value === null || isObject(value) || Array.isArray(value)) continue;
          if (typeof value === "number") {
            min = Math.min(min, value);
            max = Math.max(max, value);
          }
          const label = String(value);
          const key = label.trim().toLowerCase();
          if (seen.has(key)) continue;
          seen.add(key);
          const entry = counts.get(key) ?? { label, count: 0 };
          entry.count++;
          counts.set(key, entry);
        }
      }
      const order = isObject(orderSetting) ? (orderSetting[facet] ?? orderSetting["*"] ?? "alpha") : "alpha";
      const entries = [...counts.values()].sort((a, b) =>
        order === "count" && a.count !== b.count
          ? b.count - a.count
          : a.label < b.label
            ? -1
            : a.label > b.label
              ? 1
              : 0,
      );
      distribution[facet] = Object.fromEntries(entries.slice(0, maxValues).map((e) => [e.label, e.count]));
      if (Number.isFinite(min)) stats[facet] = { min, max };
    }
    response.facetDistribution = distribution;
    response.facetStats = stats;
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// The server

export function createMeilisearchMock(options: MeilisearchMockOptions): MeilisearchMock {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/$/, "");
  const origin = `${base.origin}${basePath}`;

  const indexes = new Map<string, IndexState>();
  const tasks = new Map<number, MockTask>();
  let queue: QueuedTask[] = [];
  let nextTaskUid = 0;
  const requests: RecordedRequest[] = [];
  const taskFailures: MeiliErrorBody[] = [];
  const faults: { remaining: number; fault: RequestFault }[] = [];
  let delayMs = 0;

  const now = () => new Date().toISOString();

  function enqueue(
    indexUid: string | null,
    type: string,
    details: JsonObject,
    run: QueuedTask["run"],
  ): JsonObject {
    const task: MockTask = {
      uid: nextTaskUid++,
      batchUid: null,
      indexUid,
      status: "enqueued",
      type,
      canceledBy: null,
      details,
      error: null,
      duration: null,
      enqueuedAt: now(),
      startedAt: null,
      finishedAt: null,
    };
    tasks.set(task.uid, task);
    const injectedError = taskFailures.shift();
    queue.push({ task, run, ...(injectedError ? { injectedError } : {}) });
    return { taskUid: task.uid, indexUid, status: "enqueued", type, enqueuedAt: task.enqueuedAt };
  }

  /** One step of the queue: the oldest task starts, or the started one finishes. */
  function tick(): void {
    const head = queue[0];
    if (!head) return;
    const { task } = head;
    if (task.status === "enqueued") {
      task.status = "processing";
      task.startedAt = now();
      task.batchUid = task.uid;
      return;
    }
    queue = queue.slice(1);
    try {
      if (head.injectedError) throw new TaskFailure(head.injectedError);
      const details = head.run();
      if (details) task.details = { ...task.details, ...details };
      task.status = "succeeded";
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      task.status = "failed";
      task.error = error.body;
    }
    task.finishedAt = now();
    task.duration = "PT0.001S";
  }

  function processAllTasks(): void {
    while (queue.length > 0) tick();
  }

  function requireIndex(uid: string): IndexState {
    const index = indexes.get(uid);
    if (!index) throw new HttpFailure(404, indexNotFound(uid));
    return index;
  }

  function createIndexState(uid: string, primaryKey: string | null): IndexState {
    const state: IndexState = {
      uid,
      primaryKey,
      createdAt: now(),
      updatedAt: now(),
      settings: defaultSettings(),
      documents: new Map(),
    };
    indexes.set(uid, state);
    return state;
  }

  function indexView(index: IndexState): JsonObject {
    return {
      uid: index.uid,
      createdAt: index.createdAt,
      updatedAt: index.updatedAt,
      primaryKey: index.primaryKey,
    };
  }

  function validUid(uid: unknown): string {
    if (typeof uid !== "string" || !/^[A-Za-z0-9_-]{1,400}$/.test(uid)) {
      throw badRequest(
        "invalid_index_uid",
        `\`${String(uid)}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 400 bytes.`,
      );
    }
    return uid;
  }

  function documentsBody(body: unknown): JsonObject[] {
    if (body === undefined) throw badRequest("missing_payload", "A json payload is missing.");
    const list = Array.isArray(body) ? body : [body];
    if (!list.every(isObject))
      throw badRequest(
        "malformed_payload",
        "The json payload provided is malformed. `Couldn't serialize document value: expected an object`.",
      );
    return list;
  }

  function addDocuments(
    uid: string,
    docs: JsonObject[],
    primaryKeyParam: string | undefined,
    replace: boolean,
  ): JsonObject {
    return enqueue(
      uid,
      "documentAdditionOrUpdate",
      { receivedDocuments: docs.length, indexedDocuments: null },
      () => {
        const index = indexes.get(uid) ?? createIndexState(uid, null);
        let primaryKey = index.primaryKey;
        if (primaryKey !== null && primaryKeyParam !== undefined && primaryKeyParam !== primaryKey) {
          throw new TaskFailure(
            meiliError(
              "index_primary_key_already_exists",
              `Index \`${uid}\`: Index already has a primary key: \`${primaryKey}\`.`,
            ),
          );
        }
        if (primaryKey === null) {
          if (primaryKeyParam !== undefined) primaryKey = primaryKeyParam;
          else {
            const first = docs[0];
            const found = first ? primaryKeyCandidates(first) : [];
            if (found.length === 0) {
              throw new TaskFailure(
                meiliError(
                  "index_primary_key_no_candidate_found",
                  `Index \`${uid}\`: The primary key inference failed as the engine did not find any field ending with \`id\` in its name. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
                ),
              );
            }
            if (found.length > 1) {
              throw new TaskFailure(
                meiliError(
                  "index_primary_key_multiple_candidates_found",
                  `Index \`${uid}\`: The primary key inference failed as the engine found ${found.length} fields ending with \`id\` in their names: '${found.join("' and '")}'. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
                ),
              );
            }
            primaryKey = found[0] ?? null;
          }
        }
        if (primaryKey === null) return;
        // Validate the whole batch first: a failed addition indexes nothing.
        const prepared = docs.map((doc) => {
          const id = documentIdOf(doc, primaryKey);
          validateGeo(doc, id);
          return { id, doc };
        });
        index.primaryKey = primaryKey;
        for (const { id, doc } of prepared) {
          const existing = index.documents.get(id);
          index.documents.set(
            id,
            replace || !existing ? structuredClone(doc) : { ...existing, ...structuredClone(doc) },
          );
        }
        index.updatedAt = now();
        return { indexedDocuments: prepared.length };
      },
    );
  }

  // ---- request plumbing

  async function readBody(request: { clone(): { text(): Promise<string> } }): Promise<unknown> {
    const text = await request.clone().text();
    if (text === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  function errorResponse(status: number, body: MeiliErrorBody): Response {
    return HttpResponse.json(body, { status });
  }

  type Handler = (ctx: { params: Record<string, string>; body: unknown; query: URLSearchParams }) => {
    status: number;
    body?: unknown;
  };

  function route(
    method: "get" | "post" | "put" | "patch" | "delete",
    path: string,
    handle: Handler,
    publicRoute = false,
  ): HttpHandler {
    return http[method](`${origin}${path}`, async ({ request, params }) => {
      const url = new URL(request.url);
      const body = await readBody(request);
      const record: RecordedRequest = {
        method: request.method,
        path: url.pathname.slice(basePath.length) || "/",
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: request.headers.get("authorization"),
      };
      requests.push(record);
      if (delayMs > 0) await delay(delayMs);
      const fault = faults.find(
        (f) =>
          f.remaining > 0 &&
          (f.fault.method === undefined || f.fault.method.toUpperCase() === request.method) &&
          (f.fault.path === undefined || f.fault.path.test(record.path)),
      );
      if (fault) {
        fault.remaining--;
        if (fault.fault.networkError) {
          record.response = { status: 0, body: "network error" };
          return HttpResponse.error();
        }
        const status = fault.fault.status ?? 503;
        const faultBody =
          fault.fault.body !== undefined
            ? fault.fault.body
            : meiliError(
                "internal",
                status === 503 ? "Service unavailable." : "An internal error has occurred.",
                "internal",
              );
        record.response = { status, body: faultBody };
        return faultBody === null
          ? new HttpResponse(null, { status })
          : typeof faultBody === "string"
            ? new HttpResponse(faultBody, { status, headers: { "content-type": "text/plain" } })
            : HttpResponse.json(faultBody as Json, { status });
      }
      tick();
      try {
        if (options.apiKey !== undefined && !publicRoute) {
          const header = record.authorization;
          if (header === null) {
            throw new HttpFailure(
              401,
              meiliError(
                "missing_authorization_header",
                "The Authorization header is missing. It must use the bearer authorization method.",
                "auth",
              ),
            );
          }
          if (header !== `Bearer ${options.apiKey}`) {
            throw new HttpFailure(
              403,
              meiliError("invalid_api_key", "The provided API key is invalid.", "auth"),
            );
          }
        }
        if (typeof body === "string") {
          throw badRequest(
            "malformed_payload",
            `The json payload provided is malformed. \`${body.slice(0, 60)}\`.`,
          );
        }
        const result = handle({
          params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
          body,
          query: url.searchParams,
        });
        record.response = { status: result.status, body: result.body };
        return result.body === undefined
          ? new HttpResponse(null, { status: result.status })
          : HttpResponse.json(result.body as Json, { status: result.status });
      } catch (error) {
        if (error instanceof HttpFailure) {
          record.response = { status: error.status, body: error.body };
          return errorResponse(error.status, error.body);
        }
        throw error;
      }
    });
  }

  const accepted = (task: JsonObject) => ({ status: 202, body: task });

  const handlers: HttpHandler[] = [
    route("get", "/health", () => ({ status: 200, body: { status: "available" } }), true),

    route("get", "/tasks/:taskUid", ({ params }) => {
      const uid = Number(params.taskUid);
      if (!Number.isInteger(uid) || uid < 0)
        throw badRequest(
          "invalid_task_uids",
          `Invalid value at \`.taskUid\`: could not parse \`${params.taskUid}\` as a positive integer`,
        );
      const task = tasks.get(uid);
      if (!task) throw new HttpFailure(404, meiliError("task_not_found", `Task \`${uid}\` not found.`));
      return { status: 200, body: structuredClone(task) };
    }),

    route("get", "/indexes", ({ query }) => {
      const offset = Number(query.get("offset") ?? 0);
      const limit = Number(query.get("limit") ?? 20);
      const all = [...indexes.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1)).map(indexView);
      return {
        status: 200,
        body: { results: all.slice(offset, offset + limit), offset, limit, total: all.length },
      };
    }),

    route("post", "/indexes", ({ body }) => {
      if (!isObject(body)) throw badRequest("bad_request", "Invalid value type: expected an object.");
      const uid = validUid(body.uid);
      const primaryKey = typeof body.primaryKey === "string" ? body.primaryKey : null;
      return accepted(
        enqueue(uid, "indexCreation", { primaryKey }, () => {
          if (indexes.has(uid))
            throw new TaskFailure(meiliError("index_already_exists", `Index \`${uid}\` already exists.`));
          createIndexState(uid, primaryKey);
        }),
      );
    }),

    route("get", "/indexes/:uid", ({ params }) => ({
      status: 200,
      body: indexView(requireIndex(params.uid ?? "")),
    })),

    route("patch", "/indexes/:uid", ({ params, body }) => {
      const uid = params.uid ?? "";
      const primaryKey = isObject(body) && typeof body.primaryKey === "string" ? body.primaryKey : null;
      return accepted(
        enqueue(uid, "indexUpdate", { primaryKey }, () => {
          const index = indexes.get(uid);
          if (!index) throw new TaskFailure(indexNotFound(uid));
          if (index.documents.size > 0 && primaryKey !== index.primaryKey) {
            throw new TaskFailure(
              meiliError(
                "index_primary_key_already_exists",
                `Index \`${uid}\`: Index already has a primary key: \`${index.primaryKey ?? ""}\`.`,
              ),
            );
          }
          index.primaryKey = primaryKey;
          index.updatedAt = now();
        }),
      );
    }),

    route("delete", "/indexes/:uid", ({ params }) => {
      const uid = params.uid ?? "";
      return accepted(
        enqueue(uid, "indexDeletion", { deletedDocuments: 0 }, () => {
          const index = indexes.get(uid);
          if (!index) throw new TaskFailure(indexNotFound(uid));
          indexes.delete(uid);
          return { deletedDocuments: index.documents.size };
        }),
      );
    }),

    route("get", "/indexes/:uid/settings", ({ params }) => ({
      status: 200,
      body: structuredClone(requireIndex(params.uid ?? "").settings),
    })),

    route("patch", "/indexes/:uid/settings", ({ params, body }) => {
      const uid = validUid(params.uid);
      const patch = validateSettings(body);
      return accepted(
        enqueue(uid, "settingsUpdate", structuredClone(patch), () => {
          const index = indexes.get(uid) ?? createIndexState(uid, null);
          index.settings = applySettings(index.settings, patch);
          index.updatedAt = now();
        }),
      );
    }),

    route("get", "/indexes/:uid/stats", ({ params }) => {
      const index = requireIndex(params.uid ?? "");
      const fieldDistribution: Record<string, number> = {};
      for (const doc of index.documents.values())
        for (const key of Object.keys(doc)) fieldDistribution[key] = (fieldDistribution[key] ?? 0) + 1;
      return {
        status: 200,
        body: {
          numberOfDocuments: index.documents.size,
          rawDocumentDbSize: 0,
          avgDocumentSize: 0,
          isIndexing: queue.some((q) => q.task.indexUid === index.uid),
          numberOfEmbeddings: 0,
          numberOfEmbeddedDocuments: 0,
          fieldDistribution,
        },
      };
    }),

    route("get", "/indexes/:uid/documents", ({ params, query }) => {
      const index = requireIndex(params.uid ?? "");
      const offset = Number(query.get("offset") ?? 0);
      const limit = Number(query.get("limit") ?? 20);
      const all = [...index.documents.values()];
      return {
        status: 200,
        body: { results: all.slice(offset, offset + limit), offset, limit, total: all.length },
      };
    }),

    route("post", "/indexes/:uid/documents", ({ params, body, query }) =>
      accepted(
        addDocuments(validUid(params.uid), documentsBody(body), query.get("primaryKey") ?? undefined, true),
      ),
    ),

    route("put", "/indexes/:uid/documents", ({ params, body, query }) =>
      accepted(
        addDocuments(validUid(params.uid), documentsBody(body), query.get("primaryKey") ?? undefined, false),
      ),
    ),

    route("post", "/indexes/:uid/documents/delete-batch", ({ params, body }) => {
      const uid = validUid(params.uid);
      if (!Array.isArray(body) || body.some((id) => typeof id !== "string" && typeof id !== "number")) {
        throw badRequest("bad_request", "Invalid value type: expected an array of document ids.");
      }
      const ids = body.map(String);
      return accepted(
        enqueue(uid, "documentDeletion", { providedIds: ids.length, deletedDocuments: null }, () => {
          const index = indexes.get(uid);
          if (!index) throw new TaskFailure(indexNotFound(uid));
          let deleted = 0;
          for (const id of ids) if (index.documents.delete(id)) deleted++;
          index.updatedAt = now();
          return { deletedDocuments: deleted };
        }),
      );
    }),

    route("delete", "/indexes/:uid/documents", ({ params }) => {
      const uid = validUid(params.uid);
      return accepted(
        enqueue(
          uid,
          "documentDeletion",
          { deletedDocuments: null, providedIds: 0, originalFilter: null },
          () => {
            const index = indexes.get(uid);
            if (!index) throw new TaskFailure(indexNotFound(uid));
            const deleted = index.documents.size;
            index.documents.clear();
            index.updatedAt = now();
            return { deletedDocuments: deleted };
          },
        ),
      );
    }),

    route("post", "/indexes/:uid/search", ({ params, body }) => ({
      status: 200,
      body: search(requireIndex(params.uid ?? ""), body ?? {}),
    })),
  ];

  return {
    handlers,
    requests,
    requestsTo: (method, path) =>
      requests.filter((r) => r.method === method.toUpperCase() && path.test(r.path)),
    clearRequests: () => {
      requests.length = 0;
    },
    failNextTask: (error = {}) => {
      taskFailures.push({
        ...meiliError("internal", "An internal error has occurred.", "internal"),
        ...error,
      });
    },
    failNextRequests: (count, fault = {}) => {
      faults.push({ remaining: count, fault });
    },
    delayResponses: (ms) => {
      delayMs = ms;
    },
    processAllTasks,
    task: (uid) => {
      const task = tasks.get(uid);
      return task ? structuredClone(task) : undefined;
    },
    documents: (uid) => [...(indexes.get(uid)?.documents.values() ?? [])].map((d) => structuredClone(d)),
    settings: (uid) => {
      const index = indexes.get(uid);
      return index ? structuredClone(index.settings) : undefined;
    },
    indexUids: () => [...indexes.keys()],
    reset: () => {
      indexes.clear();
      tasks.clear();
      queue = [];
      nextTaskUid = 0;
      requests.length = 0;
      taskFailures.length = 0;
      faults.length = 0;
      delayMs = 0;
    },
  };
}
