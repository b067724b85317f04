/**
 * Code mappings the eForms parser needs: ISO 3166-1 alpha-3 → alpha-2 (eForms writes `DNK`),
 * notice languages (ISO 639-2/B as eForms writes them → ISO 639-1), notice subtypes → form
 * family, buyer legal types → buyer kind. Small enough to live in code; the labels of the eForms
 * codelists are in `/work/shared/data/eforms/codelists` (see PROVENANCE there).
 */
import type { Reservation } from "../../src/domain/tender.js";

/** EU/EEA members, the United Kingdom, Switzerland and the other countries TED notices name most. */
const ISO3_TO_ISO2: Readonly<Record<string, string>> = {
  AUT: "AT",
  BEL: "BE",
  BGR: "BG",
  HRV: "HR",
  CYP: "CY",
  CZE: "CZ",
  DNK: "DK",
  EST: "EE",
  FIN: "FI",
  FRA: "FR",
  DEU: "DE",
  GRC: "GR",
  HUN: "HU",
  IRL: "IE",
  ITA: "IT",
  LVA: "LV",
  LTU: "LT",
  LUX: "LU",
  MLT: "MT",
  NLD: "NL",
  POL: "PL",
  PRT: "PT",
  ROU: "RO",
  SVK: "SK",
  SVN: "SI",
  ESP: "ES",
  SWE: "SE",
  ISL: "IS",
  LIE: "LI",
  NOR: "NO",
  GBR: "GB",
  CHE: "CH",
  ALB: "AL",
  AND: "AD",
  BIH: "BA",
  BLR: "BY",
  FRO: "FO",
  GRL: "GL",
  MCO: "MC",
  MDA: "MD",
  MNE: "ME",
  MKD: "MK",
  SRB: "RS",
  SMR: "SM",
  TUR: "TR",
  UKR: "UA",
  VAT: "VA",
  XKX: "XK",
  USA: "US",
  CAN: "CA",
  AUS: "AU",
  CHN: "CN",
  JPN: "JP",
  IND: "IN",
  ISR: "IL",
};

/** NUTS country prefixes that differ from ISO 3166-1 alpha-2. */
const NUTS_TO_ISO2: Readonly<Record<string, string>> = { EL: "GR", UK: "GB" };

/** "DNK" → "DK"; a two-letter code is returned upper-cased (UK → GB, EL → GR). */
export function countryToIso2(code: string | undefined): string | undefined {
  const c = code?.trim().toUpperCase();
  if (!c) return undefined;
  if (/^[A-Z]{2}$/.test(c)) return NUTS_TO_ISO2[c] ?? c;
  return ISO3_TO_ISO2[c];
}

/** The country a NUTS code lies in ("DK042" → "DK", "EL303" → "GR"). */
export function countryOfNuts(nuts: string | undefined): string | undefined {
  return nuts && /^[A-Za-z]{2}/.test(nuts) ? countryToIso2(nuts.slice(0, 2)) : undefined;
}

/** eForms notice languages (EU official languages plus the EEA ones). */
const LANGUAGE_3_TO_1: Readonly<Record<string, string>> = {
  BUL: "bg",
  CES: "cs",
  DAN: "da",
  DEU: "de",
  ELL: "el",
  ENG: "en",
  EST: "et",
  FIN: "fi",
  FRA: "fr",
  GLE: "ga",
  HRV: "hr",
  HUN: "hu",
  ITA: "it",
  LAV: "lv",
  LIT: "lt",
  MLT: "mt",
  NLD: "nl",
  POL: "pl",
  POR: "pt",
  RON: "ro",
  SLK: "sk",
  SLV: "sl",
  SPA: "es",
  SWE: "sv",
  NOR: "nb",
  NOB: "nb",
  NNO: "nn",
  ISL: "is",
};

export function languageToIso1(code: string | undefined): string | undefined {
  const c = code?.trim().toUpperCase();
  if (!c) return undefined;
  return LANGUAGE_3_TO_1[c];
}

export const NOTICE_FAMILIES = ["planning", "competition", "result", "other"] as const;
export type NoticeFamily = (typeof NOTICE_FAMILIES)[number];

/**
 * eForms notice subtype → family. 1–9 PIN (buyer profile, information only, shortening time
 * limits), 10–14 PIN used as call for competition, 15 qualification system, 16–24 contract,
 * social, subcontracting and design contest notices, 25–28 VEAT, 29–37 award and design contest
 * results, 38–40 contract modifications. E1–E6 are the below-threshold forms, T01/T02 public
 * transport, CEI call for expressions of interest, X01/X02 EEIG/SE registration. Norwegian
 * national forms prefix the number with N ("N16").
 */
export function familyOfSubtype(subtype: string | undefined): NoticeFamily | undefined {
  const s = subtype?.trim().toUpperCase();
  if (!s) return undefined;
  const numeric = /^N?(\d{1,2})$/.exec(s);
  if (numeric) {
    const n = Number(numeric[1]);
    if (n >= 1 && n <= 9) return "planning";
    if (n >= 10 && n <= 24) return "competition";
    if (n >= 25 && n <= 40) return "result";
    return undefined;
  }
  const named: Readonly<Record<string, NoticeFamily>> = {
    E1: "planning",
    E2: "planning",
    E3: "competition",
    E4: "result",
    E5: "result",
    E6: "result",
    T01: "planning",
    T02: "result",
    CEI: "competition",
    X01: "other",
    X02: "other",
  };
  return named[s];
}

