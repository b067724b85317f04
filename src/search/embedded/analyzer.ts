/**
 * Text analysis for the embedded engine: words, folded (src/domain/text.ts) and stemmed.
 *
 * A word is indexed as its folded form ("rengøringen" → "rengoringen") and as its stem in the
 * document's language, stemmed before folding because the snowball stemmers expect native
 * letters ("rengøringen" → "rengøring" → "rengoring"). Query words are stemmed with the
 * language hint, or with all four stemmers without one.
 *
 * Folded words get small integer ids, shared by every index using the analyzer, so that
 * indexing counts words in typed arrays rather than in maps.
 */
import { stemmer as danish } from "@orama/stemmers/danish";
import { stemmer as english } from "@orama/stemmers/english";
import { stemmer as norwegian } from "@orama/stemmers/norwegian";
import { stemmer as swedish } from "@orama/stemmers/swedish";
import { fold } from "../../domain/text.js";

export type Stemmer = (word: string) => string;

/** The stemmers, in the order of their index (da, sv, no, en). */
const STEMMERS: readonly Stemmer[] = [danish, swedish, norwegian, english];

/** Stemmer index by language code; nb, no and nn share the Norwegian stemmer. */
const STEMMER_OF_LANGUAGE: Readonly<Record<string, number>> = { da: 0, sv: 1, nb: 2, no: 2, nn: 2, en: 3 };

/** The stemmer of a language code (nb, no and nn: Norwegian), for code that reads text as this engine does. */
export function stemmerOf(lang: string): Stemmer | undefined {
  const i = STEMMER_OF_LANGUAGE[lang.toLowerCase()];
  return i === undefined ? undefined : STEMMERS[i];
}

/** All four stemmers (da, sv, no, en), for words of unknown language. */
export const ALL_STEMMERS: readonly Stemmer[] = STEMMERS;

/** A new copy of the word pattern (global: each user needs its own `lastIndex`). */
export function wordPattern(): RegExp {
  return new RegExp(WORD.source, WORD.flags);
}

/** Longer words are cut to this many UTF-16 units (URLs, chemical names). */
export const MAX_TERM_LENGTH = 48;

/** Words of at least this many characters (folded) allow one typo, and two from the second. */
export const ONE_TYPO_MIN_LENGTH = 5;
export const TWO_TYPOS_MIN_LENGTH = 9;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const ENDS_IN_WORD = /[\p{L}\p{M}\p{N}]$/u;
const COMBINING_MARK = /\p{M}/u;
const WORD_CACHE_LIMIT = 500_000;
/** Short texts (CPV labels, names, lot titles) come back in many documents: cache them whole. */
const TEXT_CACHE_MAX_LENGTH = 256;
const TEXT_CACHE_LIMIT = 100_000;
const NOT_YET = -1;

/** A word of a query, folded, with its stems and what it may match besides itself. */
export interface QueryWord {
  term: string;
  /** Folded stems (distinct; may include `term` itself). */
  stems: string[];
  /** The last word of a query typed so far matches as a prefix too. */
  prefix: boolean;
  /** Typos allowed: 0 below five characters, 1 from five, 2 from nine. */
  typos: number;
}

/** Word ids and stem ids of a text, in order; reused from text to text. */
export class TokenBuffer {
  terms = new Int32Array(256);
  stems = new Int32Array(256);
  length = 0;

  push(term: number, stem: number): void {
    if (this.length === this.terms.length) {
      const terms = new Int32Array(this.length * 2);
      terms.set(this.terms);
      this.terms = terms;
      const stems = new Int32Array(this.length * 2);
      stems.set(this.stems);
      this.stems = stems;
    }
    this.terms[this.length] = term;
    this.stems[this.length] = stem;
    this.length++;
  }
}

/** The stemmer index for a language (da 0, sv 1, nb/no/nn 2, en 3), -1 for none. */
export function stemmerIndex(language: string | undefined): number {
  return language === undefined ? -1 : (STEMMER_OF_LANGUAGE[language.toLowerCase()] ?? -1);
}

export function typosAllowed(term: string): number {
  let length = 0;
  for (const _ of term) length++;
  if (length >= TWO_TYPOS_MIN_LENGTH) return 2;
  if (length >= ONE_TYPO_MIN_LENGTH) return 1;
  return 0;
}

function cut(term: string): string {
  return term.length > MAX_TERM_LENGTH ? term.slice(0, MAX_TERM_LENGTH) : term;
}

function lowerCase(text: string): string {
  return (COMBINING_MARK.test(text) ? text.normalize("NFC") : text).toLowerCase();
}

