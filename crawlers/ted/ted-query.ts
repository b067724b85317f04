/**
 * TED expert-search queries built from typed options. Every value is checked against a closed
 * set or a digits-only pattern before it is written into the query, so no option can change the
 * query's structure. Field names are those of the `NoticeResponse` schema of the TED Search API
 * v3 (listed in `test/fixtures/ted-api-v3/search-fields.csv`):
 *
 * - `buyer-country`: ISO 3166-1 alpha-3 codes (`DNK`), so alpha-2 input is mapped;
 * - `form-type`: the eForms form type (`planning`, `competition`, `result`, …), the `listName` of
 *   `cbc:NoticeTypeCode`; coarser and more stable than the ~20 `notice-type` subtypes;
 * - `reserved-procurement-lot`: BT-71-Lot (reserved participation), codelist
 *   `reserved-procurement`: `res-ws` (sheltered workshops / social enterprises, art. 20) and
 *   `res-pub-ser` (public service mission, art. 77); `none` is left out;
 * - `classification-cpv`: the CPV codes of the procedure and its lots;
 * - `publication-date`: compared as `YYYYMMDD`.
 */

export const TED_FORM_TYPES = ["planning", "competition", "result"] as const;
export type TedFormType = (typeof TED_FORM_TYPES)[number];

/** BT-71 codes that mean "reserved" (the `reserved-procurement` codelist without `none`). */
export const TED_RESERVED_CODES = ["res-ws", "res-pub-ser"] as const;

/** ISO alpha-2 → alpha-3 for the countries that publish on TED (EU, EEA, CH, UK). */
const ISO3: Readonly<Record<string, string>> = {
  AT: "AUT",
  BE: "BEL",
  BG: "BGR",
  CH: "CHE",
  CY: "CYP",
  CZ: "CZE",
  DE: "DEU",
  DK: "DNK",
  EE: "EST",
  ES: "ESP",
  FI: "FIN",
  FR: "FRA",
  GB: "GBR",
  GR: "GRC",
  HR: "HRV",
  HU: "HUN",
  IE: "IRL",
  IS: "ISL",
  IT: "ITA",
  LI: "LIE",
  LT: "LTU",
  LU: "LUX",
  LV: "LVA",
  MT: "MLT",
  NL: "NLD",
  NO: "NOR",
  PL: "POL",
  PT: "PRT",
  RO: "ROU",
  SE: "SWE",
  SI: "SVN",
  SK: "SVK",
};
/** Codes TED and the EU use in place of the ISO ones. */
const ALIASES: Readonly<Record<string, string>> = { UK: "GB", EL: "GR" };

export interface ExpertQueryOptions {
  /** ISO 3166-1 alpha-2 buyer countries, e.g. `["DK", "SE", "NO"]`. */
  countries?: string[];
  noticeTypes?: TedFormType[];
  /** Only notices with at least one lot reserved under BT-71. */
  reservedOnly?: boolean;
  /** CPV codes: 8 digits match exactly, 2–7 digits match every code that starts with them. */
  cpvPrefixes?: string[];
  /** `YYYY-MM-DD`, inclusive. */
  publishedSince?: string;
}

export function toIso3(country: string): string {
  const upper = country.trim().toUpperCase();
  const iso3 = ISO3[ALIASES[upper] ?? upper];
  if (iso3 === undefined)
    throw new RangeError(`Unknown or unsupported country code: ${JSON.stringify(country)}`);
  return iso3;
}

export function buildExpertQuery(options: ExpertQueryOptions): string {
  const clauses: string[] = [];

  if (options.countries !== undefined) {
    const codes = unique(nonEmpty(options.countries, "countries").map(toIso3));
    clauses.push(`buyer-country IN (${codes.join(" ")})`);
  }

  if (options.noticeTypes !== undefined) {
    const types = unique(nonEmpty(options.noticeTypes, "noticeTypes").map(formType));
    clauses.push(`form-type IN (${types.join(" ")})`);
  }

  if (options.reservedOnly === true) {
    clauses.push(`reserved-procurement-lot IN (${TED_RESERVED_CODES.join(" ")})`);
  }

  if (options.cpvPrefixes !== undefined) {
    clauses.push(cpvClause(unique(nonEmpty(options.cpvPrefixes, "cpvPrefixes").map(cpvPrefix))));
  }

  if (options.publishedSince !== undefined) {
    clauses.push(`publication-date>=${tedDate(options.publishedSince)}`);
  }

  if (clauses.length === 0) throw new RangeError("A TED query needs at least one criterion");
  return clauses.join(" AND ");
}

function cpvClause(codes: string[]): string {
  const exact = codes.filter((c) => c.length === 8);
  // A shorter prefix becomes a wildcard term; wildcards are not put inside IN lists.
  const parts = [
    ...(exact.length > 0 ? [`classification-cpv IN (${exact.join(" ")})`] : []),
    ...codes.filter((c) => c.length < 8).map((c) => `classification-cpv=${c}*`),
  ];
  return parts.length === 1 ? (parts[0] ?? "") : `(${parts.join(" OR ")})`;
}

function formType(value: string): TedFormType {
  const found = TED_FORM_TYPES.find((t) => t === value);
  if (found === undefined) throw new RangeError(`Unknown notice type: ${JSON.stringify(value)}`);
  return found;
}

function cpvPrefix(value: string): string {
  // Accept "85311000" or "85311000-2" (with check digit); the check digit is not searchable.
  const match = /^(\d{2,8})(?:-\d)?$/.exec(value.trim());
  const digits = match?.[1];
  if (digits === undefined) throw new RangeError(`Not a CPV code or prefix: ${JSON.stringify(value)}`);
  return digits;
}

function tedDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) throw new RangeError(`publishedSince must be YYYY-MM-DD: ${JSON.stringify(value)}`);
  const [, y, m, d] = match;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new RangeError(`publishedSince is not a calendar date: ${JSON.stringify(value)}`);
  }
  return `${y}${m}${d}`;
}

function nonEmpty<T>(values: T[], name: string): T[] {
  if (values.length === 0) throw new RangeError(`${name} must not be empty when given`);
  return values;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
