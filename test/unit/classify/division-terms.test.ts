import { describe, expect, it } from "vitest";
import { catalogueEntries } from "../../../src/classify/catalogue.js";
import { createClassifier } from "../../../src/classify/classifier.js";
import { bundledTerms, compileTerms, matchTerms } from "../../../src/classify/division-terms.js";
import { labelDocuments } from "../../../src/classify/label-index.js";
import { CpvModel } from "../../../src/classify/model.js";
import modelJson from "../../../src/data/cpv-model.json" with { type: "json" };

const hits = (text: string, lang: "en" | "da" | "sv" | "nb" = "en") => {
  const out = new Map<string, number>();
  matchTerms(bundledTerms(), text, lang, 1, out, new Set());
  return out;
};

describe("division terms (division-terms.json)", () => {
  it("matches phrases in a row, stemmed, stop words included", () => {
    expect(hits("Roofing and refurbishment works at Elm School").get("45")).toBeGreaterThanOrEqual(2);
    expect(hits("IT support services").get("72")).toBeGreaterThanOrEqual(1);
    expect(hits("Kitchens and bathrooms programme").get("45")).toBeGreaterThanOrEqual(1);
    expect(hits("Provision of manned guarding").get("797")).toBeGreaterThanOrEqual(1);
  });

  it("an exact term (=works) does not match its stem's other forms", () => {
    const lexicon = compileTerms({ version: 1, entries: [{ prefix: "45", terms: { en: ["=works"] } }] });
    const out = new Map<string, number>();
    matchTerms(lexicon, "Highway works", "en", 1, out, new Set());
    expect(out.get("45")).toBe(1);
    out.clear();
    matchTerms(lexicon, "Work experience placements", "en", 1, out, new Set());
    expect(out.get("45")).toBeUndefined();
  });

  it("Nordic one-word terms match as compound heads", () => {
    expect(hits("skolerengøring", "da").get("909")).toBe(1);
    expect(hits("vintervedlikehold og brøyting", "nb").get("90")).toBeGreaterThanOrEqual(1);
  });

  it("counts a term once per text, and nothing for text without terms", () => {
    expect(hits("cleaning, cleaning and more cleaning").get("909")).toBe(1);
    expect(hits("").size).toBe(0);
    expect(hits("the and of").size).toBe(0);
  });
});

describe("precomputed label documents (cpv-model.json labelDocs)", () => {
  it("are what labelDocuments computes from the nomenclature, so start-up may skip it", () => {
    const model = CpvModel.parse(modelJson);
    const computed = labelDocuments(catalogueEntries());
    expect(computed.keys).toEqual(model.labelDocs.keys);
    expect(computed.docs).toEqual(model.labelDocs.docs);
  }, 30_000);

  it("give the same ranking as labels analysed at start", () => {
    const model = CpvModel.parse(modelJson);
    const { labelDocs: _unused, ...withoutDocs } = model;
    void _unused;
    const pre = createClassifier({ catalogue: catalogueEntries(), model });
    const live = createClassifier({
      catalogue: catalogueEntries(),
      model: { ...withoutDocs, labelDocs: labelDocuments(catalogueEntries()) },
    });
    for (const text of ["window cleaning services", "vinduspussing av skoler", "Resurfacing of car parks"]) {
      expect(pre.classify(text)).toEqual(live.classify(text));
    }
  }, 30_000);
});
