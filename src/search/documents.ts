import { currencyOfCountry, languageOfCountry } from "../domain/common.js";
import { cpvDivision, cpvPrefixes } from "../domain/cpv.js";
import { cpvLabels } from "../domain/cpv-catalogue.js";
import type { Enterprise } from "../domain/enterprise.js";
import { municipality } from "../domain/municipalities.js";
import { toEur } from "../domain/money.js";
import { fold } from "../domain/text.js";
import type { Tender } from "../domain/tender.js";

/**
 * Search documents, derived from the store's aggregates. Both engines index exactly these
 * shapes; index-config/ names their attributes for Meilisearch. Dates are epoch milliseconds so
 * that range filters are numeric in both engines.
 */
export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface TenderDoc {
  id: string;
  title: string;
  description: string;
  lotTitles: string[];
  buyerId: string;
  buyerName: string;
  /** Name of the municipality of the place, for text search. */
  placeName: string | null;
  country: string;
  language: string;
  stage: string;
  /** The tender's reservation and every lot's, distinct ("res-ws" when any lot is reserved). */
  reserved: string[];
  /** NUTS codes of the place and the lots. */
  nuts: string[];
  /** Every prefix of those codes, for prefix filters ("DK", "DK0", "DK04", "DK042"). */
  nutsPrefixes: string[];
  /** Level-3 NUTS codes, for the region facet. */
  nuts3: string[];
  municipality: string | null;
  cpv: string[];
  cpvPrefixes: string[];
  cpvDivisions: string[];
  /** Labels of the codes in every language we have, for text search. */
  cpvLabels: string[];
  valueEur: number | null;
  valueBand: string | null;
  expectedDate: number | null;
  deadlineDate: number | null;
  lastChanged: number;
  smeSuitable: boolean | null;
  vcseSuitable: boolean | null;
  _geo: GeoPoint | null;
}

export interface EnterpriseDoc {
  id: string;
  name: string;
  /** The name folded to lower case, what `sort=name` orders by. */
  nameSort: string;
  description: string;
  keywords: string[];
  municipality: string | null;
  municipalityName: string | null;
  country: string;
  language: string;
  cpv: string[];
  cpvPrefixes: string[];
  cpvDivisions: string[];
  cpvLabels: string[];
  certifications: string[];
  /** Reservations the enterprise is eligible for on its own: res-ws (≥ 30 %), res-pub-ser. */
  eligibleFor: string[];
  openToConsortia: boolean;
  openToSubcontracting: boolean;
  turnoverEur: number | null;
  employees: number | null;
  serviceRadiusKm: number;
  _geo: GeoPoint | null;
}

/** Value bands in euro, for the value facet. */
export const VALUE_BANDS = ["< 100k", "100k–1M", "1M–10M", "≥ 10M"] as const;

export function valueBand(eur: number | null): string | null {
  if (eur === null) return null;
  if (eur < 100_000) return VALUE_BANDS[0];
  if (eur < 1_000_000) return VALUE_BANDS[1];
  if (eur < 10_000_000) return VALUE_BANDS[2];
  return VALUE_BANDS[3];
}

export function dateToMs(isoDate: string): number {
  return Date.parse(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
}

function distinct<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

function nutsPrefixesOf(code: string): string[] {
  const out: string[] = [];
  for (let n = 2; n <= code.length; n++) out.push(code.slice(0, n));
  return out;
}

function cpvFields(codes: readonly string[]) {
  return {
    cpv: [...codes],
    cpvPrefixes: distinct(codes.flatMap(cpvPrefixes)),
    cpvDivisions: distinct(codes.map(cpvDivision)),
    cpvLabels: distinct(codes.flatMap((c) => cpvLabels(c))),
  };
}

export function tenderDocument(t: Tender): TenderDoc {
  const nuts = distinct([
    ...(t.place?.nuts ? [t.place.nuts] : []),
    ...t.lots.flatMap((l) => (l.nuts ? [l.nuts] : [])),
  ]);
  const valueEur = t.estimatedValue
    ? (toEur(t.estimatedValue.amount, t.estimatedValue.currency) ?? null)
    : null;
  const place = t.place;
  const muni = place?.municipality ? municipality(t.buyer.country, place.municipality) : undefined;
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    lotTitles: t.lots.length > 1 ? t.lots.map((l) => l.title) : [],
    buyerId: t.buyer.id,
    buyerName: t.buyer.name,
    placeName: muni?.name ?? null,
    country: t.buyer.country,
    language: t.language,
    stage: t.stage,
    reserved: distinct([t.reserved, ...t.lots.flatMap((l) => (l.reserved ? [l.reserved] : []))]),
    nuts,
    nutsPrefixes: distinct(nuts.flatMap(nutsPrefixesOf)),
    nuts3: distinct(nuts.filter((n) => n.length >= 5).map((n) => n.slice(0, 5))),
    municipality: place?.municipality ?? null,
    ...cpvFields(t.cpv),
    valueEur,
    valueBand: valueBand(valueEur),
    expectedDate: t.expectedPublication ? dateToMs(t.expectedPublication.date) : null,
    deadlineDate: t.deadline ? dateToMs(t.deadline) : null,
    lastChanged: dateToMs(t.lastChanged),
    smeSuitable: t.smeSuitable ?? null,
    vcseSuitable: t.vcseSuitable ?? null,
    _geo: place?.lat !== undefined && place.lon !== undefined ? { lat: place.lat, lng: place.lon } : null,
  };
}

/** Art. 20 needs at least 30 % disabled or disadvantaged employees. */
export const RES_WS_MIN_SHARE = 0.3;

export function enterpriseDocument(e: Enterprise): EnterpriseDoc {
  const muni = e.municipality ? municipality(e.country, e.municipality) : undefined;
  const turnoverEur =
    e.annualTurnover !== undefined
      ? (toEur(e.annualTurnover, e.currency ?? currencyOfCountry(e.country)) ?? null)
      : null;
  return {
    id: e.id,
    name: e.name,
    nameSort: fold(e.name),
    description: e.description,
    keywords: e.keywords,
    municipality: e.municipality ?? null,
    municipalityName: muni?.name ?? null,
    country: e.country,
    language: e.languages[0] ?? languageOfCountry(e.country),
    ...cpvFields(e.cpv),
    certifications: e.certifications,
    eligibleFor: [
      ...((e.disadvantagedShare ?? 0) >= RES_WS_MIN_SHARE ? ["res-ws"] : []),
      ...(e.publicServiceMission ? ["res-pub-ser"] : []),
    ],
    openToConsortia: e.openToConsortia,
    openToSubcontracting: e.openToSubcontracting,
    turnoverEur,
    employees: e.employees ?? null,
    serviceRadiusKm: e.serviceRadiusKm,
    _geo: e.location ? { lat: e.location.lat, lng: e.location.lon } : null,
  };
}
