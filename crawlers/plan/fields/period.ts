import type { z } from "../../../src/domain/zod.js";
import type { ContractPeriod as ContractPeriodSchema } from "../../../src/domain/tender.js";
import { findDays, monthsBetween } from "./dates.js";
import { cleanText, WORD_CHARS as L } from "./text.js";

export type ContractPeriod = z.infer<typeof ContractPeriodSchema>;

/**
 * How long a contract runs, and its options: "2 år + 2 x 1 års option" (24 + 24),
 * "2+1+1 år" (24 + 24), "3 år med option på 1 år" (36 + 12), "24 måneder + 12 måneders option",
 * "avtalstid 2 år med möjlighet till förlängning 1+1 år" (24 + 24), "36 mån",
 * "01.01.2027 - 31.12.2028" (start, end, 24).
 *
 * Rules:
 * - The text is cut into parts at "+", "og"/"och"/"and", "med"/"with", "samt", "plus", commas,
 *   semicolons and brackets. The first part with a number is the base period, unless it speaks
 *   of an option; every later part with a number is an option ("2 år + 1 + 1").
 * - A number without a unit takes the unit of the next part that has one, else of the previous
 *   one ("2+1+1 år", "2 år + 1 + 1"); a chain of bare numbers ("2+1+1") is in years. A single
 *   bare number ("4") is no period.
 * - "N x M" multiplies ("2 x 12 mdr."); "½", "1,5 år" and "et halvt år" are understood; number
 *   words before a unit ("to år", "ett år", "tre års") and "2-årig"/"toårig" too.
 * - A part that gives a total ("i alt 4 år", "4 years including options", "inkl. option") is the
 *   base period only when nothing else is; then there are no separate options. So is a length
 *   followed by a bracketed breakdown that adds up to it ("4 år (2+1+1)" → 24 + 24).
 * - Two dates give start, end and the base period in months; one date gives the start. Durations
 *   written next to dates count as options only when the text speaks of options or adds them
 *   with "+"; otherwise they restate the period.
 * - Notice periods ("opsigelse 3 mdr.") are ignored. Nothing to count ("løbende", "ongoing",
 *   "Ikke fastlagt") is undefined.
 */
export function parseContractPeriod(raw: string): ContractPeriod | undefined {
  const clean = cleanText(raw);
  if (clean === "") return undefined;
  let text = clean.toLowerCase();

  const days = findDays(text);
  const [first, second] = days;
  const start = first?.date;
  const end = second?.date;
  const dateMonths = start !== undefined && end !== undefined ? monthsBetween(start, end) : undefined;
  text = blankOut(text, days);
  text = spellNumbers(text);

  const parts = splitParts(text);
  fillUnits(parts);
  const counted = parts.filter((p) => p.value !== undefined && p.unit !== undefined && !p.notice);

  let months: number | undefined;
  let optionMonths: number | undefined;
  const addOption = (m: number) => (optionMonths = (optionMonths ?? 0) + m);

  const totals = counted.filter((p) => p.total);
  let others = counted.filter((p) => !p.total);
  // "4 år (2+1+1)": a length followed by a bracketed breakdown that adds up to it is their total.
  const [lead, ...rest] = others;
  if (
    lead &&
    !lead.bracketed &&
    rest.length >= 2 &&
    rest.every((p) => p.bracketed) &&
    rest[0]?.opensBracket === true &&
    monthsOf(lead) === rest.reduce((sum, p) => sum + monthsOf(p), 0)
  ) {
    others = rest;
  }
  if (dateMonths !== undefined) {
    months = dateMonths;
    const speaksOfOptions = OPTION.test(text) || text.includes("+");
    if (speaksOfOptions) for (const p of others) addOption(monthsOf(p));
  } else if (others.length > 0) {
    others.forEach((p, i) => {
      if (i === 0 && !p.option) months = monthsOf(p);
      else addOption(monthsOf(p));
    });
  } else if (totals[0]) {
    months = monthsOf(totals[0]);
  }

  if (months !== undefined && !(months > 0)) months = undefined;
  if (months === undefined && optionMonths === undefined && start === undefined) return undefined;
  return {
    ...(months !== undefined ? { months } : {}),
    ...(optionMonths !== undefined ? { optionMonths } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined && dateMonths !== undefined ? { end } : {}),
    raw: clean,
  };
}

interface Part {
  value?: number;
  /** Months per unit: 12 for years, 1 for months. */
  unit?: number;
  option: boolean;
  total: boolean;
  notice: boolean;
  /** Written inside brackets: "(2+1+1)". */
  bracketed: boolean;
  /** The first thing inside its brackets: "2" of "(2+1+1)", not "1" of "(+1+1)". */
  opensBracket: boolean;
}

function monthsOf(p: Part): number {
  return Math.round((p.value ?? 0) * (p.unit ?? 0));
}

const OPTION = /option|opsjon|forlæng|förläng|forleng|extens|extend|renew|prolong|fornyel|förnyel/;
const TOTAL =
  /(?<![a-zæøåäö])(?:i alt|totalt|samlet|sammenlagt|sammanlagt|in total|total|inkl|incl|inberäknat|inräknat|medräknat|including)/;
const NOTICE = /opsig|uppsäg|oppsig|notice|varsel/;

const SPLIT = new RegExp(
  `\\+|(?<![${L}])(?:og|och|and|samt|med|with|plus)(?![${L}])|[,;](?!\\d)|[()[\\]]`,
  "g",
);

