/**
 * The label index: every CPV label (English and Norwegian for all 9 454 codes, Danish and
 * Swedish for the Annex XIV codes) and every curated synonym as a small document of keys
 * (analysis.ts), with an inverted index, IDF over codes and BM25-like matching that prefers
 * labels whose words the text covers. Built once from bundled JSON; no I/O.
 */
import { z } from "zod";
import { foldWord, isScandinavian, splitCompound, stemKey, wordKeys, words } from "./analysis.js";
import { CLASSIFY_LANGUAGES, type ClassifyLanguage } from "./classifier.port.js";

export interface CatalogueEntry {
  code: string;
  parent: string | null;
  labels: Partial<Record<ClassifyLanguage, string>>;
}

/** src/classify/synonyms.json: curated terms per code and language (lower case, native letters). */
export const SynonymLexicon = z.object({
  entries: z.array(
    z.object({
      code: z.string().regex(/^\d{8}$/),
      terms: z.partialRecord(z.enum(CLASSIFY_LANGUAGES), z.array(z.string())),
    }),
  ),
});
export type SynonymLexicon = z.infer<typeof SynonymLexicon>;

/** Weight of a compound part inside a label ("vindus|pussing") next to a whole word (1). */
export const LABEL_PART_WEIGHT = 0.5;
/** Weight of the parts of an unknown compound of the text, each. */
export const QUERY_PART_WEIGHT = 0.7;

const LANGUAGE_ID: Readonly<Record<ClassifyLanguage, number>> = { da: 0, sv: 1, nb: 2, en: 3 };

/**
 * How much a match in a document of language `doc` counts for a text of language `text`:
 * Scandinavian texts meet Norwegian labels for nearly every code, so a neighbour language
 * counts nearly fully; English labels still catch loan words ("catering", "IT"). English text
 * reads English labels only.
 */
function languageWeight(text: ClassifyLanguage, doc: ClassifyLanguage): number {
  if (text === doc) return 1;
  if (isScandinavian(text) && isScandinavian(doc)) return 0.9;
  if (isScandinavian(text)) return 0.5;
  // English text has English labels for every code; Nordic ones only add chance collisions.
  return 0;
}

export interface QueryTerm {
  /** Alternative keys of one word (stems in the languages looked at, the folded word). */
  keys: readonly string[];
  weight: number;
  /** Only keys at least this rare count (IDF over codes): descriptions meet common words everywhere. */
  minIdf: number;
}

/**
 * Description words count only when their key is in at most 2 % of the codes (IDF ≥ ln 51):
 * "services", "supply", "maintenance" add nothing a description's rarer words do not, and cost
 * most of the time.
 */
export const DESCRIPTION_MIN_IDF = Math.log(51);
/** Keys in more than 5 % of the codes (IDF < ln 21) are "common" (see `match`). */
export const COMMON_IDF = Math.log(21);

export interface LabelIndex {
  codes: readonly string[];
  /** Index of the parent code, -1 for a division. */
  parent: Int32Array;
  /** 1 division, 2 group, 3 class, 4 category, 5+. */
  level: Uint8Array;
  /** Index of the code's division code. */
  division: Int32Array;
  codeIndex: ReadonlyMap<string, number>;
  labels: readonly Partial<Record<ClassifyLanguage, string>>[];
  /** Is this folded word or stem known (from Scandinavian labels and synonyms)? */
  knownNordic: (folded: string) => boolean;
  /** Is this folded word or stem known from the English labels and synonyms? */
  knownEnglish: (folded: string) => boolean;
  hasKey: (key: string) => boolean;
  /** Scores of codes by their own labels and synonyms; fills `out` (code index → score), returns touched codes. */
  match: (terms: readonly QueryTerm[], lang: ClassifyLanguage, gamma: number, out: Float64Array) => number[];
  synonymCount: number;
}

/**
 * English and Nordic labels have separate key spaces ("e:" and "n:"), so that neither changes
 * the other's IDF and a Nordic compound part never meets an English stem by chance; Nordic
 * text also looks up its folded words among the English keys (loan words: "catering").
 */
