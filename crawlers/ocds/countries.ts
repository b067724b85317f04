import { fold } from "../../src/domain/text.js";

/**
 * Telling the country of a buyer from what OCDS data gives: `address.countryName` (free text
 * in OCDS 1.1: "United Kingdom", "England", "UK", "GB", "MÉXICO"), a NUTS code in
 * `address.region` ("UKM72"), the ocid prefix of a known publisher, or the currency.
 */

/** Folded country names and codes seen in OCDS data → ISO 3166-1 alpha-2. */
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  "united kingdom": "GB",
  "great britain": "GB",
  britain: "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  uk: "GB",
  gbr: "GB",
  eng: "GB",
  sct: "GB",
  wls: "GB",
  nir: "GB",
  denmark: "DK",
  danmark: "DK",
  dnk: "DK",
  sweden: "SE",
  sverige: "SE",
  swe: "SE",
  norway: "NO",
  norge: "NO",
  nor: "NO",
  finland: "FI",
  suomi: "FI",
  iceland: "IS",
  germany: "DE",
  deutschland: "DE",
  france: "FR",
  netherlands: "NL",
  ireland: "IE",
  spain: "ES",
  italy: "IT",
  poland: "PL",
  mexico: "MX",
  mex: "MX",
  paraguay: "PY",
  colombia: "CO",
  ukraine: "UA",
};

/** NUTS uses UK for the United Kingdom and EL for Greece. */
const NUTS_COUNTRY: Readonly<Record<string, string>> = { UK: "GB", EL: "GR" };
const NUTS_COUNTRIES = new Set(
  "AT BE BG CH CY CZ DE DK EE EL ES FI FR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK UK".split(
    " ",
  ),
);

/** Publishers whose ocid prefix tells the country (https://standard.open-contracting.org, prefix list). */
export const KNOWN_PUBLISHERS: Readonly<Record<string, { name: string; country: string }>> = {
  "ocds-b5fd17": { name: "Contracts Finder", country: "GB" },
  "ocds-h6vhtk": { name: "Find a Tender", country: "GB" },
  "ocds-r6ebe6": { name: "Public Contracts Scotland", country: "GB" },
  "ocds-kuma6s": { name: "Sell2Wales", country: "GB" },
  "ocds-07smqs": { name: "CompraNet (Mexico)", country: "MX" },
  "ocds-87sd3t": { name: "Mexico City (SEFIN)", country: "MX" },
  "ocds-03ad3f": { name: "DNCP (Paraguay)", country: "PY" },
};

/** Currencies used by one country only. */
const CURRENCY_COUNTRY: Readonly<Record<string, string>> = {
  GBP: "GB",
  DKK: "DK",
  SEK: "SE",
  NOK: "NO",
  ISK: "IS",
  PLN: "PL",
  CZK: "CZ",
  HUF: "HU",
  RON: "RO",
  MXN: "MX",
  PYG: "PY",
  COP: "CO",
  UAH: "UA",
};

/** "United Kingdom", "ENG", "gb", "MÉXICO" → an ISO code; undefined when the text is unknown. */
export function countryOfName(name: string): string | undefined {
  const folded = fold(name)
    .replace(/[^a-z ]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const known = COUNTRY_NAMES[folded];
  if (known) return known;
  if (/^[a-z]{2}$/.test(folded)) return folded.toUpperCase();
  return undefined;
}

/** "UKM72" → GB. Only codes below country level (with a digit) count: "DF" is no NUTS code. */
export function countryOfNuts(region: string): string | undefined {
  const match = /^([A-Z]{2})[0-9A-Z]{0,2}[0-9][0-9A-Z]{0,2}$/.exec(region.trim().toUpperCase());
  if (!match?.[1] || region.trim().length > 5 || !NUTS_COUNTRIES.has(match[1])) return undefined;
  return NUTS_COUNTRY[match[1]] ?? match[1];
}

/** A NUTS code as the domain keeps it ("UKM72"), or undefined. */
export function nutsCode(region: string): string | undefined {
  return countryOfNuts(region) === undefined ? undefined : region.trim().toUpperCase();
}

export function publisherOfOcid(ocid: string): { name: string; country: string } | undefined {
  return KNOWN_PUBLISHERS[ocid.slice(0, 11).toLowerCase()];
}

export function countryOfCurrency(currency: string): string | undefined {
  return CURRENCY_COUNTRY[currency.toUpperCase()];
}
