import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogueEntries } from "../../../src/classify/catalogue.js";
import { createClassifier, defaultClassifier } from "../../../src/classify/classifier.js";
import type { ClassifyLanguage } from "../../../src/classify/classifier.port.js";
import { CpvModel } from "../../../src/classify/model.js";
import modelJson from "../../../src/data/cpv-model.json" with { type: "json" };

/**
 * None of these texts is in the training data (English UK notices). Covered by the curated
 * synonyms (src/classify/synonyms.json): "vinduespolering", "städtjänster", "snerydning og
 * glatførebekæmpelse", "rengøring og havehjælp". Reached by labels, compounds and the model
 * alone, without synonyms: "grounds maintenance", "catering och konferensmat" (catering),
 * "vinduspussing av skoler", "snørydding".
 */
const codes = (text: string, lang?: ClassifyLanguage, classifier = defaultClassifier()) =>
  classifier.classify(text, { limit: 5, ...(lang ? { lang } : {}) }).suggestions.map((s) => s.code);

const withoutSynonyms = createClassifier({ catalogue: catalogueEntries(), model: CpvModel.parse(modelJson) });

describe("classifier with the bundled data", () => {
  it("vinduespolering ranks window cleaning in the top 3 (synonyms)", () => {
    expect(codes("vinduespolering").slice(0, 3)).toContain("90911300");
  });

  it("städtjänster gives a cleaning code (909) first (synonyms)", () => {
    expect(codes("städtjänster")[0]?.slice(0, 3)).toBe("909");
  });

  it("catering och konferensmat gives catering (555) in the top 3, with or without synonyms", () => {
    expect(
      codes("catering och konferensmat")
        .slice(0, 3)
        .some((c) => c.startsWith("555")),
    ).toBe(true);
    expect(
      codes("catering och konferensmat", "sv", withoutSynonyms)
        .slice(0, 3)
        .some((c) => c.startsWith("555")),
    ).toBe(true);
  });

  it("snerydning og glatførebekæmpelse gives snow or ice clearing in the top 3 (synonyms)", () => {
    const top = codes("snerydning og glatførebekæmpelse").slice(0, 3);
    expect(top.includes("90620000") || top.includes("90630000")).toBe(true);
  });

  it("grounds maintenance gives 77314000 in the top 3 without synonyms", () => {
    expect(codes("grounds maintenance", "en", withoutSynonyms).slice(0, 3)).toContain("77314000");
    expect(codes("grounds maintenance").slice(0, 3)).toContain("77314000");
  });

  it("rengøring og havehjælp gives both cleaning (909) and gardening (773) in the top 5 (synonyms)", () => {
    const top = codes("rengøring og havehjælp");
    expect(top.some((c) => c.startsWith("909"))).toBe(true);
    expect(top.some((c) => c.startsWith("773"))).toBe(true);
  });

  it("Norwegian labels work without synonyms, compounds included", () => {
    expect(codes("vinduspussing av skoler", "nb", withoutSynonyms)[0]).toBe("90911300");
    expect(codes("snørydding", "nb", withoutSynonyms)[0]).toBe("90620000");
  });

  it("gives labels in the text's language where the nomenclature has them, else English", () => {
    const nb = defaultClassifier().classify("vinduspussing", { lang: "nb" }).suggestions[0];
    expect(nb?.label).toBe("Vinduspussing");
    const da = defaultClassifier().classify("vinduespolering", { lang: "da" }).suggestions[0];
    expect(da?.label).toBe("Window-cleaning services");
  });

  it("returns scores in 0..1, sorted, at most `limit`, and the same every time", () => {
    const texts = [
      "Rengøring af daginstitutioner",
      "Supply of school meals",
      "Städning av förskolor",
      "IT support",
    ];
    for (const text of texts) {
      const a = defaultClassifier().classify(text, {
        limit: 7,
        description: "Cleaning of offices and schools.",
      });
      const b = defaultClassifier().classify(text, {
        limit: 7,
        description: "Cleaning of offices and schools.",
      });
      expect(a).toEqual(b);
      expect(a.suggestions.length).toBeLessThanOrEqual(7);
      const scores = a.suggestions.map((s) => s.score);
      for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      expect(new Set(a.suggestions.map((s) => s.code)).size).toBe(a.suggestions.length);
    }
  });

  it("a confident match scores higher than a vague one", () => {
    const sure = defaultClassifier().classify("window cleaning services").suggestions[0]?.score ?? 0;
    const vague = defaultClassifier().classify("project support").suggestions[0]?.score ?? 0;
    expect(sure).toBeGreaterThan(vague);
  });

  it("empty and garbage input give no suggestions or low scores, never an error", () => {
    expect(defaultClassifier().classify("").suggestions).toEqual([]);
    expect(defaultClassifier().classify("   !!! ??? 1234").suggestions).toEqual([]);
    expect(defaultClassifier().classify("the and of").suggestions).toEqual([]);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.option(fc.constantFrom<ClassifyLanguage>("da", "sv", "nb", "en"), { nil: undefined }),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        (text, lang, description) => {
          const result = defaultClassifier().classify(text, {
            ...(lang ? { lang } : {}),
            ...(description !== undefined ? { description } : {}),
          });
          expect(result.suggestions.length).toBeLessThanOrEqual(5);
          for (const s of result.suggestions) {
            expect(s.score).toBeGreaterThanOrEqual(0);
            expect(s.score).toBeLessThanOrEqual(1);
            expect(s.code).toMatch(/^\d{8}$/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("works without a model and without synonyms (labels only)", () => {
    const bare = createClassifier({ catalogue: catalogueEntries() });
    expect(codes("window cleaning services", "en", bare)[0]).toBe("90911300");
  });
});
