import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Validates the curated lexicon src/classify/synonyms.json (see src/classify/SYNONYMS.md). */

interface Entry {
  code: string;
  terms: Partial<Record<string, string[]>>;
}

const root = new URL("../../../", import.meta.url);
const lexicon = JSON.parse(readFileSync(new URL("src/classify/synonyms.json", root), "utf8")) as {
  version: number;
  entries: Entry[];
};
const cpv = JSON.parse(readFileSync(new URL("src/data/cpv.json", root), "utf8")) as { code: string }[];
const cpvCodes = new Set(cpv.map((c) => c.code));
const LANGUAGES = ["da", "sv", "nb", "en"] as const;

describe("synonym lexicon", () => {
  it("has version 1 and entries", () => {
    expect(lexicon.version).toBe(1);
    expect(lexicon.entries.length).toBeGreaterThan(150);
  });

  it("uses only codes of the CPV nomenclature, each once", () => {
    const unknown = lexicon.entries.map((e) => e.code).filter((c) => !/^\d{8}$/.test(c) || !cpvCodes.has(c));
    expect(unknown).toEqual([]);
    const seen = new Set<string>();
    const repeated = lexicon.entries
      .map((e) => e.code)
      .filter((c) => (seen.has(c) ? true : (seen.add(c), false)));
    expect(repeated).toEqual([]);
  });

  it("gives every entry terms in Danish, Swedish, Norwegian and English and no other language", () => {
    const missing: string[] = [];
    for (const e of lexicon.entries) {
      for (const lang of LANGUAGES) if (!e.terms[lang]?.length) missing.push(`${e.code} ${lang}`);
      for (const lang of Object.keys(e.terms))
        if (!(LANGUAGES as readonly string[]).includes(lang)) missing.push(`${e.code} unknown ${lang}`);
    }
    expect(missing).toEqual([]);
  });

  it("keeps terms lower case, trimmed, single-spaced, non-empty and not repeated within an entry", () => {
    const bad: string[] = [];
    for (const e of lexicon.entries)
      for (const [lang, terms] of Object.entries(e.terms)) {
        const seen = new Set<string>();
        for (const t of terms ?? []) {
          if (t.length === 0 || t !== t.trim() || /\s{2,}/.test(t) || t !== t.toLowerCase())
            bad.push(`${e.code} ${lang} "${t}"`);
          if (seen.has(t)) bad.push(`${e.code} ${lang} repeated "${t}"`);
          seen.add(t);
        }
      }
    expect(bad).toEqual([]);
  });

  it("maps no term to two codes in the same language", () => {
    const owner = new Map<string, string>();
    const conflicts: string[] = [];
    for (const e of lexicon.entries)
      for (const [lang, terms] of Object.entries(e.terms))
        for (const t of terms ?? []) {
          const key = `${lang}:${t}`;
          const other = owner.get(key);
          if (other && other !== e.code) conflicts.push(`${key} → ${other}, ${e.code}`);
          owner.set(key, e.code);
        }
    expect(conflicts).toEqual([]);
  });
});
