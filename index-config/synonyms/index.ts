import { z } from "zod";
import { fold } from "../../src/domain/text.js";
import da from "./da.json" with { type: "json" };
import en from "./en.json" with { type: "json" };
import nb from "./nb.json" with { type: "json" };
import sv from "./sv.json" with { type: "json" };

/**
 * Curated synonym groups of what municipalities buy, one file per language. Every group is
 * bidirectional: each term finds every other term of its group. A term may sit in groups of
 * several languages ("catering", "office furniture"); its synonyms are then the union, but never
 * transitive (a synonym of a synonym is not a synonym, as in Meilisearch).
 *
 * Cross-language links are few on purpose: every document carries its CPV labels in all our
 * languages (documents.ts), which already bridges languages for the common categories, so a
 * link across languages is added only for a few terms with no CPV label of their own ("green
 * spaces", "snow clearing", "office furniture"). "vinduespolering" is deliberately not linked to
 * "window cleaning": a Danish description that mentions window cleaning as a side task would then
 * answer an English "window cleaning" search, which the conformance suite rules out (only the
 * tender whose CPV code is window cleaning matches). Likewise no Swedish cleaning word is linked
 * to "cleaning" or "rengöring" (folding already makes rengöring = rengøring).
 */
export const SYNONYM_LANGUAGES = ["da", "sv", "nb", "en"] as const;
export type SynonymLanguage = (typeof SYNONYM_LANGUAGES)[number];

const Term = z
  .string()
  .min(1)
  .refine((t) => t === t.toLowerCase() && t.trim() === t && !/\s{2,}/.test(t), "a lower-case, trimmed term");

export const SynonymFile = z.object({
  language: z.enum(SYNONYM_LANGUAGES),
  groups: z.array(z.array(Term).min(2)).min(1),
});
export type SynonymFile = z.infer<typeof SynonymFile>;

/** Meilisearch keeps at most 50 synonyms per term and silently drops the rest. */
export const MAX_SYNONYMS_PER_TERM = 50;

export const SYNONYM_FILES: Record<SynonymLanguage, SynonymFile> = {
  da: SynonymFile.parse(da),
  sv: SynonymFile.parse(sv),
  nb: SynonymFile.parse(nb),
  en: SynonymFile.parse(en),
};

/**
 * Turns groups into Meilisearch's synonyms map (term → other terms). Terms are compared folded,
 * the way Meilisearch normalises synonyms ("måltider" from da and sv are one key); the first
 * spelling met is kept. Keys and values are sorted so that the map is stable and a settings
 * sync can compare it with what the server returns.
 */
export function mergeSynonymGroups(groups: readonly (readonly string[])[]): Record<string, string[]> {
  const spelling = new Map<string, string>();
  const related = new Map<string, Set<string>>();
  for (const group of groups) {
    const folded = group.map((term) => {
      const key = fold(term);
      if (!spelling.has(key)) spelling.set(key, term);
      return key;
    });
    for (const key of folded) {
      const set = related.get(key) ?? new Set<string>();
      for (const other of folded) if (other !== key) set.add(other);
      related.set(key, set);
    }
  }
  const out: Record<string, string[]> = {};
  for (const key of [...related.keys()].sort()) {
    const others = related.get(key);
    const term = spelling.get(key);
    if (!others || others.size === 0 || term === undefined) continue;
    out[term] = [...others].map((o) => spelling.get(o) ?? o).sort();
  }
  return out;
}

/** The synonyms of every language, merged: what both indexes are configured with. */
export const SYNONYMS: Record<string, string[]> = mergeSynonymGroups(
  SYNONYM_LANGUAGES.flatMap((lang) => SYNONYM_FILES[lang].groups),
);
