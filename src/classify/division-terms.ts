/**
 * The curated division/group lexicon (division-terms.json, see DIVISION-TERMS.md): words and
 * phrases of tender titles and descriptions that point at a CPV division ("45": "roofing",
 * "highway works") or group ("797": "manned guarding"). It is evidence about the coarse levels
 * only: which code inside the division is for the labels and the learned model to say.
 *
 * Matching: text and terms are cut into letter/digit tokens WITHOUT stop-word removal ("it
 * support", "kitchens and bathrooms"), each token stemmed; a term matches where its tokens occur
 * in a row. A term written "=works" matches that exact word only (its stem "work" would say
 * nothing). For Danish, Swedish and Norwegian text a one-word term of ≥ 5 letters also matches
 * as the head of a compound ("rengøring" in "skolerengøring").
 */
import { z } from "zod";
import { foldWord, stemKey } from "./analysis.js";
import { CLASSIFY_LANGUAGES, type ClassifyLanguage } from "./classifier.port.js";
import termsJson from "./division-terms.json" with { type: "json" };

export const DivisionTerms = z.object({
  version: z.number(),
  entries: z.array(
    z.object({
      /** Division (2 digits) or group (3 digits). */
      prefix: z.string().regex(/^\d{2,3}$/),
      terms: z.partialRecord(z.enum(CLASSIFY_LANGUAGES), z.array(z.string())),
    }),
  ),
});
export type DivisionTerms = z.infer<typeof DivisionTerms>;

/** Shortest one-word term that may match as the head of a Nordic compound. */
const HEAD_MIN = 5;
const TOKEN = /[\p{L}\p{N}]+/gu;

interface Term {
  /** Stem (or "=word") per token. */
  tokens: readonly string[];
  prefix: string;
}

export interface TermLexicon {
  /** Terms by language family ("en" or "nordic") and first token. */
  byFirst: Readonly<Record<"en" | "nordic", ReadonlyMap<string, readonly Term[]>>>;
  /** Nordic one-word terms that may be compound heads (folded stem → prefixes). */
  heads: readonly { stem: string; prefix: string }[];
  size: number;
}

function tokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

export function compileTerms(data: DivisionTerms): TermLexicon {
  const en = new Map<string, Term[]>();
  const nordic = new Map<string, Term[]>();
  const heads: { stem: string; prefix: string }[] = [];
  let size = 0;
  for (const entry of data.entries) {
    for (const lang of CLASSIFY_LANGUAGES) {
      for (const raw of entry.terms[lang] ?? []) {
        const exact = raw.startsWith("=");
        const list = tokens(exact ? raw.slice(1) : raw).map((t) =>
          exact ? `=${foldWord(t)}` : stemKey(t, lang),
        );
        const first = list[0];
        if (first === undefined) continue;
        const map = lang === "en" ? en : nordic;
        const at = map.get(first) ?? [];
        at.push({ tokens: list, prefix: entry.prefix });
        map.set(first, at);
        if (lang !== "en" && list.length === 1 && !exact && first.length >= HEAD_MIN)
          heads.push({ stem: first, prefix: entry.prefix });
        size++;
      }
    }
  }
  return { byFirst: { en, nordic }, heads, size };
}

/** Keys of one text token: its stem(s) and "=folded". */
function tokenKeys(token: string, lang: ClassifyLanguage): string[] {
  const folded = `=${foldWord(token)}`;
  if (lang === "en") return [stemKey(token, "en"), folded];
  const out = [stemKey(token, lang), folded];
  for (const l of ["da", "sv", "nb"] as const) {
    const k = stemKey(token, l);
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

/**
 * Adds `weight` per distinct matched term to `into` (prefix → score). Terms already counted in
 * `seen` (e.g. in the title) are not counted again.
 */
export function matchTerms(
  lexicon: TermLexicon,
  text: string,
  lang: ClassifyLanguage,
  weight: number,
  into: Map<string, number>,
  seen: Set<unknown>,
): void {
  const toks = tokens(text);
  if (toks.length === 0) return;
  const keys = toks.map((t) => tokenKeys(t, lang));
  const map = lang === "en" ? lexicon.byFirst.en : lexicon.byFirst.nordic;
  const add = (id: Term | string, prefix: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    into.set(prefix, (into.get(prefix) ?? 0) + weight);
  };
  for (let i = 0; i < toks.length; i++) {
    for (const key of keys[i] ?? []) {
      for (const term of map.get(key) ?? []) {
        let ok = true;
        for (let j = 1; j < term.tokens.length && ok; j++) {
          ok = (keys[i + j] ?? []).includes(term.tokens[j] ?? "");
        }
        if (ok) add(term, term.prefix);
      }
    }
    if (lang !== "en") {
      const token = foldWord(toks[i] ?? "");
      if (token.length <= HEAD_MIN) continue;
      for (const head of lexicon.heads) {
        if (token.length > head.stem.length && token.includes(head.stem, token.length - head.stem.length - 3))
          add(`${head.stem}:${head.prefix}`, head.prefix);
      }
    }
  }
}

let bundled: TermLexicon | undefined;

/** The bundled file as data (the naive Bayes part learns from its English terms too). */
export function bundledTermData(): DivisionTerms {
  const parsed = DivisionTerms.safeParse(termsJson);
  return parsed.success ? parsed.data : { version: 0, entries: [] };
}

/** The bundled lexicon, compiled on first use; a file that does not parse gives an empty one. */
export function bundledTerms(): TermLexicon {
  bundled ??= compileTerms(bundledTermData());
  return bundled;
}
