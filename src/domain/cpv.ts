import { z } from "./zod.js";

/**
 * CPV 2008 codes. Stored everywhere as 8 digits; a trailing check digit ("90910000-9") is
 * accepted on input and removed. The hierarchy is read from trailing zeros: division
 * "90000000" (2 significant digits), group "90900000" (3), class "90910000" (4), category
 * "90911000" (5), and finer.
 */
const CPV_INPUT = /^(\d{8})(?:-\d)?$/;

export function parseCpv(input: string): string | undefined {
  const match = CPV_INPUT.exec(input.trim());
  return match?.[1];
}

export const CpvCode = z
  .string()
  .trim()
  .refine((s) => parseCpv(s) !== undefined, {
    message: "a CPV code of 8 digits, optionally with its check digit (90910000-9)",
  })
  .transform((s) => parseCpv(s) ?? s);

/** "90911200" → "909112"; divisions keep two digits ("90000000" → "90"). */
export function significant(code: string): string {
  const trimmed = code.replace(/0+$/, "");
  return trimmed.length < 2 ? code.slice(0, 2) : trimmed;
}

/** Number of significant digits: 2 for a division, 3 for a group, 4 for a class, ... */
export function cpvLevelDigits(code: string): number {
  return significant(code).length;
}

/**
 * All prefixes of the code's significant digits from the division down:
 * "90911200" → ["90", "909", "9091", "90911", "909112"]. These are what a CPV prefix filter
 * ("909", meaning group 90900000 and everything under it) matches against.
 */
export function cpvPrefixes(code: string): string[] {
  const sig = significant(code);
  const out: string[] = [];
  for (let n = 2; n <= sig.length; n++) out.push(sig.slice(0, n));
  return out;
}

/**
 * Normalises a CPV prefix filter: "909", "90900000" and "90900000-5" all mean group 909.
 * Returns undefined for anything that is not 2–8 digits.
 */
export function parseCpvPrefix(input: string): string | undefined {
  const text = input.trim();
  const full = parseCpv(text);
  if (full !== undefined) return significant(full);
  return /^\d{2,8}$/.test(text) ? text : undefined;
}

/**
 * An enterprise code `e` covers a required code `c` when `e` equals `c` or is an ancestor of
 * it (its significant digits are a prefix of `c`) and `e` keeps at least three significant
 * digits. A division ("90000000") covers only itself.
 */
export function covers(enterpriseCode: string, requiredCode: string): boolean {
  if (enterpriseCode === requiredCode) return true;
  const sig = significant(enterpriseCode);
  return sig.length >= 3 && requiredCode.startsWith(sig);
}

/** The division of a code, as its two digits ("90"). */
export function cpvDivision(code: string): string {
  return code.slice(0, 2);
}

/** Distinct codes, in first-seen order. */
export function uniqueCodes(codes: Iterable<string>): string[] {
  return [...new Set(codes)];
}

/**
 * Directive 2014/24/EU Art. 77(1): the service codes a contract may be reserved for under
 * Art. 77 (organisations with a public-service mission). "85000000-9 to 85323000-9" is the
 * range of health and social work codes from 85000000 up to 85323000.
 */
const ART77_CODES = new Set([
  "75121000",
  "75122000",
  "75123000",
  "79622000",
  "79624000",
  "79625000",
  "80110000",
  "80300000",
  "80420000",
  "80430000",
  "80511000",
  "80520000",
  "80590000",
  "92500000",
  "92600000",
  "98133000",
  "98133110",
]);

export function art77Applicable(code: string): boolean {
  if (ART77_CODES.has(code)) return true;
  return code.startsWith("85") && code <= "85323000";
}
