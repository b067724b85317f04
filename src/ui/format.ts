/**
 * Dates, money and periods in the page language. The alert wording (src/alerts/email) already
 * writes these per language for e-mails; the pages use the same helpers so both read alike.
 */
import { formatDateTime, formatExpectedPublication, formatMoney } from "../alerts/email/alert-format.js";
import { cpvEntry, cpvLabel } from "../domain/cpv-catalogue.js";
import type { Money } from "../domain/common.js";
import { defaultTimeZone } from "../domain/subscription.js";
import type { ExpectedPublication } from "../domain/tender.js";
import type { UiLanguage } from "./i18n/index.js";

const LOCALES: Readonly<Record<UiLanguage, string>> = {
  da: "da-DK",
  sv: "sv-SE",
  nb: "nb-NO",
  en: "en-GB",
};

const numberFormats = new Map<UiLanguage, Intl.NumberFormat>();

export function formatNumber(n: number, lang: UiLanguage): string {
  let format = numberFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 });
    numberFormats.set(lang, format);
  }
  return format.format(n);
}

export function money(m: Pick<Money, "amount" | "currency">, lang: UiLanguage): string {
  return formatMoney(m, lang);
}

/** An expected publication at its precision: "2. kvartal 2027", "Q2 2027", "hösten 2027". */
export function expectedPeriod(
  ep: Pick<ExpectedPublication, "date" | "precision">,
  lang: UiLanguage,
): string {
  return formatExpectedPublication(ep, lang);
}

/** A deadline in the language's usual time zone, with the zone named. */
export function dateTime(iso: string, lang: UiLanguage): string {
  return formatDateTime(iso, lang, defaultTimeZone(lang));
}

/** A calendar day ("12. maj 2027") from an ISO date or date-time. */
export function day(iso: string, lang: UiLanguage): string {
  return formatExpectedPublication({ date: iso.slice(0, 10), precision: "day" }, lang);
}

/**
 * A CPV label in the page language, and the language it is actually in: English where the
 * catalogue has no label in the page language (da and sv cover the social services annex only).
 */
export function cpvText(code: string, lang: UiLanguage): { label: string; lang: UiLanguage } | undefined {
  const entry = cpvEntry(code);
  if (!entry) return undefined;
  const own = entry.labels[lang];
  if (own) return { label: own, lang };
  const label = cpvLabel(entry.code, "en");
  return label ? { label, lang: "en" } : undefined;
}
