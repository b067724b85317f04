/** Names for the codes facets count by: buyers, municipalities, regions, CPV divisions, value bands. */
import { cpvLabel } from "../domain/cpv-catalogue.js";
import { municipalities, municipality } from "../domain/municipalities.js";
import { VALUE_BANDS } from "../search/documents.js";
import type { ServiceContext } from "../services/context.js";
import { money } from "./format.js";
import type { PageContext } from "./page-context.js";

/** Buyer names by id: a municipality's from the reference data, any other's from the store. */
export async function buyerNames(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const rest: string[] = [];
  for (const id of ids) {
    const m = /^([a-z]{2})-(\d{4})$/.exec(id);
    const found = m ? municipality(m[1] ?? "", m[2] ?? "") : undefined;
    if (found) out.set(id, found.officialName);
    else rest.push(id);
  }
  for (const id of rest) out.set(id, (await ctx.store.buyers.get(id))?.name ?? id);
  return out;
}

/**
 * A municipality code's name. Danish and Swedish codes overlap ("0580" is Aabenraa and
 * Linköping), so the countries in play decide, then the NUTS 3 areas in play (when known);
 * when several still fit, all their names are given.
 */
export function municipalityName(
  code: string,
  countries: readonly string[],
  nuts3: readonly string[] = [],
): string {
  const found = (countries.length > 0 ? countries : ["DK", "SE"]).flatMap((country) => {
    const m = municipality(country, code);
    return m ? [m] : [];
  });
  const inArea = found.filter((m) => nuts3.includes(m.nuts3));
  const names = (inArea.length > 0 ? inArea : found).map((m) => m.name);
  return names.length > 0 ? names.join(" / ") : code;
}

let regions: Map<string, string> | undefined;

/** "DK042" → "Region Midtjylland (DK042)": the region the NUTS 3 area belongs to. */
export function regionName(nuts3: string): string {
  regions ??= new Map(municipalities().map((m) => [m.nuts3, m.region]));
  const region = regions.get(nuts3);
  return region ? `${region} (${nuts3})` : nuts3;
}

export function cpvDivisionName(division: string, lang: PageContext["lang"]): string {
  const label = cpvLabel(division.padEnd(8, "0"), lang);
  return label ? `${label} (${division})` : division;
}

export type ValueBand = (typeof VALUE_BANDS)[number];

/** Euro bounds of each value band, as the search filter wants them (both inclusive). */
export const VALUE_BAND_RANGES: Readonly<Record<ValueBand, { min?: number; max?: number }>> = {
  "< 100k": { max: 99_999.99 },
  "100k–1M": { min: 100_000, max: 999_999.99 },
  "1M–10M": { min: 1_000_000, max: 9_999_999.99 },
  "≥ 10M": { min: 10_000_000 },
};

export function isValueBand(value: string): value is ValueBand {
  return (VALUE_BANDS as readonly string[]).includes(value);
}

export function valueBandName(band: string, ctx: PageContext): string {
  const eur = (amount: number) => money({ amount, currency: "EUR" }, ctx.lang);
  switch (band) {
    case "< 100k":
      return ctx.t.search.under(eur(100_000));
    case "100k–1M":
      return ctx.t.search.between(eur(100_000), eur(1_000_000));
    case "1M–10M":
      return ctx.t.search.between(eur(1_000_000), eur(10_000_000));
    case "≥ 10M":
      return ctx.t.search.over(eur(10_000_000));
    default:
      return band;
  }
}