/** eForms notice type (BT-02) → family, for notices without a usable subtype. */
export function familyOfNoticeType(type: string | undefined): NoticeFamily | undefined {
  const t = type?.trim().toLowerCase();
  if (!t) return undefined;
  if (t === "pin-cfc-standard" || t === "pin-cfc-social") return "competition";
  if (t.startsWith("pin-") || t === "pmc") return "planning";
  if (t.startsWith("cn-") || t === "qu-sy" || t === "subco") return "competition";
  if (t.startsWith("can-") || t === "veat" || t === "compl") return "result";
  if (t.startsWith("brin-")) return "other";
  return undefined;
}

/** The root element's name → family, the last resort. */
export function familyOfRoot(root: string): NoticeFamily {
  if (root === "PriorInformationNotice") return "planning";
  if (root === "ContractNotice") return "competition";
  if (root === "ContractAwardNotice") return "result";
  return "other";
}

/** BT-71 reserved participation. */
export function reservationOfCode(code: string): Reservation | undefined {
  const c = code.trim().toLowerCase();
  return c === "none" || c === "res-ws" || c === "res-pub-ser" ? c : undefined;
}

/** BT-736 reserved execution: yes → true, no → false, not-known → undefined. */
export function reservedExecutionOfCode(code: string): { value: boolean | undefined; known: boolean } {
  const c = code.trim().toLowerCase();
  if (c === "yes" || c === "true") return { value: true, known: true };
  if (c === "no" || c === "false") return { value: false, known: true };
  if (c === "not-known") return { value: undefined, known: true };
  return { value: undefined, known: false };
}

/**
 * BT-65 subcontracting obligation: `subc-min` (a minimum share must be subcontracted, BT-64
 * and BT-729 give the range) → minimum-share; `subc-oblig-2009-81` (the buyer may oblige the
 * contractor to award subcontracts by Title III of Directive 2009/81/EC) → required;
 * `subc-chng` (changes of subcontractors must be reported) allows subcontracting without an
 * obligation; `none` → none.
 */
export function subcontractingOfObligation(
  code: string,
): { obligation?: "none" | "required" | "minimum-share"; allowed?: boolean } | undefined {
  switch (code.trim().toLowerCase()) {
    case "none":
      return { obligation: "none" };
    case "subc-min":
      return { obligation: "minimum-share", allowed: true };
    case "subc-oblig-2009-81":
      return { obligation: "required", allowed: true };
    case "subc-chng":
      return { obligation: "none", allowed: true };
    default:
      return undefined;
  }
}

const BUYER_LEGAL_TYPES = new Set([
  "body-pl",
  "body-pl-cga",
  "body-pl-la",
  "body-pl-ra",
  "cga",
  "def-cont",
  "eu-ins-bod-ag",
  "eu-int-org",
  "grp-p-aut",
  "int-org",
  "la",
  "org-sub",
  "org-sub-cga",
  "org-sub-la",
  "org-sub-ra",
  "pub-undert",
  "pub-undert-cga",
  "pub-undert-la",
  "pub-undert-ra",
  "ra",
  "spec-rights-entity",
]);

export function isKnownBuyerLegalType(code: string): boolean {
  return BUYER_LEGAL_TYPES.has(code.trim().toLowerCase());
}

const MUNICIPALITY_WORDS =
  /(?:^|[^\p{L}])(kommune|kommun|kommunen|municipality|council|gemeinde|stadt|commune|comune|municipio|ayuntamiento|gmina|kunta|sveitarfélag)(?=$|[^\p{L}])/iu;
const REGION_WORDS = /(?:^|[^\p{L}])(region|regionen|regione|landsting|fylkeskommune)(?=$|[^\p{L}])/iu;

/**
 * The buyer kind from its legal type (BT-11) and its name: a local authority (`la`) is a
 * municipality and a central government authority (`cga`) the state; otherwise a name saying
 * region/landsting/fylkeskommune makes a region and kommune/kommun/municipality/council a
 * municipality; a regional authority (`ra`) with neither is a region, and anything else (public
 * undertakings, bodies governed by public law, EU bodies) is other.
 */
export function buyerKindOf(
  legalType: string | undefined,
  name: string,
): "municipality" | "region" | "state" | "other" {
  const t = legalType?.trim().toLowerCase();
  if (t === "la") return "municipality";
  if (t === "cga") return "state";
  // Before the regional type: TED notices converted from R2.0.9 write `ra` for every
  // "regional or local authority", so "Kåfjord Kommune" arrives as ra.
  if (REGION_WORDS.test(name)) return "region";
  if (MUNICIPALITY_WORDS.test(name)) return "municipality";
  if (t === "ra") return "region";
  return "other";
}
