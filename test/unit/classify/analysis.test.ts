import { describe, expect, it } from "vitest";
import { foldWord, splitCompound } from "../../../src/classify/analysis.js";
import { catalogueEntries } from "../../../src/classify/catalogue.js";
import { buildLabelIndex } from "../../../src/classify/label-index.js";
import { fold } from "../../../src/domain/text.js";

const vocabulary = (...words: string[]) => {
  const known = new Set(words.map((w) => fold(w)));
  return (folded: string) => known.has(folded);
};

describe("splitCompound", () => {
  it("splits Danish with a linking s and a final e dropped to meet a stem", () => {
    expect(splitCompound("vinduespolering", vocabulary("vindu", "polering"))).toEqual(["vindue", "polering"]);
  });

  it("splits Swedish on folded parts", () => {
    expect(splitCompound("städtjänster", vocabulary("städ", "tjänster"))).toEqual(["städ", "tjänster"]);
  });

  it("prefers fewer parts, then the longest first part", () => {
    const known = vocabulary("skole", "skoles", "kyss", "skyss", "sko", "les");
    expect(splitCompound("skoleskyss", known)).toEqual(["skoles", "kyss"]);
  });

  it("leaves short words and words without known parts alone", () => {
    expect(splitCompound("mad", vocabulary("ma", "d"))).toEqual([]);
    expect(splitCompound("rengjøring", vocabulary("rengjøring"))).toEqual([]);
    expect(splitCompound("rengjøring", vocabulary("rengjøring", "ren", "gjøring"))).toEqual([
      "ren",
      "gjøring",
    ]);
    expect(splitCompound("xyzzyplugh", vocabulary("xyz"))).toEqual([]);
  });

  it("splits Norwegian compounds with the vocabulary of the CPV labels", () => {
    const index = buildLabelIndex(catalogueEntries());
    expect(splitCompound("kontorrengjøring", index.knownNordic)).toEqual(["kontor", "rengjøring"]);
    expect(splitCompound("barnehageplasser", index.knownNordic)).toEqual(["barnehage", "plasser"]);
  });
});

describe("foldWord", () => {
  it("folds like the shared fold, fast path or not", () => {
    for (const w of ["rengøring", "städning", "æbler", "grå", "café", "straße", "łódź", "plain"]) {
      expect(foldWord(w)).toBe(fold(w));
    }
  });
});
