import data from "../data/municipalities.json" with { type: "json" };
import { municipalityBuyerId, type Buyer } from "./buyer.js";
import { fold } from "./text.js";

/** Danish and Swedish municipalities (src/data/municipalities.json, see its PROVENANCE.md). */
export interface Municipality {
  country: "DK" | "SE";
  code: string;
  name: string;
  officialName: string;
  region: string;
  nuts3: string;
  orgId?: string;
  lat?: number;
  lon?: number;
}

const all = data as Municipality[];
const byKey = new Map(all.map((m) => [`${m.country}-${m.code}`, m]));

export function municipalities(): readonly Municipality[] {
  return all;
}

export function municipality(country: string, code: string): Municipality | undefined {
  return byKey.get(`${country.toUpperCase()}-${code}`);
}

/** The municipality as a buyer. */
export function municipalityAsBuyer(m: Municipality): Buyer {
  return {
    id: municipalityBuyerId(m.country, m.code),
    name: m.officialName,
    kind: "municipality",
    country: m.country,
    municipalityCode: m.code,
    nuts3: m.nuts3,
    region: m.region,
    ...(m.orgId ? { orgId: m.orgId } : {}),
    ...(m.lat !== undefined && m.lon !== undefined ? { location: { lat: m.lat, lon: m.lon } } : {}),
  };
}

const digits = (s: string) => s.replace(/\D/g, "");
const nameKey = (s: string) =>
  fold(s)
    .replace(/\b(kommune|kommun|municipality|stad|kommunes|kommuns)\b/g, "")
    .replace(/[^a-z0-9]+/g, "");

let byName: Map<string, Municipality> | undefined;

/**
 * The municipality a buyer named in a notice or plan is, by organisation number or by name
 * ("Aarhus Kommune", "Aarhus", "Malmö stad"); undefined when it is not a known municipality.
 */
export function findMunicipality(country: string, name: string, orgId?: string): Municipality | undefined {
  const cc = country.toUpperCase();
  if (orgId && digits(orgId).length >= 6) {
    const wanted = digits(orgId);
    const hit = all.find((m) => m.country === cc && m.orgId !== undefined && digits(m.orgId) === wanted);
    if (hit) return hit;
  }
  const index = (byName ??= new Map(
    all.flatMap((m) => [
      [`${m.country}:${nameKey(m.name)}`, m] as const,
      [`${m.country}:${nameKey(m.officialName)}`, m] as const,
    ]),
  ));
  const lookup = (text: string) => {
    const key = nameKey(text);
    if (key === "") return undefined;
    // "Københavns Kommune": the genitive s of Danish and Swedish names.
    return (
      index.get(`${cc}:${key}`) ?? (key.endsWith("s") ? index.get(`${cc}:${key.slice(0, -1)}`) : undefined)
    );
  };
  // "Aarhus Kommune, Borgmesterens Afdeling" names the municipality and a department of it.
  return lookup(name) ?? lookup(name.split(/[,–]/)[0] ?? "");
}