const ENGLISH = "e:";
const NORDIC = "n:";

/** Keys of one word of a label or synonym in language `lang`: its stem and the folded word. */
function docKeys(word: string, lang: ClassifyLanguage): string[] {
  const prefix = isScandinavian(lang) ? NORDIC : ENGLISH;
  const stem = prefix + stemKey(word, lang);
  const folded = prefix + foldWord(word);
  return stem === folded ? [stem] : [stem, folded];
}

const queryKeyCaches: Readonly<Record<ClassifyLanguage, Map<string, readonly string[]>>> = {
  da: new Map(),
  sv: new Map(),
  nb: new Map(),
  en: new Map(),
};
const QUERY_KEY_CACHE_LIMIT = 100_000;

/** Keys a word of a text in `lang` is looked up under (cached; do not change the array). */
export function lookupKeys(word: string, lang: ClassifyLanguage): readonly string[] {
  const cache = queryKeyCaches[lang];
  let keys = cache.get(word);
  if (keys === undefined) {
    if (cache.size >= QUERY_KEY_CACHE_LIMIT) cache.clear();
    keys = isScandinavian(lang)
      ? [...wordKeys(word, lang).map((k) => NORDIC + k), ENGLISH + foldWord(word)]
      : wordKeys(word, lang).map((k) => ENGLISH + k);
    cache.set(word, keys);
  }
  return keys;
}

interface DocTerm {
  keys: string[];
  weight: number;
}

/** Synonyms are curated: a match counts this much more than a label match. */
export const SYNONYM_BOOST = 1.5;

interface RawDoc {
  code: number;
  lang: ClassifyLanguage;
  words: string[];
  boost: number;
}

interface Doc {
  code: number;
  lang: ClassifyLanguage;
  terms: DocTerm[];
  boost: number;
}

/**
 * The label documents, analysed: per label its words' keys and, for Danish, Swedish and Norwegian
 * labels, the keys of their compound parts (split against the labels' own vocabulary). Computed
 * by the build script into the model file (it is most of the start-up otherwise) and, without a
 * model, at start; the same function either way. `docs` is flat: per document its code index,
 * language number and term count, then per term its weight × 2, key count and key numbers
 * (into `keys`).
 */
export const LabelDocuments = z.object({
  keys: z.array(z.string()),
  docs: z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => typeof x === "number")),
});
export type LabelDocuments = z.infer<typeof LabelDocuments>;

/** Adds the folded words and stems of the documents in Scandinavian (or English) languages. */
function vocabulary(raw: readonly RawDoc[], scandinavian: boolean, into: Set<string>): void {
  for (const d of raw) {
    if (isScandinavian(d.lang) !== scandinavian) continue;
    for (const w of d.words) {
      into.add(foldWord(w));
      into.add(stemKey(w, d.lang));
    }
  }
}

function analyse(raw: readonly RawDoc[], knownNordic: (folded: string) => boolean): Doc[] {
  const splits = new Map<string, string[]>();
  const partsOf = (word: string): string[] => {
    let parts = splits.get(word);
    if (parts === undefined) {
      parts = splitCompound(word, knownNordic);
      splits.set(word, parts);
    }
    return parts;
  };
  return raw.map((d) => {
    const terms: DocTerm[] = [];
    const seen = new Set<string>();
    for (const w of d.words) {
      const keys = docKeys(w, d.lang);
      if (keys.some((k) => seen.has(k))) continue;
      keys.forEach((k) => seen.add(k));
      terms.push({ keys, weight: 1 });
    }
    if (isScandinavian(d.lang)) {
      for (const w of d.words) {
        for (const part of partsOf(w)) {
          const keys = docKeys(part, d.lang).filter((k) => !seen.has(k));
          if (keys.length === 0) continue;
          keys.forEach((k) => seen.add(k));
          terms.push({ keys, weight: LABEL_PART_WEIGHT });
        }
      }
    }
    return { code: d.code, lang: d.lang, terms, boost: d.boost };
  });
}

