import { describe, expect, it } from "vitest";
import { defaultClassifier, detectLanguage } from "../../../src/classify/classifier.js";

describe("detectLanguage on short municipal titles", () => {
  it.each([
    ["Rengøring af daginstitutioner", "da"],
    ["Indkøb af frugt og grønt til skoler", "da"],
    ["Levering af mad til ældre", "da"],
    ["Städning av förskolor", "sv"],
    ["Upphandling av skolskjutsar", "sv"],
    ["Livsmedel till äldreboenden och skolor", "sv"],
    ["Vask av tøy for sykehjem", "nb"],
    ["Anskaffelse av renholdstjenester", "nb"],
    ["Rammeavtale om snøbrøyting", "nb"],
    ["Grounds maintenance and cleaning of parks", "en"],
    ["Supply of school meals", "en"],
  ] as const)("%s → %s", (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it("a single Nordic compound without cues is not taken for English by the classifier", () => {
    expect(defaultClassifier().classify("vinduespolering").language).not.toBe("en");
  });
});
