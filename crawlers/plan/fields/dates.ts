import { own, WORD_CHARS } from "./text.js";

/**
 * Calendar helpers for the plan parsers: real dates only ("31.02.2026" is no date), ISO weeks,
 * and month arithmetic, all in UTC so that the host's time zone never shifts a day.
 */

const DAY_MS = 86_400_000;

const L = WORD_CHARS;
const YEAR = "(?:19|20)\\d{2}";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "2026-03-15" for a real calendar date, otherwise undefined. */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return undefined;
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return undefined;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The Monday of ISO week `week` of ISO year `year`; undefined for week 53 of a 52-week year. */
export function isoWeekMonday(year: number, week: number): string | undefined {
  if (!Number.isInteger(week) || week < 1 || week > 53 || year < 1900 || year > 2199) return undefined;
  const jan4 = Date.UTC(year, 0, 4);
  const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const monday = mondayOfWeek1 + (week - 1) * 7 * DAY_MS;
  // A week belongs to the ISO year its Thursday falls in.
  if (new Date(monday + 3 * DAY_MS).getUTCFullYear() !== year) return undefined;
  return new Date(monday).toISOString().slice(0, 10);
}

/** The parts of an ISO date ("2026-03-15"), or undefined when it is not one. */
export function dateParts(iso: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isoDate(year, month, day) === undefined ? undefined : { year, month, day };
}

/** `iso` plus `months` calendar months (the day is kept; callers use the first of a month). */
export function addMonths(iso: string, months: number): string {
  const p = dateParts(iso);
  if (!p) return iso;
  const t = new Date(Date.UTC(p.year, p.month - 1 + months, p.day));
  return t.toISOString().slice(0, 10);
}

/** `iso` plus `days` days. */
export function addDays(iso: string, days: number): string {
  const p = dateParts(iso);
  if (!p) return iso;
  return new Date(Date.UTC(p.year, p.month - 1, p.day) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Whole months from `start` up to the day after `end` (01.01.2027–31.12.2028 → 24), rounded to
 * the nearest month; undefined when `end` is not after `start`.
 */
export function monthsBetween(start: string, end: string): number | undefined {
  const a = dateParts(start);
  const b = dateParts(addDays(end, 1));
  if (!a || !b || end < start) return undefined;
  const whole = (b.year - a.year) * 12 + (b.month - a.month);
  const dayDiff = b.day - a.day;
  const months = Math.round(whole + dayDiff / 30.44);
  return months > 0 ? months : undefined;
}

/** Month names and abbreviations in Danish, Swedish, Norwegian and English → 1–12. */
export const MONTHS: Readonly<Record<string, number>> = {
  januar: 1,
  januari: 1,
  january: 1,
  jan: 1,
  februar: 2,
  februari: 2,
  february: 2,
  feb: 2,
  marts: 3,
  mars: 3,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  maj: 5,
  mai: 5,
  may: 5,
  juni: 6,
  june: 6,
  jun: 6,
  juli: 7,
  july: 7,
  jul: 7,
  august: 8,
  augusti: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  oktober: 10,
  october: 10,
  okt: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  desember: 12,
  dec: 12,
  des: 12,
};

const ISO_DAY = new RegExp(`(?<!\\d)(${YEAR})-(\\d{1,2})-(\\d{1,2})(?!\\d)`, "g");
const NUMERIC_DAY = new RegExp(`(?<![\\d.])(\\d{1,2})([./-])(\\d{1,2})\\2(${YEAR})(?!\\d)`, "g");
const DAY_MONTH_NAME = new RegExp(
  `(?<![\\d.,])(\\d{1,2})(?:st|nd|rd|th|\\.)?\\s?([${L}]+)\\.?,?\\s(${YEAR})(?!\\d)`,
  "g",
);
const MONTH_NAME_DAY = new RegExp(
  `(?<![${L}])([${L}]+)\\.?\\s(\\d{1,2})(?:st|nd|rd|th)?,?\\s(${YEAR})(?!\\d)`,
  "g",
);

/**
 * Exact dates in lower-cased text, in order: "2026-03-15", "15.03.2026", "15-03-2026",
 * "15/3/2026", "15. marts 2026", "15 mars 2026", "march 15, 2026". Day first, as everywhere the
 * plans come from. Impossible dates ("31.02.2026") are skipped.
 */
export function findDays(text: string): { at: number; end: number; date: string }[] {
  const out: { at: number; end: number; date: string }[] = [];
  const add = (m: RegExpMatchArray & { index: number }, date: string | undefined) => {
    if (date) out.push({ at: m.index, end: m.index + m[0].length, date });
  };
  for (const m of text.matchAll(ISO_DAY)) {
    const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    add(m, date);
  }
  for (const m of text.matchAll(NUMERIC_DAY)) {
    const date = isoDate(Number(m[4]), Number(m[3]), Number(m[1]));
    add(m, date);
  }
  for (const m of text.matchAll(DAY_MONTH_NAME)) {
    const month = monthOf(m[2]);
    const date = month === undefined ? undefined : isoDate(Number(m[3]), month, Number(m[1]));
    add(m, date);
  }
  for (const m of text.matchAll(MONTH_NAME_DAY)) {
    const month = monthOf(m[1]);
    const date = month === undefined ? undefined : isoDate(Number(m[3]), month, Number(m[2]));
    add(m, date);
  }
  return out.sort((a, b) => a.at - b.at);
}

function monthOf(word: string | undefined): number | undefined {
  return own(MONTHS, word);
}