export function labelDocuments(catalogue: readonly CatalogueEntry[]): LabelDocuments {
  const raw: RawDoc[] = [];
  catalogue.forEach((e, i) => {
    for (const lang of CLASSIFY_LANGUAGES) {
      const label = e.labels[lang];
      if (label) raw.push({ code: i, lang, words: words(label, lang), boost: 1 });
    }
  });
  const nordic = new Set<string>();
  vocabulary(raw, true, nordic);
  const docs = analyse(raw, (folded) => nordic.has(folded));
  const keys = [...new Set(docs.flatMap((d) => d.terms.flatMap((t) => t.keys)))].sort();
  const keyNumber = new Map(keys.map((k, i) => [k, i]));
  const flat: number[] = [];
  for (const d of docs) {
    flat.push(d.code, LANGUAGE_ID[d.lang], d.terms.length);
    for (const t of d.terms)
      flat.push(t.weight * 2, t.keys.length, ...t.keys.map((k) => keyNumber.get(k) ?? 0));
  }
  return { keys, docs: flat };
}

function decodeLabelDocuments(data: LabelDocuments): Doc[] {
  const out: Doc[] = [];
  const { keys, docs } = data;
  let p = 0;
  while (p < docs.length) {
    const code = docs[p++] ?? 0;
    const lang = CLASSIFY_LANGUAGES[docs[p++] ?? 3] ?? "en";
    const count = docs[p++] ?? 0;
    const terms: DocTerm[] = [];
    for (let t = 0; t < count; t++) {
      const weight = (docs[p++] ?? 2) / 2;
      const n = docs[p++] ?? 0;
      const termKeys: string[] = [];
      for (let k = 0; k < n; k++) termKeys.push(keys[docs[p++] ?? 0] ?? "");
      terms.push({ keys: termKeys, weight });
    }
    out.push({ code, lang, terms, boost: 1 });
  }
  return out;
}

/**
 * The index over the label documents (precomputed, see `labelDocuments`, or computed here) and
 * the synonyms (analysed here: they change without a model rebuild).
 */
