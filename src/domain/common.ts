import { z } from "./zod.js";

/** ISO 3166-1 alpha-2, upper case ("DK", "SE", "NO", "GB"). Lower case input is accepted. */
export const CountryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, "an ISO 3166-1 alpha-2 country code such as DK or SE")
  .transform((s) => s.toUpperCase());

/** ISO 4217 currency code ("DKK", "SEK", "EUR"). */
export const CurrencyCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, "an ISO 4217 currency code such as DKK")
  .transform((s) => s.toUpperCase());

/** ISO 639-1 language code ("da", "sv", "nb", "en"). */
export const LanguageCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}$/, "an ISO 639 language code such as da")
  .transform((s) => s.toLowerCase());

export const Latitude = z.number().min(-90).max(90);
export const Longitude = z.number().min(-180).max(180);

export const LatLon = z.object({ lat: Latitude, lon: Longitude });
export type LatLon = z.infer<typeof LatLon>;

/** NUTS code of any level ("DK", "DK04", "DK042", "SE123"). */
export const NutsCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}[0-9A-Za-z]{0,3}$/, "a NUTS code such as DK042")
  .transform((s) => s.toUpperCase());

export const Money = z.object({
  amount: z.number().nonnegative(),
  currency: CurrencyCode,
  raw: z.string().optional(),
});
export type Money = z.infer<typeof Money>;

export const IsoDate = z.iso.date();
export const IsoDateTime = z.iso.datetime({ offset: true });

/** A stable identifier made of letters, digits and `.`, `_`, `-`. */
export const Slug = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'");

/** The currency a buyer or enterprise in this country uses by default. */
export function currencyOfCountry(country: string): string {
  return COUNTRY_CURRENCY[country.toUpperCase()] ?? "EUR";
}

const COUNTRY_CURRENCY: Readonly<Record<string, string>> = {
  DK: "DKK",
  SE: "SEK",
  NO: "NOK",
  GB: "GBP",
  IS: "ISK",
  CH: "CHF",
  PL: "PLN",
  CZ: "CZK",
  HU: "HUF",
  RO: "RON",
  BG: "BGN",
};

/** The language a buyer or enterprise in this country most likely writes in. */
export function languageOfCountry(country: string): string {
  return COUNTRY_LANGUAGE[country.toUpperCase()] ?? "en";
}

const COUNTRY_LANGUAGE: Readonly<Record<string, string>> = { DK: "da", SE: "sv", NO: "nb" };
