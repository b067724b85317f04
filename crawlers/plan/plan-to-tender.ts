import type { Buyer } from "../../src/domain/buyer.js";
import { languageOfCountry } from "../../src/domain/common.js";
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

/** Planned tenders of a buyer from the items of its plan, ids `<source id>:<key>`. */
export function planItemsToTenders(
  items: readonly PlanItem[],
  at: { sourceId: string; buyer: Buyer; now: string },
): Tender[] {
  const keys = planItemKeys(items);
  const place = placeOfBuyer(at.buyer);
  return items.map((item, i) =>
    Tender.parse({
      id: `${at.sourceId}:${keys[i] ?? "item"}`,
      stage: "planned",
      title: item.title,
      description: item.description ?? "",
      language: languageOfCountry(at.buyer.country),
      buyer: { id: at.buyer.id, name: at.buyer.name, country: at.buyer.country },
      reserved: item.reservedHint ? (item.reservedHint.kind ?? "unknown") : "none",
      ...(place ? { place } : {}),
      lots: [{ id: "LOT-0001", title: item.title, cpv: item.cpv }],
      cpv: item.cpv,
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
    }),
  );
}
