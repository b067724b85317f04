import { significant } from "./cpv.js";
import type { Tender } from "./tender.js";
import { foldedWords } from "./text.js";

/**
 * Does this notice publish that planned item of the same buyer? A planned item rarely carries
 * the notice's exact title or a CPV code, so the decision weighs three things:
 *
 * - title: overlap of the significant words (folded, first six letters, so "rengøring" and
 *   "rengøringsydelser" meet), as a Dice coefficient;
 * - CPV: 1 when the two share a code down to the group (3 digits), ½ for the division only,
 *   left out when either has no code;
 * - time: the notice must be published no earlier than 90 days before the expected publication
 *   and no later than a year after the end of its period; a plan without a date allows any.
 *
 * Score = 0.6 × title + 0.4 × CPV (title alone without CPV). A link needs score ≥ 0.5 with a
 * title overlap of at least 0.3, or a title overlap of at least 0.6 on its own.
 */
export interface LinkDecision {
  /** 0–1. */
  score: number;
  title: number;
  cpv?: number;
  reason: string;
}

const STOP_WORDS = new Set(
  [
    // da / nb
    "og",
    "af",
    "til",
    "for",
    "med",
    "paa",
    "pa",
    "den",
    "det",
    "de",
    "en",
    "et",
    "som",
    "fra",
    "ved",
    "samt",
    "udbud",
    "indkob",
    "levering",
    "kontrakt",
    "aftale",
    "rammeaftale",
    "anskaffelse",
    "kommune",
    "kommunes",
    "innkjop",
    "konkurranse",
    "rammeavtale",
    "avtale",
    // sv
    "och",
    "av",
    "till",
    "med",
    "for",
    "pa",
    "upphandling",
    "inkop",
    "leverans",
    "avtal",
    "ramavtal",
    "kommun",
    // en
    "the",
    "of",
    "and",
    "for",
    "to",
    "in",
    "on",
    "services",
    "service",
    "supply",
    "contract",
    "framework",
    "agreement",
    "provision",
    "tender",
    "council",
  ].map((w) => w.slice(0, 6)),
);

function stems(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of foldedWords(text)) {
    if (word.length < 3 || /^\d+$/.test(word)) continue;
    const stem = word.slice(0, 6);
    if (!STOP_WORDS.has(stem)) out.add(stem);
  }
  return out;
}

export function titleSimilarity(a: string, b: string): number {
  const x = stems(a);
  const y = stems(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const s of x) if (y.has(s)) shared++;
  return (2 * shared) / (x.size + y.size);
}

export function cpvSimilarity(a: readonly string[], b: readonly string[]): number | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  let best = 0;
  for (const x of a) {
    const sx = significant(x);
    for (const y of b) {
      const sy = significant(y);
      let common = 0;
      while (common < sx.length && common < sy.length && sx[common] === sy[common]) common++;
      if (common >= 3) return 1;
      if (common >= 2) best = 0.5;
    }
  }
  return best;
}

const DAY = 24 * 3600 * 1000;
const PERIOD_DAYS = { day: 1, month: 31, quarter: 92, season: 92, half: 183, year: 366 } as const;

/** Whether the notice came out in the planned item's time window. */
export function withinWindow(planned: Tender, publishedAt: string): boolean {
  const expected = planned.expectedPublication;
  if (!expected) return true;
  const start = Date.parse(expected.date);
  const published = Date.parse(publishedAt);
  if (Number.isNaN(start) || Number.isNaN(published)) return true;
  const end = start + PERIOD_DAYS[expected.precision] * DAY;
  return published >= start - 90 * DAY && published <= end + 365 * DAY;
}

export function noticeDate(notice: Tender): string {
  return notice.notice?.publishedAt ?? notice.firstSeen.slice(0, 10);
}

export function decideLink(planned: Tender, notice: Tender): LinkDecision | undefined {
  if (planned.buyer.id !== notice.buyer.id) return undefined;
  if (planned.stage !== "planned" || notice.stage === "planned" || notice.stage === "withdrawn")
    return undefined;
  const published = noticeDate(notice);
  if (!withinWindow(planned, published)) return undefined;
  const title = titleSimilarity(
    `${planned.title} ${planned.lots.map((l) => l.title).join(" ")}`,
    `${notice.title} ${notice.lots.map((l) => l.title).join(" ")}`,
  );
  const cpv = cpvSimilarity(planned.cpv, notice.cpv);
  const score = cpv === undefined ? title : 0.6 * title + 0.4 * cpv;
  const linked = (score >= 0.5 && title >= 0.3) || title >= 0.6;
  if (!linked) return undefined;
  const parts = [`title overlap ${title.toFixed(2)}`];
  if (cpv !== undefined)
    parts.push(cpv === 1 ? "same CPV group" : cpv > 0 ? "same CPV division" : "different CPV");
  parts.push(
    planned.expectedPublication
      ? `published ${published}, expected ${planned.expectedPublication.raw ?? planned.expectedPublication.date}`
      : `published ${published}`,
  );
  return { score, title, ...(cpv !== undefined ? { cpv } : {}), reason: parts.join("; ") };
}
