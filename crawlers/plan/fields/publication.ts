import type { ExpectedPublication } from "../../../src/domain/tender.js";
import { addMonths, dateParts, findDays, isoDate, isoWeekMonday, MONTHS } from "./dates.js";
import { cleanText, own, WORD_CHARS as L } from "./text.js";

type Precision = ExpectedPublication["precision"];

/**
 * When a plan expects to publish a tender: "Q2 2026", "2. kvartal 2026", "efterår 2026",
 * "hösten 2026", "maj 2026", "uge 12 2026", "1. halvår 2026", "2027", "15.03.2026".
 *
 * The result is the start of the period with its precision ("Q2 2026" → 2026-04-01, quarter).
 * Rules:
 * - Seasons start on the first of March (spring), June (summer), September (autumn) and
 *   December (winter) of the year written first ("vinter 2026/27" → 2026-12-01).
 * - A week ("uge 12 2026", "vecka 12", "uke 12", "week 12") is the Monday of that ISO week,
 *   with precision "day".
 * - "primo 2026", "early 2026", "början av 2026" are the first half; "ultimo", "late",
 *   "slutet av" the second; "medio 2026", "mid-2026" only tell the year.
 * - Extra words are fine ("Forventes annonceret i Q2 2026", "ca. uge 12, 2026"). When several
 *   periods are written, the first one wins ("marts-april 2026" → March); a bare year counts only
 *   when nothing finer is written.
 * - The year may come after the period ("Q2 2026") or before it ("2026 Q2"); quarters, halves and
 *   seasons may have a two-digit year right after them ("Q2-26", "høsten -26"). Without any year,
 *   `opts.today` (an ISO date) supplies it: its own year, or the next one when the period has
 *   already ended by then ("Q1" read in November means next year's Q1). Without `today` a
 *   period without a year is not a date, and the result is undefined.
 * - "HT 2026" and "VT 2027" (Swedish terms, höst-/vårtermin) are the autumn and spring seasons.
 * - A quarter of a split year ("Q3 2026/27", "Q1 FY2027/28") is a quarter of the financial year
 *   when `opts.financialYearStart` says where that begins (4 for the UK: "Q3 2026/27" →
 *   2026-10-01); written with a plain year ("Q3 2026") it is a calendar quarter.
 * - Anything without a date ("Ikke fastlagt", "ej bestämt", "løbende", "-") is undefined.
 */
export function parseExpectedPublication(
  raw: string,
  opts: { today?: string; financialYearStart?: number } = {},
): ExpectedPublication | undefined {
  const clean = cleanText(raw);
  if (clean === "" || !/[0-9a-z]/i.test(clean)) return undefined;
  const text = clean.toLowerCase();
  const today = opts.today === undefined ? undefined : dateParts(opts.today);
  const found: Candidate[] = [];
  const fyStart = opts.financialYearStart ?? 1;
  for (const matcher of MATCHERS) matcher(text, today, found, { financialYearStart: fyStart });
  const best = pickFirst(found) ?? yearOnly(text);
  return best ? { date: best.date, precision: best.precision, raw: clean } : undefined;
}

interface Candidate {
  /** Where the period starts in the text: the earliest one wins. */
  at: number;
  date: string;
  precision: Precision;
}
type Today = { year: number; month: number; day: number } | undefined;
type Matcher = (text: string, today: Today, out: Candidate[], opts: { financialYearStart: number }) => void;

const FINENESS: Readonly<Record<Precision, number>> = {
  day: 0,
  month: 1,
  quarter: 2,
  season: 3,
  half: 4,
  year: 5,
};
const LENGTH_MONTHS: Readonly<Record<Precision, number>> = {
  day: 0,
  month: 1,
  quarter: 3,
  season: 3,
  half: 6,
  year: 12,
};

function pickFirst(found: Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of found) {
    if (!best || c.at < best.at || (c.at === best.at && FINENESS[c.precision] < FINENESS[best.precision])) {
      best = c;
    }
  }
  return best;
}

