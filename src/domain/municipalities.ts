import data from "../data/municipalities.json" with { type: "json" };
import { municipalityBuyerId, type Buyer } from "./buyer.js";

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
