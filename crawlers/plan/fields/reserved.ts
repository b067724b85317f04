import type { ReservedHint } from "../../../src/domain/tender.js";
import { cleanLines, cleanText, WORD_CHARS as L } from "./text.js";

type Kind = NonNullable<ReservedHint["kind"]>;

/**
 * A sign in plan text that a purchase is (or may be) reserved, with the sentence it stands in:
 * "Udbuddet forventes reserveret til socialøkonomiske virksomheder, jf. udbudslovens § 20."
 *
 * Signs:
 * - the law: "§ 20", "paragraf 20", "Article 20", "artikel 20", "Regulation 20" (UK) and
 *   "4 kap. 18 §" (LOU) for sheltered workshops; "Article 77", "§ 191", "Regulation 77" for
 *   organisations with a public-service mission;
 * - who it is for: "socialøkonomiske virksomheder", "sociale virksomheder", "skærmede
 *   virksomheder", "beskyttet beskæftigelse", "arbetsintegrerande sociala företag",
 *   "arbeidsintegrerende virksomhet", "vekstbedrift", "sheltered workshop", "supported
 *   business", "supported employment" (UK Procurement Act 2023), "public service mission";
 * - the word itself ("reserveret", "reserveres", "reserveras", "reserverad", "reservert",
 *   "reserved") when the sentence also speaks of a purchase or of whom it is for (udbud,
 *   upphandling, anskaffelse, kontrakt, virksomheder, ...), and not of rights or parking
 *   ("Alle rettigheder reserveret", "reserved parking"). "Reservedele", "reservestrøm" and the
 *   active "reserverer sig retten" are not signs at all.
 *
 * `kind` is `res-ws` (Art. 20) or `res-pub-ser` (Art. 77) when the sentence says which, and
 * absent when it does not or says both. The first sign in the text wins.
 */
export function findReservedHint(text: string): ReservedHint | undefined {
  // Line breaks are kept: in a cell, each line is a sentence of its own.
  const clean = cleanLines(text);
  if (clean === "") return undefined;
  const lower = clean.toLowerCase();
  const stops = [...clean.matchAll(SENTENCE_END)].map((m) => m.index + m[0].length);
  for (const m of lower.matchAll(SIGN)) {
    const sentence = cleanText(sentenceAround(clean, stops, m.index, m.index + m[0].length));
    const lowerSentence = sentence.toLowerCase();
    if (m[1] !== undefined) {
      // The bare word: only in the context of a purchase, and not about rights or parking.
      if (!CONTEXT.test(lowerSentence) || NOT_A_RESERVATION.test(lowerSentence)) continue;
    }
    const kind = kindOf(lowerSentence);
    return kind ? { text: sentence, kind } : { text: sentence };
  }
  return undefined;
}

const WS_SIGNS = [
  `§\\s?20(?![\\d,.-]?\\d)`,
  `paragraf\\s?20(?!\\d)`,
  `(?:article|artikel|artikkel|art\\.?)\\s?20(?![\\d,.]?\\d)`,
  `regulation\\s?20(?!\\d)`,
  `4\\s?kap\\.?\\s?18\\s?§`,
  `socialøkonomisk`,
  `sociale virksomhed`,
  `social virksomhed`,
  `skærmede? virksomhed`,
  `beskyttede? værksted`,
  `beskyttet beskæftigelse`,
  `arbetsintegrerande`,
  `arbeidsintegrerende`,
  `arbeidsinkludering`,
  `vekstbedrift`,
  `skyddad anställning`,
  `sheltered (?:workshop|employment)`,
  `supported (?:business|factor)`,
  `supported employment`,
];
const PUB_SER_SIGNS = [
  `(?:article|artikel|artikkel|art\\.?)\\s?77(?![\\d,.]?\\d)`,
  `regulation\\s?77(?!\\d)`,
  `§\\s?191(?![\\d,.-]?\\d)`,
  `public service mission`,
  `public service-opgave`,
];
const RESERVED_WORDS = [
  "reserveret",
  "reserveres",
  "reserverede",
  "reserveras",
  "reserverad",
  "reserverade",
  "reserverat",
  "reservert",
  "reserverte",
  "reserved",
];

const SIGN = new RegExp(
  `(?<![${L}\\d])(?:(${RESERVED_WORDS.join("|")})(?![${L}])|${[...WS_SIGNS, ...PUB_SER_SIGNS].join("|")})`,
  "g",
);

/** Who or what a reservation in a plan is about. */
const CONTEXT = new RegExp(
  [
    "udbud",
    "upphandl",
    "anskaffel",
    "konkurranse",
    "konkurrence",
    "kontrakt",
    "contract",
    "avtal",
    "aftale",
    "procure",
    "tender",
    "virksomhed",
    "företag",
    "bedrift",
    "enterprise",
    "organisation",
    "organization",
    "workshop",
    "værksted",
    "verksted",
    "leverandør",
    "leverantör",
    "supplier",
    "provider",
    "operator",
    "social",
    "sosial",
    "§",
  ].join("|"),
);
const NOT_A_RESERVATION =
  /rettighed|rättighet|rettighet|rights|copyright|©|parkering|parking|p-plads|p-plass|parkeringsplats/;

const WS_KIND = new RegExp(WS_SIGNS.join("|"));
const PUB_SER_KIND = new RegExp(PUB_SER_SIGNS.join("|"));

function kindOf(sentence: string): Kind | undefined {
  const ws = WS_KIND.test(sentence);
  const pub = PUB_SER_KIND.test(sentence);
  if (ws === pub) return undefined;
  return ws ? "res-ws" : "res-pub-ser";
}

const MAX_SENTENCE = 1_000;
/** The end of a sentence: ".", "!" or "?" before white space and a capital, or a line break. */
const SENTENCE_END = /[.!?](?=\s+[A-ZÆØÅÄÖ"“(])|[\n\r]/g;

/**
 * The sentence holding [start, end), given the positions just after each sentence end; cut to a
 * window around the match when it is very long.
 */
function sentenceAround(text: string, stops: number[], start: number, end: number): string {
  // The first stop after `start` (binary search: a long text may hold many signs).
  let lo = 0;
  let hi = stops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((stops[mid] ?? Infinity) <= start) lo = mid + 1;
    else hi = mid;
  }
  const from = lo > 0 ? (stops[lo - 1] ?? 0) : 0;
  let i = lo;
  while (i < stops.length && (stops[i] ?? Infinity) <= end) i++;
  const to = stops[i] ?? text.length;
  let sentence = text.slice(from, to).trim();
  if (sentence.length > MAX_SENTENCE) {
    const mid = Math.max(0, start - from - 400);
    const window = text.slice(from + mid, Math.min(to, from + mid + MAX_SENTENCE - 2));
    sentence = `${mid > 0 ? "…" : ""}${window.trim()}…`.slice(0, MAX_SENTENCE);
  }
  return sentence;
}
