import { parseCpv, uniqueCodes } from "../../../src/domain/cpv.js";
import { cleanText } from "./text.js";

/** The 45 divisions of CPV 2008: an 8-digit number outside them is no CPV code. */
const DIVISIONS = new Set(
  "03 09 14 15 16 18 19 22 24 30 31 32 33 34 35 37 38 39 41 42 43 44 45 48 50 51 55 60 63 64 65 66 70 71 72 73 75 76 77 79 80 85 90 92 98".split(
    " ",
  ),
);

/** Eight digits, maybe with a check digit, not inside a longer number, date or phone number. */
const CODE = /(?<![\d.,/:-])(\d{8})(-\d)?(?!\d|[.,/:-]\d)/g;
/** "CPV", "CPV-kode", "CPV-nr.": how far before a code it may stand. */
const CPV_WINDOW = 80;
/** What may stand between two codes of one list: "90910000-9, 90911000 og 90919200". */
const LIST_GAP = /^(?:[\s,;/&]|og|och|and|samt|eller|or)*$/;

/** Something that ends the reach of a "CPV" label: a sentence end, or another kind of number. */
const OTHER_NUMBER =
  /[.!?]\s|\n|tlf|telefon|tel\.|phone|mobil|fax|cvr|org\.?\s?nr|ean|ordre|order|sag|dnr|ärende/;

/** Whether "CPV" stands in `before` (the text just before a code), with nothing in between that ends its reach. */
function afterCpvMention(before: string): boolean {
  const at = before.lastIndexOf("cpv");
  return at >= 0 && !OTHER_NUMBER.test(before.slice(at + 3));
}

/**
 * CPV codes in text ("90910000-9", "CPV 90911200"), as 8 digits, deduplicated, in order.
 *
 * In free text an 8-digit number counts only when it carries its check digit ("90910000-9"),
 * when "CPV" stands shortly before it (in the same sentence, with no phone or order number label
 * in between), or when it continues a list of such codes; a phone number
 * ("tlf. 12345678") or an order number does not. In a cell that holds codes (`opts.field`), every
 * 8-digit number counts. Either way the number must begin with one of the CPV divisions.
 */
export function findCpvCodes(text: string, opts: { field?: boolean } = {}): string[] {
  const clean = cleanText(text);
  const lower = clean.toLowerCase();
  const codes: string[] = [];
  let lastEnd = -1;
  for (const m of clean.matchAll(CODE)) {
    const [whole, digits = "", check] = m;
    const code = parseCpv(digits);
    if (code === undefined || !DIVISIONS.has(code.slice(0, 2))) continue;
    const start = m.index;
    const accepted =
      opts.field === true ||
      check !== undefined ||
      afterCpvMention(lower.slice(Math.max(0, start - CPV_WINDOW), start)) ||
      (lastEnd >= 0 && LIST_GAP.test(lower.slice(lastEnd, start)));
    if (!accepted) continue;
    codes.push(code);
    lastEnd = start + whole.length;
  }
  return uniqueCodes(codes);
}
