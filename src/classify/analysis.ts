/**
 * Text analysis for the classifier: words, stop words, stems and compound parts, as "keys" in
 * one space shared by the CPV labels, the synonyms, the learned model and the text to classify.
 *
 * A word is lower-cased in its native letters, stemmed with the stemmer of its language (the
 * snowball stemmers want native letters) and then folded (src/domain/text.ts: "rengøring" →
 * "rengoring"). Danish, Swedish and Norwegian text is stemmed with all three Scandinavian
 * stemmers, since the labels it must meet are mostly Norwegian (every code) and the three
 * languages share much of their vocabulary.
 */
import { stemmer as danish } from "@orama/stemmers/danish";
import { stemmer as english } from "@orama/stemmers/english";
import { stemmer as norwegian } from "@orama/stemmers/norwegian";
import { stemmer as swedish } from "@orama/stemmers/swedish";
import { fold } from "../domain/text.js";
import type { ClassifyLanguage } from "./classifier.port.js";

type Stemmer = (word: string) => string;

const STEMMER: Readonly<Record<ClassifyLanguage, Stemmer>> = {
  da: danish,
  sv: swedish,
  nb: norwegian,
  en: english,
};

/** Languages whose stems a word of the given language is looked up under. */
export const STEM_LANGUAGES: Readonly<Record<ClassifyLanguage, readonly ClassifyLanguage[]>> = {
  da: ["da", "nb", "sv"],
  sv: ["sv", "nb", "da"],
  nb: ["nb", "da", "sv"],
  en: ["en"],
};

export function isScandinavian(lang: ClassifyLanguage): boolean {
  return lang !== "en";
}

/** Folded stop words: function words and words that say nothing about what is bought. */
const STOP_EN = new Set(
  (
    "a an and the of for to in on at by with from or as is are be been being this that these those it its " +
    "into per via all any other others not no including include includes related etc which who will shall " +
    "we our us you your their they he she his her them there here also such than then so if but within " +
    "without under over up out only can may must should would could has have had do does was were"
  ).split(" "),
);
const STOP_NORDIC = new Set(
  (
    "og i af av til for med pa en et ett den det de der som at att er ar samt eller ved vid fra fran om " +
    "under over efter etter mv inkl hos vi du jeg jag ikke inte ej seg sig sin sitt sine sina han hun hon " +
    "dem deres deras alle alla andre andra annen annan andet anden nar da sa kan skal ska vil vill blir bliver " +
    "blev vart var vara har hade ha mellom mellan mod mot uden utan bl a mm"
  ).split(" "),
);

