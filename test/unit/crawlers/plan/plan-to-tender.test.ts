import { describe, expect, it } from "vitest";
import { CLASSIFIED_MIN_SCORE, planItemsToTenders } from "../../../../crawlers/plan/plan-to-tender.js";
import { PlanItem } from "../../../../crawlers/plan/plan-item.js";
import { defaultClassifier } from "../../../../src/classify/classifier.js";
import type {
  Classification,
  Classifier,
  ClassifyOptions,
  CpvSuggestion,
} from "../../../../src/classify/classifier.port.js";
import type { Buyer } from "../../../../src/domain/buyer.js";
import { municipality, municipalityAsBuyer } from "../../../../src/domain/municipalities.js";

function buyerOf(country: string, code: string): Buyer {
  const m = municipality(country, code);
  if (!m) throw new Error(`no municipality ${country} ${code}`);
  return municipalityAsBuyer(m);
}

const AARHUS = buyerOf("DK", "0751");
const LINKOPING = buyerOf("SE", "0580");
const at = (buyer: Buyer) => ({ sourceId: "dk-test-plan", buyer, now: "2026-11-22T10:00:00.000Z" });

const item = (title: string, extra: Partial<PlanItem> = {}) =>
  PlanItem.parse({ title, country: "DK", cpv: [], ...extra });

/** A classifier whose answers the test states, by title; it records what it was asked. */
function fakeClassifier(answers: Record<string, CpvSuggestion[]>): Classifier & {
  calls: { title: string; options: ClassifyOptions | undefined }[];
} {
  const calls: { title: string; options: ClassifyOptions | undefined }[] = [];
  return {
    version: "fake-1",
    calls,
    classify(title: string, options?: ClassifyOptions): Classification {
      calls.push({ title, options });
      return {
        language: options?.lang ?? "da",
        suggestions: (answers[title] ?? []).slice(0, options?.limit ?? 5),
      };
    },
  };
}

const s = (code: string, score: number): CpvSuggestion => ({ code, label: `label ${code}`, score });

describe("planItemsToTenders with a classifier", () => {
  it("fills in the top code of an item without codes, marked as classified with its score and model", () => {
    const classifier = fakeClassifier({
      "Rengøring af skoler": [s("90919300", 0.82), s("90911200", 0.4)],
    });
    const [tender] = planItemsToTenders([item("Rengøring af skoler")], at(AARHUS), classifier);
    expect(tender?.cpv).toEqual(["90919300"]);
    expect(tender?.lots[0]?.cpv).toEqual(["90919300"]);
    expect(tender?.cpvClassified).toEqual({ confidence: 0.82, model: "fake-1" });
  });

  it("passes title, description and the buyer's language to the classifier", () => {
    const classifier = fakeClassifier({});
    planItemsToTenders(
      [item("Städning av förskolor", { country: "SE", description: "Lokalvård i 14 förskolor." })],
      at(LINKOPING),
      classifier,
    );
    expect(classifier.calls).toEqual([
      {
        title: "Städning av förskolor",
        options: expect.objectContaining({ lang: "sv", description: "Lokalvård i 14 förskolor." }),
      },
    ]);
  });

  it(`leaves the item without codes when the best score is below ${CLASSIFIED_MIN_SCORE}`, () => {
    const classifier = fakeClassifier({
      "Diverse indkøb": [s("30192000", CLASSIFIED_MIN_SCORE - 0.01)],
      Ingenting: [],
      "Lige på grænsen": [s("79540000", CLASSIFIED_MIN_SCORE)],
    });
    const tenders = planItemsToTenders(
      [item("Diverse indkøb"), item("Ingenting"), item("Lige på grænsen")],
      at(AARHUS),
      classifier,
    );
    expect(tenders.map((t) => t.cpv)).toEqual([[], [], ["79540000"]]);
    expect(tenders.map((t) => t.cpvClassified)).toEqual([
      undefined,
      undefined,
      { confidence: CLASSIFIED_MIN_SCORE, model: "fake-1" },
    ]);
  });

  it("adds the second code when it scores close to the first, unless one contains the other", () => {
    const classifier = fakeClassifier({
      "Rengøring og vinduespolering": [s("90919200", 0.7), s("90911300", 0.66)],
      "Rengøring af kontorer": [s("90919200", 0.7), s("90919000", 0.69)],
      "Rengøring med lidt vinduer": [s("90919200", 0.7), s("90911300", 0.4)],
    });
    const tenders = planItemsToTenders(
      [
        item("Rengøring og vinduespolering"),
        item("Rengøring af kontorer"),
        item("Rengøring med lidt vinduer"),
      ],
      at(AARHUS),
      classifier,
    );
    expect(tenders.map((t) => t.cpv)).toEqual([["90919200", "90911300"], ["90919200"], ["90919200"]]);
    expect(tenders[0]?.cpvClassified?.confidence).toBe(0.7);
  });

  it("never overrides a stated code, and does not ask the classifier then", () => {
    const classifier = fakeClassifier({ "Måltider til ældre": [s("15000000", 0.99)] });
    const [tender] = planItemsToTenders(
      [item("Måltider til ældre", { cpv: ["55521100"] })],
      at(AARHUS),
      classifier,
    );
    expect(tender?.cpv).toEqual(["55521100"]);
    expect(tender?.lots[0]?.cpv).toEqual(["55521100"]);
    expect(tender?.cpvClassified).toBeUndefined();
    expect(classifier.calls).toEqual([]);
  });

  it("without a classifier, items keep exactly the codes they state", () => {
    const [stated, none] = planItemsToTenders(
      [item("Vintertjeneste", { cpv: ["90620000"] }), item("Tolkeydelser")],
      at(AARHUS),
    );
    expect(stated?.cpv).toEqual(["90620000"]);
    expect(none?.cpv).toEqual([]);
    expect(none?.cpvClassified).toBeUndefined();
  });

  it("gives the same tenders when the same plan is read again (nothing for change tracking to see)", () => {
    const classifier = fakeClassifier({
      "Rengøring af skoler": [s("90919300", 0.82)],
      Vinduespolering: [s("90911300", 0.77), s("90911000", 0.76)],
    });
    const plan = [item("Rengøring af skoler"), item("Vinduespolering"), item("Tolkeydelser")];
    expect(planItemsToTenders(plan, at(AARHUS), classifier)).toEqual(
      planItemsToTenders(plan, at(AARHUS), classifier),
    );
  });
});

describe("planItemsToTenders with the bundled classifier", () => {
  it("classifies a Danish cleaning title into cleaning services (90), the same way every time", () => {
    const classifier = defaultClassifier();
    const plan = [
      item("Rengøring af daginstitutioner", {
        description: "Daglig rengøring af kommunens vuggestuer og børnehaver.",
      }),
      item("Måltider til ældre", { cpv: ["55521100"] }),
    ];
    const first = planItemsToTenders(plan, at(AARHUS), classifier);
    const [cleaning, meals] = first;
    expect(cleaning?.cpv.length).toBeGreaterThan(0);
    for (const code of cleaning?.cpv ?? []) expect(code.slice(0, 4)).toBe("9091");
    expect(cleaning?.cpvClassified?.model).toBe(classifier.version);
    expect(cleaning?.cpvClassified?.confidence).toBeGreaterThanOrEqual(CLASSIFIED_MIN_SCORE);
    expect(meals?.cpv).toEqual(["55521100"]);
    expect(meals?.cpvClassified).toBeUndefined();
    expect(planItemsToTenders(plan, at(AARHUS), defaultClassifier())).toEqual(first);
  });
});