const YEAR = "(?:19|20)\\d{2}";
const YEAR_FIRST = new RegExp(`(?<!\\d)(${YEAR})(?!\\d)`);
const YEAR_ALL = new RegExp(`(?<!\\d)(${YEAR})(?!\\d)`, "g");
const YEAR_RIGHT_AFTER = new RegExp(`^[\\s,.:/–-]*(?:(?:of|in|i|af|av)\\s)?(${YEAR})(?!\\d)`);
const SHORT_YEAR_RIGHT_AFTER = /^(?:\s?[-/'’]\s?|\s)(\d{2})(?![\d.,:])/;

/** How far from a period word its year may stand: "uge 12-13, 2026", "2026: Q2". */
const AFTER_WINDOW = 30;
const BEFORE_WINDOW = 15;

interface YearRule {
  /** The year must follow right away ("vår 2026", not "vår plan ... 2026"). */
  strict?: boolean;
  /** A two-digit year may follow right away ("Q2-26", "H1 '27", "høsten -26", "vinter 26/27"). */
  shortYear?: boolean;
}

/** The year of a period found at [start, end): after it, before it, or from today. */
function yearOf(
  text: string,
  start: number,
  end: number,
  today: Today,
  rule: YearRule,
): { year: number; fromToday: boolean } | undefined {
  const after = text.slice(end, end + AFTER_WINDOW);
  const close = YEAR_RIGHT_AFTER.exec(after);
  if (close?.[1]) return { year: Number(close[1]), fromToday: false };
  if (!rule.strict) {
    const later = YEAR_FIRST.exec(after);
    if (later?.[1]) return { year: Number(later[1]), fromToday: false };
  }
  if (rule.shortYear) {
    const short = SHORT_YEAR_RIGHT_AFTER.exec(after);
    if (short?.[1]) return { year: 2000 + Number(short[1]), fromToday: false };
  }
  if (!rule.strict) {
    let last: string | undefined;
    for (const m of text.slice(Math.max(0, start - BEFORE_WINDOW), start).matchAll(YEAR_ALL)) last = m[1];
    if (last) return { year: Number(last), fromToday: false };
  }
  return today ? { year: today.year, fromToday: true } : undefined;
}

/**
 * Adds the candidate for a period of `precision` starting on month/day of `year`; when the year
 * came from today and the period is already over, the next year's.
 */
function push(
  out: Candidate[],
  at: number,
  precision: Precision,
  year: { year: number; fromToday: boolean },
  month: number,
  day = 1,
  today?: Today,
): void {
  let date = isoDate(year.year, month, day);
  if (date === undefined) return;
  if (year.fromToday && today) {
    const todayIso = isoDate(today.year, today.month, today.day);
    const end = addMonths(date, Math.max(1, LENGTH_MONTHS[precision]));
    if (todayIso !== undefined && end <= todayIso) date = isoDate(year.year + 1, month, day);
    if (date === undefined) return;
  }
  out.push({ at, date, precision });
}

// ---------------------------------------------------------------------------------------------
// Words

const ORDINAL_WORDS: Readonly<Record<string, number>> = {
  første: 1,
  forste: 1,
  första: 1,
  first: 1,
  andet: 2,
  anden: 2,
  andra: 2,
  andre: 2,
  second: 2,
  tredje: 3,
  tredie: 3,
  third: 3,
  fjerde: 4,
  fjärde: 4,
  fourth: 4,
};
const LAST_WORDS = new Set(["sidste", "sista", "siste", "last", "latter"]);
const ORDINAL_ALT = [...Object.keys(ORDINAL_WORDS), ...LAST_WORDS].join("|");

/** "jul" is Christmas and "des" a Danish word unless abbreviated with a dot; "may" a verb. */
const MONTH_NEEDS_DOT = new Set(["jul", "des"]);
const MONTH_STRICT = new Set(["may", "mar"]);

/** Season word → first month. */
const SEASONS: Readonly<Record<string, number>> = {
  forår: 3,
  foråret: 3,
  vår: 3,
  våren: 3,
  spring: 3,
  sommer: 6,
  sommeren: 6,
  sommar: 6,
  sommaren: 6,
  summer: 6,
  efterår: 9,
  efteråret: 9,
  høst: 9,
  høsten: 9,
  höst: 9,
  hösten: 9,
  autumn: 9,
  fall: 9,
  vinter: 12,
  vinteren: 12,
  ht: 9,
  hösttermin: 9,
  höstterminen: 9,
  vt: 3,
  vårtermin: 3,
  vårterminen: 3,
  vintern: 12,
  winter: 12,
};
/**
 * "vår" is also "our" (nb), "fall" also "case" (sv), "ht"/"vt" are abbreviations: only with the
 * year right after ("HT 2026", "VT-27").
 */
const SEASON_STRICT = new Set(["vår", "fall", "ht", "vt"]);
/** Strict season words that may still take a two-digit year ("HT26", "VT-27"). */
const SEASON_SHORT_YEAR = new Set(["ht", "vt"]);

const WORDS = new RegExp(`[${L}]+`, "g");

// ---------------------------------------------------------------------------------------------
// Matchers, from the finest period to the coarsest. Each pattern is one linear regex scan that
// stops at its first candidate.

const days: Matcher = (text, _today, out) => {
  for (const d of findDays(text)) out.push({ at: d.at, date: d.date, precision: "day" });
};

const WEEK_BEFORE = new RegExp(
  `(?<![${L}])(?:uge|uke|vecka|veckan|vika|week|wk|kw|vk|v)\\.?\\s?(?:nr\\.?\\s?)?(\\d{1,2})(?!\\d)`,
  "g",
);
const WEEK_AFTER = new RegExp(`(?<![\\d.,])(\\d{1,2})\\.?\\s?(?:uge|uke|vecka|week)(?![${L}])`, "g");

const weeks: Matcher = (text, today, out) => {
  for (const re of [WEEK_BEFORE, WEEK_AFTER]) {
    firstOf(text, re, out, (m) => {
      const year = yearOf(text, m.index, m.index + m[0].length, today, {});
      if (!year) return;
      let date = isoWeekMonday(year.year, Number(m[1]));
      if (date && year.fromToday && today) {
        const todayIso = isoDate(today.year, today.month, today.day) ?? "";
        if (date < todayIso) date = isoWeekMonday(year.year + 1, Number(m[1]));
      }
      if (date) out.push({ at: m.index, date, precision: "day" });
    });
  }
};

const NUMERIC_MONTH = new RegExp(`(?<![\\d.,/${L}-])(\\d{1,2})[./-](${YEAR})(?!\\d)`, "g");
const ISO_MONTH = new RegExp(`(?<![\\d.,/-])(${YEAR})[-/.](\\d{1,2})(?!\\d|[-/.]\\d)`, "g");

const months: Matcher = (text, today, out) => {
  firstOf(text, NUMERIC_MONTH, out, (m) => {
    const month = Number(m[1]);
    if (month >= 1 && month <= 12)
      push(out, m.index, "month", { year: Number(m[2]), fromToday: false }, month);
  });
  firstOf(text, ISO_MONTH, out, (m) => {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12)
      push(out, m.index, "month", { year: Number(m[1]), fromToday: false }, month);
  });
  firstOf(text, WORDS, out, (m) => {
    const word = m[0];
    const month = own(MONTHS, word);
    if (month === undefined) return;
    const end = m.index + word.length;
    if (MONTH_NEEDS_DOT.has(word) && text[end] !== ".") return;
    const year = yearOf(text, m.index, end, today, { strict: MONTH_STRICT.has(word) });
    if (year) push(out, m.index, "month", year, month, 1, today);
  });
};

const QUARTER_LETTER = new RegExp(
  `(?<![${L}\\d])(?:q|k|kv|kvt|kvartal)\\.?\\s?([1-4])(?![\\d${L}]|[.,]\\d)`,
  "g",
);
const QUARTER_ORDINAL = new RegExp(
  `(?<![\\d.,])([1-4])\\s?(?:\\.|:e|:a|st|nd|rd|th|e)?\\s?(?:kvartal(?:et)?|kvt\\.?|kv\\.?|quarter|qtr\\.?|q)(?![${L}])`,
  "g",
);
const QUARTER_WORD = new RegExp(`(?<![${L}])(${ORDINAL_ALT})\\s(?:kvartal(?:et)?|quarter)(?![${L}])`, "g");

/** "2026/27", "FY2026/27", "2026-2027" right after or right before a quarter: a financial year. */
const SPLIT_YEAR_AFTER = new RegExp(`^[\\s,]*(?:fy\\s?)?(${YEAR})\\s?[/-]\\s?(\\d{2}|${YEAR})(?!\\d)`);
const SPLIT_YEAR_BEFORE = new RegExp(`(?:fy\\s?)?(${YEAR})\\s?[/-]\\s?(\\d{2}|${YEAR})[\\s,:]*$`);

/** The first year of a financial year written next to [at, end), when it is one. */
function splitYear(text: string, at: number, end: number): number | undefined {
  const m = SPLIT_YEAR_AFTER.exec(text.slice(end, end + 20)) ?? SPLIT_YEAR_BEFORE.exec(text.slice(0, at));
  if (!m) return undefined;
  const first = Number(m[1]);
  const second = Number(m[2]);
  return second === first + 1 || second === (first + 1) % 100 ? first : undefined;
}

const quarters: Matcher = (text, today, out, opts) => {
  const add = (at: number, end: number, q: number, shortYear: boolean) => {
    const fy = opts.financialYearStart !== 1 ? splitYear(text, at, end) : undefined;
    if (fy !== undefined) {
      const month = opts.financialYearStart + (q - 1) * 3;
      push(
        out,
        at,
        "quarter",
        { year: fy + Math.floor((month - 1) / 12), fromToday: false },
        ((month - 1) % 12) + 1,
      );
      return;
    }
    const year = yearOf(text, at, end, today, { shortYear });
    if (year) push(out, at, "quarter", year, (q - 1) * 3 + 1, 1, today);
  };
  firstOf(text, QUARTER_LETTER, out, (m) => add(m.index, m.index + m[0].length, Number(m[1]), true));
  firstOf(text, QUARTER_ORDINAL, out, (m) => add(m.index, m.index + m[0].length, Number(m[1]), false));
  firstOf(text, QUARTER_WORD, out, (m) => {
    const word = m[1] ?? "";
    add(m.index, m.index + m[0].length, LAST_WORDS.has(word) ? 4 : (own(ORDINAL_WORDS, word) ?? 0), false);
  });
};

const SEASON_WORD = new RegExp(`(?<![${L}])(${Object.keys(SEASONS).join("|")})(?![${L}])`, "g");

const seasons: Matcher = (text, today, out) => {
  firstOf(text, SEASON_WORD, out, (m) => {
    const word = m[1] ?? "";
    const month = own(SEASONS, word);
    if (month === undefined) return;
    const year = yearOf(text, m.index, m.index + m[0].length, today, {
      strict: SEASON_STRICT.has(word),
      shortYear: !SEASON_STRICT.has(word) || SEASON_SHORT_YEAR.has(word),
    });
    if (year) push(out, m.index, "season", year, month, 1, today);
  });
};

const HALF_LETTER = new RegExp(`(?<![${L}\\d])(?:h([12])|([12])h)(?![\\d${L}])`, "g");
const HALF_ORDINAL = new RegExp(
  `(?<![\\d.,])([12])\\s?(?:\\.|:a|:e|st|nd|e)?\\s?(?:halvår(?:et)?|halvdel(?:en)?|half)(?![${L}])`,
  "g",
);
const HALF_AFTER = new RegExp(`(?<![${L}])halvår(?:et)?\\s?([12])(?![\\d.,])`, "g");
const HALF_WORD = new RegExp(
  `(?<![${L}])(${ORDINAL_ALT})\\s(?:halvår(?:et)?|halvdel(?:en)?|half)(?![${L}])`,
  "g",
);

const EARLY = ["primo", "start", "starten", "begyndelsen", "början", "begynnelsen", "beginning", "early"];
const LATE = ["ultimo", "slutningen", "slutet", "slutten", "end", "late"];
const MIDDLE = ["medio", "midten", "mitten", "mid"];
const HALF_PHRASE = new RegExp(
  `(?<![${L}])(${[...EARLY, ...LATE, ...MIDDLE].join("|")})[\\s-](?:(?:af|av|of)\\s)?(${YEAR})(?!\\d)`,
  "g",
);

const halves: Matcher = (text, today, out) => {
  const add = (at: number, end: number, half: number, shortYear: boolean) => {
    if (half !== 1 && half !== 2) return;
    const year = yearOf(text, at, end, today, { shortYear });
    if (year) push(out, at, "half", year, half === 1 ? 1 : 7, 1, today);
  };
  firstOf(text, HALF_LETTER, out, (m) => add(m.index, m.index + m[0].length, Number(m[1] ?? m[2]), true));
  firstOf(text, HALF_ORDINAL, out, (m) => add(m.index, m.index + m[0].length, Number(m[1]), false));
  firstOf(text, HALF_AFTER, out, (m) => add(m.index, m.index + m[0].length, Number(m[1]), false));
  firstOf(text, HALF_WORD, out, (m) => {
    const word = m[1] ?? "";
    add(m.index, m.index + m[0].length, LAST_WORDS.has(word) ? 2 : (own(ORDINAL_WORDS, word) ?? 0), false);
  });
  firstOf(text, HALF_PHRASE, out, (m) => {
    const word = m[1] ?? "";
    const year = { year: Number(m[2]), fromToday: false };
    if (MIDDLE.includes(word)) push(out, m.index, "year", year, 1);
    else push(out, m.index, "half", year, EARLY.includes(word) ? 1 : 7);
  });
};

const MATCHERS: readonly Matcher[] = [days, weeks, months, quarters, seasons, halves];

/**
 * Runs `add` for the matches of `re` until one of them adds a candidate: as the earliest
 * candidate wins, later matches of the same pattern cannot.
 */
function firstOf(
  text: string,
  re: RegExp,
  out: Candidate[],
  add: (m: RegExpMatchArray & { index: number }) => void,
): void {
  const before = out.length;
  for (const m of text.matchAll(re)) {
    add(m);
    if (out.length > before) return;
  }
}

const BARE_YEAR = new RegExp(`(?<![\\d.,])(${YEAR})(?!\\d|[.,]\\d)`);

/** A year on its own ("2027", "i løbet af 2027"), when nothing finer was written. */
function yearOnly(text: string): Candidate | undefined {
  const m = BARE_YEAR.exec(text);
  const date = m ? isoDate(Number(m[1]), 1, 1) : undefined;
  return m && date ? { at: m.index, date, precision: "year" } : undefined;
}