export function isStopWord(folded: string, lang: ClassifyLanguage): boolean {
  return lang === "en" ? STOP_EN.has(folded) : STOP_NORDIC.has(folded);
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const DIGITS = /^\p{N}+$/u;
/** Reference numbers of notices ("whpc00637", "tq1", "c12345"): letters with 3+ digits, or a digit after letters and more. */
const REFERENCE = /\p{N}.*\p{N}.*\p{N}/u;
const COMBINING_MARK = /\p{M}/u;
/** Longer words are cut (URLs, chemical names, part numbers). */
export const MAX_WORD_LENGTH = 40;

/** Lower-case words of a text in native letters, stop words and numbers left out. */
export function words(text: string, lang: ClassifyLanguage): string[] {
  const lower = (COMBINING_MARK.test(text) ? text.normalize("NFC") : text).toLowerCase();
  const out: string[] = [];
  for (const match of lower.matchAll(WORD)) {
    const word = match[0].length > MAX_WORD_LENGTH ? match[0].slice(0, MAX_WORD_LENGTH) : match[0];
    if (word.length < 2 || DIGITS.test(word) || REFERENCE.test(word)) continue;
    if (isStopWord(foldWord(word), lang)) continue;
    out.push(word);
  }
  return out;
}

const ASCII_LOWER = /^[a-z0-9]*$/;
const FAST_FOLD: Readonly<Record<string, string>> = {
  æ: "ae",
  ø: "o",
  å: "a",
  ä: "a",
  ö: "o",
  é: "e",
  è: "e",
  ü: "u",
  ß: "ss",
};

/**
 * `fold` (src/domain/text.ts) of one lower-case word, with a fast path for ASCII and the Nordic
 * letters; anything else goes through `fold` itself, so the result is always the same.
 */
export function foldWord(word: string): string {
  if (ASCII_LOWER.test(word)) return word;
  let out = "";
  for (const ch of word) {
    const code = ch.charCodeAt(0);
    if (code < 128) out += ch;
    else {
      const mapped = FAST_FOLD[ch];
      if (mapped === undefined) return fold(word);
      out += mapped;
    }
  }
  return out;
}

const stemCaches: Readonly<Record<ClassifyLanguage, Map<string, string>>> = {
  da: new Map(),
  sv: new Map(),
  nb: new Map(),
  en: new Map(),
};
const CACHE_LIMIT = 100_000;

/** The folded stem of a lower-case native word in one language (cached). */
export function stemKey(word: string, lang: ClassifyLanguage): string {
  const cache = stemCaches[lang];
  let key = cache.get(word);
  if (key === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const stem = STEMMER[lang](word);
    key = foldWord(stem.length >= 2 ? stem : word);
    cache.set(word, key);
  }
  return key;
}

/** The keys a word of a text in `lang` is looked up under: its stems, distinct, own language first. */
export function queryKeys(word: string, lang: ClassifyLanguage): string[] {
  const out: string[] = [];
  for (const l of STEM_LANGUAGES[lang]) {
    const key = stemKey(word, l);
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

const keyCaches: Readonly<Record<ClassifyLanguage, Map<string, readonly string[]>>> = {
  da: new Map(),
  sv: new Map(),
  nb: new Map(),
  en: new Map(),
};

/** `queryKeys` and the folded word itself (cached; do not change the array). */
export function wordKeys(word: string, lang: ClassifyLanguage): readonly string[] {
  const cache = keyCaches[lang];
  let keys = cache.get(word);
  if (keys === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const list = queryKeys(word, lang);
    const folded = foldWord(word);
    if (!list.includes(folded)) list.push(folded);
    keys = list;
    cache.set(word, keys);
  }
  return keys;
}

/** Linking letters between the parts of a compound ("vindue-s-polering", "barn-e-have"). */
const LINKS = ["", "s", "e"] as const;
/** Shortest part; the last part (the head, what the compound is) is at least HEAD_MIN long. */
export const PART_MIN = 3;
export const HEAD_MIN = 4;
/** Words shorter than this are never split. */
export const SPLIT_MIN = 7;

/**
 * Splits a Danish, Swedish or Norwegian compound (lower case, native letters) into known parts:
 * the fewest parts, each a known word or stem (`known`, on folded text; a final e may be
 * dropped), with an optional
 * linking s or e between two parts; among splits with as many parts the one with the longest
 * first part (greedy longest match). "vinduespolering" → ["vindue", "polering"] when both are
 * known. Returns [] when the word cannot be split into at least two known parts. A known word
 * is split too when its parts are known ("vinduspussing" → "vindus" + "pussing"): labels are
 * indexed by their parts as well.
 */
export function splitCompound(word: string, known: (folded: string) => boolean): string[] {
  if (word.length < SPLIT_MIN) return [];
  // Fold once; `at[i]` is where native position i starts in the folded word (æ → ae grows it).
  const at: number[] = [0];
  let folded = "";
  for (let i = 0; i < word.length; i++) {
    folded += foldWord(word.charAt(i));
    at.push(folded.length);
  }
  const memo = new Map<number, string[] | null>();
  const isPart = (from: number, end: number): boolean => {
    if (end - from < PART_MIN) return false;
    // Known as a word or a stem, or with a final e dropped ("vindue" → the stem "vindu").
    const part = folded.slice(at[from] ?? 0, at[end] ?? 0);
    return known(part) || (part.endsWith("e") && known(part.slice(0, -1)));
  };
  // Best split of word[from..] into ≥ 1 parts, or null.
  const best = (from: number): string[] | null => {
    const cached = memo.get(from);
    if (cached !== undefined) return cached;
    let result: string[] | null = null;
    // The whole word is no split of itself (it may be known and still have known parts).
    if (from > 0 && word.length - from >= HEAD_MIN && isPart(from, word.length)) result = [word.slice(from)];
    for (let end = word.length - HEAD_MIN; end >= from + PART_MIN; end--) {
      if (!isPart(from, end)) continue;
      for (const link of LINKS) {
        if (link !== "" && word.slice(end, end + link.length) !== link) continue;
        const tail = best(end + link.length);
        if (tail === null) continue;
        const candidate = [word.slice(from, end), ...tail];
        if (result === null || candidate.length < result.length) result = candidate;
      }
    }
    memo.set(from, result);
    return result;
  };
  const parts = best(0);
  return parts !== null && parts.length >= 2 ? parts : [];
}