export function buildLabelIndex(
  catalogue: readonly CatalogueEntry[],
  synonyms?: SynonymLexicon,
  labelDocs: LabelDocuments = labelDocuments(catalogue),
): LabelIndex {
  const codes = catalogue.map((e) => e.code);
  const codeIndex = new Map(codes.map((c, i) => [c, i]));
  const parent = new Int32Array(codes.length).fill(-1);
  const level = new Uint8Array(codes.length);
  catalogue.forEach((e, i) => {
    parent[i] = e.parent === null ? -1 : (codeIndex.get(e.parent) ?? -1);
    level[i] = Math.max(1, e.code.replace(/0+$/, "").length - 1);
  });

  const labels = decodeLabelDocuments(labelDocs);
  // The vocabularies (folded words and stems): whole-word keys of the labels, and the synonyms.
  const nordic = new Set<string>();
  const english = new Set<string>();
  for (const d of labels) {
    const into = isScandinavian(d.lang) ? nordic : english;
    for (const t of d.terms) if (t.weight === 1) for (const k of t.keys) into.add(k.slice(2));
  }
  const rawSynonyms: RawDoc[] = [];
  let synonymCount = 0;
  for (const entry of synonyms?.entries ?? []) {
    const i = codeIndex.get(entry.code);
    if (i === undefined) continue;
    for (const lang of CLASSIFY_LANGUAGES) {
      for (const term of entry.terms[lang] ?? []) {
        const w = words(term, lang);
        if (w.length === 0) continue;
        rawSynonyms.push({ code: i, lang, words: w, boost: SYNONYM_BOOST });
        synonymCount++;
      }
    }
  }
  vocabulary(rawSynonyms, true, nordic);
  vocabulary(rawSynonyms, false, english);
  const knownNordic = (folded: string): boolean => nordic.has(folded);
  const knownEnglish = (folded: string): boolean => english.has(folded);
  const docs: Doc[] = [...labels, ...analyse(rawSynonyms, knownNordic)];

  // Inverted index; document frequency over codes (a code's labels and synonyms count once).
  const postingLists = new Map<string, number[]>();
  docs.forEach((d, di) => {
    d.terms.forEach((t, ti) => {
      for (const k of t.keys) {
        let list = postingLists.get(k);
        if (!list) postingLists.set(k, (list = []));
        list.push(di, ti);
      }
    });
  });
  const n = codes.length;
  const idf = new Map<string, number>();
  const lastKey = new Int32Array(n).fill(-1);
  let keyNumber = 0;
  for (const [k, list] of postingLists) {
    let df = 0;
    for (let p = 0; p < list.length; p += 2) {
      const code = docs[list[p] ?? 0]?.code ?? 0;
      if (lastKey[code] !== keyNumber) {
        lastKey[code] = keyNumber;
        df++;
      }
    }
    idf.set(k, Math.log(1 + n / df));
    keyNumber++;
  }

  // Flat arrays: per posting its document and term weight × idf of the term (its rarest key).
  const keyId = new Map<string, number>();
  const starts: number[] = [0];
  const postDoc: number[] = [];
  const postTerm: number[] = [];
  for (const [k, list] of postingLists) {
    keyId.set(k, starts.length - 1);
    for (let p = 0; p < list.length; p += 2) {
      postDoc.push(list[p] ?? 0);
      postTerm.push(list[p + 1] ?? 0);
    }
    starts.push(postDoc.length);
  }
  const termOffset = new Int32Array(docs.length + 1);
  docs.forEach((d, di) => (termOffset[di + 1] = (termOffset[di] ?? 0) + d.terms.length));
  const termValue = new Float32Array(termOffset[docs.length] ?? 0);
  const docNorm = new Float64Array(docs.length);
  docs.forEach((d, di) => {
    let norm = 0;
    d.terms.forEach((t, ti) => {
      let rarest = 0;
      for (const k of t.keys) rarest = Math.max(rarest, idf.get(k) ?? 0);
      const value = t.weight * rarest;
      termValue[(termOffset[di] ?? 0) + ti] = value;
      norm += value;
    });
    docNorm[di] = norm;
  });
  const keyIdf = new Float64Array(keyId.size);
  for (const [k, id] of keyId) keyIdf[id] = idf.get(k) ?? 0;
  const postingStart = Int32Array.from(starts);
  const postingDoc = Int32Array.from(postDoc);
  const postingTerm = Int32Array.from(postTerm);
  const docCode = Int32Array.from(docs.map((d) => d.code));
  const docLang = Uint8Array.from(docs.map((d) => LANGUAGE_ID[d.lang]));
  const docBoost = Float32Array.from(docs.map((d) => d.boost));

  // Per-query scratch, reused (the classifier is single-threaded and synchronous).
  const acc = new Float64Array(docs.length);
  const cov = new Float64Array(docs.length);
  const touchedDoc = new Uint8Array(docs.length);
  const termSeen = new Uint8Array(termValue.length);
  const termBest = new Float64Array(termValue.length);
  const docList: number[] = [];

  const match = (
    terms: readonly QueryTerm[],
    lang: ClassifyLanguage,
    gamma: number,
    out: Float64Array,
  ): number[] => {
    docList.length = 0;
    const langWeights = CLASSIFY_LANGUAGES.map((l) => languageWeight(lang, l));
    // Rare keys first; a common key ("services", "tjenester") only adds to labels a rarer word
    // found, unless no word was rare: cheaper by far, and a label matched only by "services"
    // says nothing.
    const common: { term: QueryTerm; id: number }[] = [];
    const visit = (term: QueryTerm, id: number, mayAdd: boolean) => {
      const end = postingStart[id + 1] ?? 0;
      for (let p = postingStart[id] ?? 0; p < end; p++) {
        const doc = postingDoc[p] ?? 0;
        if (!mayAdd && touchedDoc[doc] === 0) continue;
        if ((langWeights[docLang[doc] ?? 3] ?? 0) === 0) continue;
        const t = (termOffset[doc] ?? 0) + (postingTerm[p] ?? 0);
        const value = termValue[t] ?? 0;
        // A document term counts once, with the best weight of the text words that meet it.
        const first = termSeen[t] === 0;
        const before = first ? 0 : (termBest[t] ?? 0);
        const now = value * term.weight;
        if (now <= before) continue;
        if (first) {
          cov[doc] = (cov[doc] ?? 0) + value;
          termSeen[t] = 1;
        }
        termBest[t] = now;
        acc[doc] = (acc[doc] ?? 0) + now - before;
        if (touchedDoc[doc] === 0) {
          touchedDoc[doc] = 1;
          docList.push(doc);
        }
      }
    };
    for (const term of terms) {
      for (const key of term.keys) {
        const id = keyId.get(key);
        if (id === undefined) continue;
        const keyIdfValue = keyIdf[id] ?? 0;
        if (keyIdfValue < term.minIdf) continue;
        if (keyIdfValue < COMMON_IDF) common.push({ term, id });
        else visit(term, id, true);
      }
    }
    const mayAdd = docList.length === 0;
    for (const { term, id } of common) visit(term, id, mayAdd);
    const touchedCodes: number[] = [];
    for (const doc of docList) {
      const coverage = (cov[doc] ?? 0) / (docNorm[doc] || 1);
      const score =
        (acc[doc] ?? 0) *
        Math.pow(Math.min(1, coverage), gamma) *
        (langWeights[docLang[doc] ?? 3] ?? 0) *
        (docBoost[doc] ?? 1);
      const code = docCode[doc] ?? 0;
      if ((out[code] ?? 0) === 0) touchedCodes.push(code);
      if (score > (out[code] ?? 0)) out[code] = score;
      // Reset the scratch for the next text.
      acc[doc] = 0;
      cov[doc] = 0;
      touchedDoc[doc] = 0;
      const end = termOffset[doc + 1] ?? 0;
      for (let t = termOffset[doc] ?? 0; t < end; t++) termSeen[t] = 0;
    }
    return touchedCodes.filter((c) => (out[c] ?? 0) > 0);
  };

  const division = Int32Array.from(codes.map((c, i) => codeIndex.get(`${c.slice(0, 2)}000000`) ?? i));
  return {
    codes,
    parent,
    level,
    division,
    codeIndex,
    labels: catalogue.map((e) => e.labels),
    knownNordic,
    knownEnglish,
    hasKey: (key) => keyId.has(key),
    match,
    synonymCount,
  };
}

/**
 * Words of a text (analysis.ts `words`) as query terms, into `into`: per word its keys, and the
 * parts of a Nordic compound none of whose keys the labels know.
 */
export function queryTerms(
  index: Pick<LabelIndex, "hasKey" | "knownNordic">,
  textWords: readonly string[],
  lang: ClassifyLanguage,
  weight: number,
  minIdf: number,
  into: Map<string, QueryTerm>,
): void {
  const add = (id: string, keys: readonly string[], w: number) => {
    const existing = into.get(id);
    if (existing) {
      if (existing.weight < w) existing.weight = w;
      if (existing.minIdf > minIdf) existing.minIdf = minIdf;
    } else {
      into.set(id, { keys, weight: w, minIdf });
    }
  };
  for (const w of textWords) {
    const folded = foldWord(w);
    const known = into.has(folded);
    const keys = lookupKeys(w, lang);
    add(folded, keys, weight);
    if (known || !isScandinavian(lang) || keys.some((k) => index.hasKey(k))) continue;
    for (const part of splitCompound(w, index.knownNordic)) {
      add(`${foldWord(part)}\u0000part`, lookupKeys(part, lang), weight * QUERY_PART_WEIGHT);
    }
  }
}
