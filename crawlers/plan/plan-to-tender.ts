import {
  CLASSIFY_LANGUAGES,
  type Classifier,
  type ClassifyLanguage,
  type CpvSuggestion,
} from "../../src/classify/classifier.port.js";
import type { Buyer } from "../../src/domain/buyer.js";
import { languageOfCountry } from "../../src/domain/common.js";
import { significant } from "../../src/domain/cpv.js";
import { slugify } from "../../src/domain/enterprise.js";
import { Tender, placeOfBuyer } from "../../src/domain/tender.js";
import type { PlanItem } from "./plan-item.js";

/**
 * The stable key of a plan item within its source: the plan's own reference when it has one,
 * otherwise the title (with the department when two items share a title). Crawling the same
 * plan again gives the same keys, so an item is updated rather than duplicated.
 */
export function planItemKeys(items: readonly PlanItem[]): string[] {
  const base = items.map((item) => slugify(item.reference ?? item.title) || "item");
  const count = new Map<string, number>();
  for (const key of base) count.set(key, (count.get(key) ?? 0) + 1);
  const used = new Map<string, number>();
  return items.map((item, i) => {
    const key = base[i] ?? "item";
    if ((count.get(key) ?? 0) === 1) return key;
    const withDepartment = item.department ? `${key}.${slugify(item.department)}` : key;
    const n = (used.get(withDepartment) ?? 0) + 1;
    used.set(withDepartment, n);
    return n === 1 ? withDepartment : `${withDepartment}.${n}`;
  });
}

/**
 * The lowest score at which a classified code is used for a plan item without stated codes.
 * Below it the item keeps no CPV code (an item without a code is still found by its text; a
 * wrong code would match it to the wrong enterprises). 0.35 is the figure agreed for the first
 * classifier; raise it when the evaluation shows more precision is needed.
 */
export const CLASSIFIED_MIN_SCORE = 0.35;

/**
 * The second suggestion is added when it also clears the threshold and scores at least this
 * share of the first ("rengøring og vinduespolering" is two services). A second code that is an
 * ancestor or descendant of the first adds nothing and is left out.
 */
export const CLASSIFIED_SECOND_RATIO = 0.9;

/** What the classifier gave a plan item: the codes to use and how sure it was. */
export interface ClassifiedCpv {
  cpv: string[];
  cpvClassified: { confidence: number; model: string };
}

function nested(a: string, b: string): boolean {
  const x = significant(a);
  const y = significant(b);
  return x.startsWith(y) || y.startsWith(x);
}

/** The codes taken from a ranked list of suggestions, or none when the best is below the threshold. */
export function pickClassifiedCodes(suggestions: readonly CpvSuggestion[]): CpvSuggestion[] {
  const [first, second] = suggestions;
  if (!first || first.score < CLASSIFIED_MIN_SCORE) return [];
  const addSecond =
    second !== undefined &&
    second.score >= CLASSIFIED_MIN_SCORE &&
    second.score >= first.score * CLASSIFIED_SECOND_RATIO &&
    !nested(first.code, second.code);
  return addSecond ? [first, second] : [first];
}

function classifyLanguage(language: string): ClassifyLanguage | undefined {
  return CLASSIFY_LANGUAGES.find((l) => l === language);
}

/**
 * CPV codes for a plan item that states none, from its title and description. Undefined when
 * the classifier is not sure enough. Deterministic: the same item and model give the same codes,
 * so re-crawling an unchanged plan changes nothing.
 */
export function classifyPlanItem(
  item: PlanItem,
  language: string,
  classifier: Classifier,
): ClassifiedCpv | undefined {
  const lang = classifyLanguage(language);
  const { suggestions } = classifier.classify(item.title, {
    limit: 2,
    ...(lang ? { lang } : {}),
    ...(item.description ? { description: item.description } : {}),
  });
  const picked = pickClassifiedCodes(suggestions);
  const top = picked[0];
  if (!top) return undefined;
  const confidence = Math.min(1, Math.max(0, Math.round(top.score * 10_000) / 10_000));
  return { cpv: picked.map((s) => s.code), cpvClassified: { confidence, model: classifier.version } };
}

/** The items with the classifier's codes filled in where none is stated (a stated code always wins). */
export function withClassifiedCpv(
  items: readonly PlanItem[],
  country: string,
  classifier: Classifier,
): PlanItem[] {
  const language = languageOfCountry(country);
  return items.map((item) => {
    if (item.cpv.length > 0 || item.cpvClassified) return item;
    const classified = classifyPlanItem(item, language, classifier);
    return classified ? { ...item, ...classified } : item;
  });
}

/**
 * Planned tenders of a buyer from the items of its plan, ids `<source id>:<key>`. With a
 * classifier, an item that states no CPV code gets the classifier's (marked `cpvClassified`);
 * a stated code always wins. Pure: the classifier is passed in.
 */
export function planItemsToTenders(
  items: readonly PlanItem[],
  at: { sourceId: string; buyer: Buyer; now: string },
  classifier?: Classifier,
): Tender[] {
  const keys = planItemKeys(items);
  const place = placeOfBuyer(at.buyer);
  const language = languageOfCountry(at.buyer.country);
  return items.map((item, i) => {
    const classified = item.cpvClassified
      ? { cpv: item.cpv, cpvClassified: item.cpvClassified }
      : item.cpv.length === 0 && classifier
        ? classifyPlanItem(item, language, classifier)
        : undefined;
    const cpv = classified?.cpv ?? item.cpv;
    return Tender.parse({
      id: `${at.sourceId}:${keys[i] ?? "item"}`,
      stage: "planned",
      title: item.title,
      description: item.description ?? "",
      language,
      buyer: { id: at.buyer.id, name: at.buyer.name, country: at.buyer.country },
      reserved: item.reservedHint ? (item.reservedHint.kind ?? "unknown") : "none",
      ...(place ? { place } : {}),
      lots: [{ id: "LOT-0001", title: item.title, cpv }],
      cpv,
      ...(classified ? { cpvClassified: classified.cpvClassified } : {}),
      ...(item.estimatedValue ? { estimatedValue: item.estimatedValue } : {}),
      ...(item.expectedPublication ? { expectedPublication: item.expectedPublication } : {}),
      ...(item.contractPeriod ? { contractPeriod: item.contractPeriod } : {}),
      ...(item.department ? { department: item.department } : {}),
      ...(item.contact ? { contact: item.contact } : {}),
      ...(item.reservedHint ? { reservedHint: item.reservedHint } : {}),
      ...(item.sourceUrl ? { sourceUrl: item.sourceUrl } : {}),
      requirements: {},
      firstSeen: at.now,
      lastChanged: at.now,
    });
  });
}
