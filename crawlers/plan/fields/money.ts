import type { Money } from "../../../src/domain/common.js";
import { currencyOfCountry } from "../../../src/domain/common.js";
import { cleanText, own, WORD_CHARS as L } from "./text.js";

/**
 * An estimated value as plans write it: "ca. 4,5 mio. kr.", "6.800.000 kr.", "tkr. 750",
 * "950 tkr", "8 MSEK", "8 mnkr", "2,5 mill.", "1 200 000", "1.200.000,50", "€ 2.5 million",
 * "EUR 1,200,000", "1,2 mia. kr.".
 *
 * Rules:
 * - Separators: with both "." and ",", the last one is the decimal mark ("1.200.000,50",
 *   "1,200,000.50"). With one kind only, a repeated mark separates thousands ("6.800.000",
 *   "1,200,000"), and a single mark is a thousands separator when exactly three digits follow it
 *   ("4.500", "1,500") and the decimal mark otherwise ("4,5", "2.5"). Spaces (also non-breaking
 *   and thin ones) between groups of three digits separate thousands ("1 200 000").
 * - Multipliers after the number ("mio.", "mill.", "million", "miljoner", "m", "mia.", "mrd.",
 *   "tkr", "t.kr.", "tusind", "k", "MSEK", "mnkr") or, as in column headings, before it
 *   ("tkr. 750", "mio. kr.: 4,5").
 * - A range ("500.000 - 750.000 kr.", "2-3 mio. kr.") gives its upper bound; `raw` keeps the
 *   range. A multiplier written once at the end applies to both ends.
 * - Currency: an ISO code or symbol in the text (DKK, SEK, NOK, EUR, GBP, USD, €, £, $, and the
 *   codes inside MSEK, TDKK, MNOK, ...); "mnkr" is SEK; "kr", "kr.", "kroner", "kronor", "tkr",
 *   "mkr" are the krone of `country` (DK → DKK, SE → SEK, NO → NOK); otherwise the country's
 *   currency (`currencyOfCountry`). Lower-case "nok" is the Danish and Norwegian word "enough",
 *   so NOK counts only in capitals.
 * - No number, or only placeholders ("Ikke fastlagt", "Ej fastställt", "Ukjent", "-", "N/A"):
 *   undefined. The amount is never negative (a leading "-" is a dash, not a sign) and is rounded
 *   to cents.
 */
export function parseEstimatedValue(raw: string, country: string): Money | undefined {
  const clean = cleanText(raw);
  if (!/\d/.test(clean)) return undefined;
  const text = clean.toLowerCase();

  const numbers = [...text.matchAll(NUMBER)].flatMap((m) => {
    const end = m.index + m[0].length;
    // "Budget 2026: 3 mio. kr." – a year heading the amount is not the amount.
    if (YEAR_LABEL.test(m[0]) && /^\s?:/.test(text.slice(end, end + 2))) return [];
    const value = readNumber(m[0]);
    return value === undefined ? [] : [{ value, start: m.index, end }];
  });
  const first = numbers[0];
  if (!first) return undefined;

  let amount = first.value * (multiplierAfter(text, first.end) ?? multiplierBefore(text, first.start) ?? 1);
  const second = numbers[1];
  if (second && RANGE_GAP.test(text.slice(first.end, second.start))) {
    const secondMultiplier = multiplierAfter(text, second.end) ?? multiplierBefore(text, first.start) ?? 1;
    const firstMultiplier = multiplierAfter(text, first.end) ?? secondMultiplier;
    amount = Math.max(first.value * firstMultiplier, second.value * secondMultiplier);
  }
  amount = Math.round(amount * 100) / 100;
  if (!Number.isFinite(amount) || amount < 0) return undefined;
  return { amount, currency: currencyIn(clean, country), raw: clean };
}

/**
 * A number with its separators: digits, "." "," "'" between digits, and a space only before a
 * group of exactly three digits ("1 200 000", not "2026 3"). Each step consumes one character
 * and the alternatives cannot overlap, so the scan stays linear.
 */