/** A number, maybe "N x M", and the word after it. */
const DURATION = new RegExp(
  `(?<![\\d.,])(\\d{1,3}(?:[.,]\\d{1,2})?)(?:\\s?(?:x|×|\\*|gange|ganger|gånger|times)\\s?(\\d{1,3}(?:[.,]\\d{1,2})?))?(?:\\s?-?\\s?([${L}]+)\\.?)?`,
  "g",
);

function splitParts(text: string): Part[] {
  const parts: Part[] = [];
  const pieces: { piece: string; bracketed: boolean; opensBracket: boolean }[] = [];
  let depth = 0;
  let from = 0;
  let opensBracket = false;
  for (const m of text.matchAll(SPLIT)) {
    pieces.push({ piece: text.slice(from, m.index), bracketed: depth > 0, opensBracket });
    opensBracket = m[0] === "(" || m[0] === "[";
    if (opensBracket) depth++;
    else if ((m[0] === ")" || m[0] === "]") && depth > 0) depth--;
    from = m.index + m[0].length;
  }
  pieces.push({ piece: text.slice(from), bracketed: depth > 0, opensBracket });
  for (const { piece, bracketed, opensBracket: opens } of pieces) {
    const part: Part = {
      option: OPTION.test(piece),
      total: TOTAL.test(piece),
      notice: NOTICE.test(piece),
      bracketed,
      opensBracket: opens,
    };
    let bare: { value: number } | undefined;
    for (const m of piece.matchAll(DURATION)) {
      const value = Number((m[1] ?? "").replace(",", ".")) * Number((m[2] ?? "1").replace(",", "."));
      const unit = unitOf(m[3]);
      if (!Number.isFinite(value) || value <= 0) continue;
      if (unit !== undefined) {
        if (value * unit <= 600) {
          part.value = value;
          part.unit = unit;
          break;
        }
      } else if (bare === undefined && value <= 100 && m[3] === undefined) {
        bare = { value };
      }
    }
    if (part.value === undefined && bare) part.value = bare.value;
    if (part.value !== undefined || part.option) parts.push(part);
  }
  return parts;
}

function unitOf(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (/^(?:år|aar|year|yr|y$)/.test(word)) return 12;
  if (/^(?:måned|månad|mån$|mdr$|md$|mnd|mndr$|month|mth|mo$|mos$)/.test(word)) return 1;
  return undefined;
}

/** Bare numbers take the unit of the next part with one, else of the previous; a chain is in years. */
function fillUnits(parts: Part[]): void {
  const numbered = parts.filter((p) => p.value !== undefined);
  const anyUnit = numbered.some((p) => p.unit !== undefined);
  const nextUnit: (number | undefined)[] = [];
  let next: number | undefined;
  for (let i = numbered.length - 1; i >= 0; i--) {
    nextUnit[i] = next;
    next = numbered[i]?.unit ?? next;
  }
  let previous: number | undefined;
  numbered.forEach((p, i) => {
    if (p.unit === undefined) {
      p.unit = nextUnit[i] ?? previous ?? (!anyUnit && numbered.length > 1 ? 12 : undefined);
    } else {
      previous = p.unit;
    }
  });
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  en: 1,
  et: 1,
  ett: 1,
  ein: 1,
  eitt: 1,
  one: 1,
  to: 2,
  två: 2,
  tva: 2,
  two: 2,
  tre: 3,
  three: 3,
  fire: 4,
  fyra: 4,
  four: 4,
  fem: 5,
  five: 5,
  seks: 6,
  sex: 6,
  six: 6,
};
const NUMBER_WORD_ALT = Object.keys(NUMBER_WORDS).join("|");
const UNIT_ALT = "års|år|years?|måneders|måneder|måned|månaders|månader|månad|months?";
const NUMBER_WORD_UNIT = new RegExp(`(?<![${L}])(${NUMBER_WORD_ALT})[\\s-](${UNIT_ALT})(?![${L}])`, "g");
const NUMBER_WORD_ARIG = new RegExp(`(?<![${L}])(${NUMBER_WORD_ALT})-?årig`, "g");
const HALF_YEAR = new RegExp(
  `(?<![${L}])(?:et|ett|eit|ein|a)?\\s?(?:halvt|halvår|half)(?:\\s?(?:a\\s)?(?:års?|year))?(?![${L}])`,
  "g",
);

/** "to år" → "2 år", "toårig" → "2 år", "1½" → "1.5", "et halvt år" → "6 måneder". */
function spellNumbers(text: string): string {
  return text
    .replace(/(\d)½/g, "$1.5")
    .replace(/½/g, "0.5")
    .replace(HALF_YEAR, " 6 måneder ")
    .replace(NUMBER_WORD_ARIG, (_m, w: string) => `${NUMBER_WORDS[w] ?? w} år`)
    .replace(NUMBER_WORD_UNIT, (_m, w: string, unit: string) => `${NUMBER_WORDS[w] ?? w} ${unit}`);
}

/** `text` with the given spans replaced by spaces (positions stay the same). */
function blankOut(text: string, spans: { at: number; end: number }[]): string {
  let out = "";
  let from = 0;
  for (const span of spans) {
    if (span.at < from) continue;
    out += text.slice(from, span.at) + " ".repeat(span.end - span.at);
    from = span.end;
  }
  return out + text.slice(from);
}