export class Analyzer {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  /** Lower-case word → [folded id, stem id with stemmer 0..3 (-1 until asked)]. */
  private readonly words = new Map<string, Int32Array>();
  /** Per stemmer (index + 1), short text → its word and stem ids, interleaved. */
  private readonly texts: Map<string, Int32Array>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];
  private readonly scratch = new TokenBuffer();

  /** The id of a folded word, created on first sight. */
  termId(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(term, id);
      this.strings.push(term);
    }
    return id;
  }

  /** The id of a folded word if it was ever seen. */
  lookup(term: string): number | undefined {
    return this.ids.get(term);
  }

  term(id: number): string {
    return this.strings[id] ?? "";
  }

  /** Number of term ids handed out so far. */
  get termCount(): number {
    return this.strings.length;
  }

  private word(word: string): Int32Array {
    let entry = this.words.get(word);
    if (entry === undefined) {
      if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
      const folded = cut(fold(word));
      entry = new Int32Array([
        folded === "" ? NOT_YET : this.termId(folded),
        NOT_YET,
        NOT_YET,
        NOT_YET,
        NOT_YET,
      ]);
      this.words.set(word, entry);
    }
    return entry;
  }

  private stemOf(word: string, entry: Int32Array, stemmer: number): number {
    let id = entry[stemmer + 1] ?? NOT_YET;
    if (id === NOT_YET) {
      const stem = STEMMERS[stemmer];
      const folded = stem ? cut(fold(stem(word))) : "";
      id = folded === "" ? (entry[0] ?? NOT_YET) : this.termId(folded);
      entry[stemmer + 1] = id;
    }
    return id;
  }

  /**
   * Appends the ids of the words of `text` and of their stems with `stemmer` (stemmerIndex; the
   * word itself without one) to `out`; returns the number of words.
   * `repeats`: the same text is likely to come back (a CPV label, a buyer's name), cache it.
   */
  analyze(text: string, stemmer: number, out: TokenBuffer, repeats = false): number {
    if (!repeats || text.length > TEXT_CACHE_MAX_LENGTH) return this.analyzeUncached(text, stemmer, out);
    const cache = this.texts[stemmer + 1];
    if (cache === undefined) return this.analyzeUncached(text, stemmer, out);
    let ids = cache.get(text);
    if (ids === undefined) {
      const scratch = this.scratch;
      scratch.length = 0;
      const n = this.analyzeUncached(text, stemmer, scratch);
      ids = new Int32Array(2 * n);
      for (let k = 0; k < n; k++) {
        ids[2 * k] = scratch.terms[k] ?? 0;
        ids[2 * k + 1] = scratch.stems[k] ?? 0;
      }
      if (cache.size >= TEXT_CACHE_LIMIT) cache.clear();
      cache.set(text, ids);
    }
    for (let k = 0; k < ids.length; k += 2) out.push(ids[k] ?? 0, ids[k + 1] ?? 0);
    return ids.length >> 1;
  }

  private analyzeUncached(text: string, stemmer: number, out: TokenBuffer): number {
    const lower = lowerCase(text);
    let n = 0;
    WORD.lastIndex = 0;
    for (let match = WORD.exec(lower); match !== null; match = WORD.exec(lower)) {
      const word = match[0];
      const entry = this.word(word);
      const id = entry[0] ?? NOT_YET;
      if (id === NOT_YET) continue;
      out.push(id, stemmer < 0 ? id : this.stemOf(word, entry, stemmer));
      n++;
    }
    return n;
  }

  /** The words of a query, with stems in the hinted language or in all four. */
  query(text: string, language?: string): QueryWord[] {
    const lower = lowerCase(text);
    const hinted = stemmerIndex(language);
    const stemmers: readonly number[] = language === undefined ? [0, 1, 2, 3] : hinted < 0 ? [] : [hinted];
    const words: QueryWord[] = [];
    for (const match of lower.matchAll(WORD)) {
      const word = match[0];
      const term = cut(fold(word));
      if (term === "") continue;
      // No ids for query words: queries must not grow the vocabulary.
      const stems = new Set<string>();
      for (const s of stemmers) {
        const stem = STEMMERS[s];
        const folded = stem ? cut(fold(stem(word))) : "";
        if (folded !== "") stems.add(folded);
      }
      words.push({ term, stems: [...stems], prefix: false, typos: typosAllowed(term) });
    }
    const last = words[words.length - 1];
    if (last && ENDS_IN_WORD.test(lower)) last.prefix = true;
    return words;
  }
}