const NUMBER = /(?<![\d.,])\d(?:\d|[.,'’](?=\d)| (?=\d{3}(?!\d)))*/g;

const YEAR_LABEL = /^(?:19|20)\d{2}$/;

/** Between the two ends of a range: "-", "–", "til", "till", "to". */
const RANGE_GAP = new RegExp(
  `^\\s*(?:kr\\.?|dkk|sek|nok|eur|mio\\.?|mill\\.?)?\\s*(?:-|–|—|til|till|to|until)\\s*(?:kr\\.?|dkk|sek|nok|eur|€|£)?\\s*$`,
);

function readNumber(token: string): number | undefined {
  const compact = token.replace(/[ '’]/g, "");
  const dots = count(compact, ".");
  const commas = count(compact, ",");
  let normal: string;
  if (dots > 0 && commas > 0) {
    const decimal = compact.lastIndexOf(".") > compact.lastIndexOf(",") ? "." : ",";
    const thousands = decimal === "." ? "," : ".";
    if (count(compact, decimal) > 1) return undefined;
    normal = compact.split(thousands).join("").replace(decimal, ".");
  } else if (dots + commas === 0) {
    normal = compact;
  } else {
    const mark = dots > 0 ? "." : ",";
    const parts = compact.split(mark);
    const [whole = "", fraction = ""] = parts;
    const thousands = parts.length > 2 || (fraction.length === 3 && whole !== "0" && /^\d{1,3}$/.test(whole));
    normal = thousands ? parts.join("") : `${whole}.${fraction}`;
    if (thousands && !parts.slice(1).every((p) => p.length === 3)) return undefined;
  }
  if (!/^\d+(?:\.\d+)?$/.test(normal)) return undefined;
  const value = Number(normal);
  return Number.isFinite(value) ? value : undefined;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

const THOUSAND = 1_000;
const MILLION = 1_000_000;
const BILLION = 1_000_000_000;

/** The multiplier a word stands for; currency codes inside ("msek", "tdkk") are read separately. */
const MULTIPLIER_WORDS: Readonly<Record<string, number>> = {
  t: THOUSAND,
  tkr: THOUSAND,
  tdkk: THOUSAND,
  tsek: THOUSAND,
  tnok: THOUSAND,
  teur: THOUSAND,
  keur: THOUSAND,
  ksek: THOUSAND,
  kdkk: THOUSAND,
  knok: THOUSAND,
  kkr: THOUSAND,
  k: THOUSAND,
  tusind: THOUSAND,
  tusinde: THOUSAND,
  tusen: THOUSAND,
  thousand: THOUSAND,
  m: MILLION,
  mn: MILLION,
  mln: MILLION,
  mio: MILLION,
  mill: MILLION,
  million: MILLION,
  millioner: MILLION,
  millions: MILLION,
  miljon: MILLION,
  miljoner: MILLION,
  millon: MILLION,
  mkr: MILLION,
  mnkr: MILLION,
  mdkk: MILLION,
  msek: MILLION,
  mnok: MILLION,
  meur: MILLION,
  mgbp: MILLION,
  mia: BILLION,
  mrd: BILLION,
  mdkr: BILLION,
  milliard: BILLION,
  milliarder: BILLION,
  miljard: BILLION,
  miljarder: BILLION,
  billion: BILLION,
  billions: BILLION,
  bn: BILLION,
};

const WORD_AFTER = new RegExp(`^\\s?([${L}]+)(?![\\d${L}])`);
/** "tkr. 750", "mio. kr.: 4,5", "(tkr.) 750", "Beløb i mio. kr. 4,5". */
const WORD_BEFORE = new RegExp(`([${L}]+)\\.?\\)?(?:\\s?(?:kr|dkk|sek|nok|eur)\\.?)?\\s?:?\\s?$`);

function multiplierAfter(text: string, end: number): number | undefined {
  const m = WORD_AFTER.exec(text.slice(end, end + 20));
  const word = m?.[1];
  if (word === undefined) return undefined;
  // "t" is only a multiplier as "t.kr." or "t kr".
  if (word === "t" && !/^\s?t\.?\s?kr/.test(text.slice(end, end + 10))) return undefined;
  return own(MULTIPLIER_WORDS, word);
}

function multiplierBefore(text: string, start: number): number | undefined {
  const m = WORD_BEFORE.exec(text.slice(Math.max(0, start - 20), start));
  const word = m?.[1];
  if (word === undefined || word === "t" || word === "m" || word === "k") return undefined;
  return own(MULTIPLIER_WORDS, word);
}

const CODES: Readonly<Record<string, string>> = {
  dkk: "DKK",
  sek: "SEK",
  eur: "EUR",
  gbp: "GBP",
  usd: "USD",
  isk: "ISK",
  chf: "CHF",
};
/** Codes alone or inside a multiplier word ("MSEK", "TDKK", "kEUR"); NOK only in capitals. */
const CODE_IN_TEXT = /(?<![a-z])(?:[mtk]|mn)?(dkk|sek|eur|gbp|usd|isk|chf)(?![a-z])/i;
const NOK_IN_TEXT = /(?<![A-Za-z])(?:[MTK]|MN|m|t|k|mn)?NOK(?![A-Za-z])/;
const KRONE = new RegExp(`(?<![${L}])(?:kr|kroner|kronor|kronur|tkr|mkr|kkr|t\\.kr|mdkr)(?![${L}])`, "i");
const SWEDISH_KRONA = /(?<![a-zæøåäö])mnkr(?![a-zæøåäö])/i;
const KRONE_OF: Readonly<Record<string, string>> = { DK: "DKK", SE: "SEK", NO: "NOK" };

function currencyIn(text: string, country: string): string {
  const code = CODE_IN_TEXT.exec(text);
  const nok = NOK_IN_TEXT.exec(text);
  if (code?.[1] && (!nok || code.index < nok.index)) return own(CODES, code[1].toLowerCase()) ?? "EUR";
  if (nok) return "NOK";
  if (text.includes("€") || /(?<![a-z])euro?s?(?![a-z])/i.test(text)) return "EUR";
  if (text.includes("£")) return "GBP";
  if (text.includes("$")) return "USD";
  const krone = own(KRONE_OF, country.trim().toUpperCase());
  if (SWEDISH_KRONA.test(text)) return "SEK";
  if (KRONE.test(text) && krone) return krone;
  return currencyOfCountry(country.trim());
}

/** "Value (£000)", "Beløb i 1.000 kr.", "'000s", "£k": amounts in thousands. */
const HEADING_THOUSANDS =
  /(?<![\d.,])1[ .,]?000(?![\d.,]?\d)|(?<!\d)['’]?000s?(?!\d)|[£€$]\s?['’]?000|[£€$]\s?k(?![a-z])/;
/** "Value (£m)", "Budget (€ m)": amounts in millions. */
const HEADING_MILLIONS = /[£€$]\s?m(?:n|ln)?(?![a-z])/;
const HEADING_WORD = new RegExp(`[${L}]+`, "g");

/**
 * The scale and currency a column heading or block label gives the amounts under it, as words
 * `parseEstimatedValue` reads after a number ("tkr", "mio", "thousand", "SEK"), or "" when it gives
 * none: "Beräknat värde (tkr)" → "tkr", "Forventet værdi (mio. kr.)" → "mio", "Value (£000)" →
 * "thousand GBP", "Budget (MSEK)" → "msek", "Anslået værdi i kr." → "".
 */
export function headingUnit(heading: string): string {
  const text = cleanText(heading).toLowerCase();
  let scale = "";
  for (const m of text.matchAll(HEADING_WORD)) {
    const word = m[0];
    // A lone letter ("t", "m", "k") is a multiplier only next to a number or a currency sign.
    if (word.length > 1 && own(MULTIPLIER_WORDS, word) !== undefined) {
      scale = word;
      break;
    }
  }
  if (scale === "" && HEADING_MILLIONS.test(text)) scale = "million";
  if (scale === "" && HEADING_THOUSANDS.test(text)) scale = "thousand";
  const code = CODE_IN_TEXT.exec(heading);
  const currency = code?.[1]
    ? ""
    : NOK_IN_TEXT.test(heading)
      ? "NOK"
      : text.includes("£")
        ? "GBP"
        : text.includes("€")
          ? "EUR"
          : "";
  const codeWord = code?.[1] && !scale.includes(code[1].toLowerCase()) ? code[1].toUpperCase() : "";
  return [scale, currency || codeWord].filter((w) => w !== "").join(" ");
}

/**
 * A cell read with the unit of its heading: "48 000" under "Beräknat värde (tkr)" is
 * "48 000 tkr". A cell that states a scale or a currency of its own ("4,5 mio. kr.", "SEK
 * 450 000") keeps its own and is returned as it is, as is a cell without a number.
 */
export function withHeadingUnit(value: string, heading: string): string {
  const unit = headingUnit(heading);
  if (unit === "" || !/\d/.test(value)) return value;
  const text = cleanText(value).toLowerCase();
  const first = [...text.matchAll(NUMBER)][0];
  if (!first) return value;
  const end = first.index + first[0].length;
  const ownScale = multiplierAfter(text, end) ?? multiplierBefore(text, first.index);
  const ownCurrency =
    CODE_IN_TEXT.test(value) ||
    NOK_IN_TEXT.test(value) ||
    /[€£$]/.test(value) ||
    KRONE.test(value) ||
    SWEDISH_KRONA.test(value);
  if (ownScale !== undefined || ownCurrency) return value;
  return `${cleanText(value)} ${unit}`;
}
