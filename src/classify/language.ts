import type { ClassifyLanguage } from "./classifier.port.js";

/**
 * Language of a short text among Danish, Swedish, Norwegian and English, from cues that hold
 * even in a three-word title: letters (ä ö only Swedish, æ ø Danish or Norwegian), function
 * words ("af" Danish, "av" Swedish or Norwegian, "och" Swedish), and spellings and endings
 * typical of each ("-tjänster", "-ydelser", "-tjenester", "rengjøring", "kj", "hv"). The cues
 * are counted with weights; a tie (or nothing at all) goes to English when the text is plain
 * ASCII, else Danish. Not a general language identifier: it only has to choose among four.
 */
export type Scores = Record<ClassifyLanguage, number>;

const WORD_CUES: Readonly<Record<string, Partial<Scores>>> = {
  // function words
  og: { da: 2, nb: 2 },
  och: { sv: 3 },
  af: { da: 3 },
  av: { sv: 2, nb: 2 },
  til: { da: 1.5, nb: 1.5 },
  till: { sv: 2 },
  för: { sv: 3 },
  for: { da: 0.5, nb: 0.5, en: 1 },
  på: { da: 1, sv: 1, nb: 1 },
  med: { da: 1, sv: 1, nb: 1 },
  samt: { da: 1, sv: 1.5, nb: 1 },
  eller: { da: 1, sv: 1, nb: 1 },
  i: { da: 0.5, sv: 0.5, nb: 0.5 },
  ved: { da: 1, nb: 1 },
  vid: { sv: 2 },
  fra: { da: 1, nb: 1 },
  från: { sv: 3 },
  efter: { da: 1, sv: 1 },
  etter: { nb: 2 },
  ikke: { da: 1, nb: 1 },
  inte: { sv: 2 },
  the: { en: 3 },
  and: { en: 3 },
  of: { en: 2 },
  to: { en: 1 },
  with: { en: 2 },
  services: { en: 2 },
  service: { en: 1 },
  supply: { en: 2 },
  provision: { en: 2 },
  cleaning: { en: 2 },
  maintenance: { en: 2 },
  works: { en: 2 },
  // frequent procurement words with distinct spellings
  indkøb: { da: 3 },
  innkjøp: { nb: 3 },
  inköp: { sv: 3 },
  upphandling: { sv: 3 },
  anskaffelse: { nb: 3 },
  udbud: { da: 3 },
  anbud: { nb: 1, sv: 1 },
  levering: { da: 1, nb: 1 },
  leverans: { sv: 2 },
  rammeaftale: { da: 3 },
  rammeavtale: { nb: 3 },
  ramavtal: { sv: 3 },
  kommune: { da: 1, nb: 1 },
  kommun: { sv: 2 },
  skoler: { da: 1, nb: 1 },
  skolor: { sv: 2 },
  børn: { da: 2 },
  barn: { sv: 1, nb: 1 },
  ældre: { da: 2 },
  äldre: { sv: 2 },
  eldre: { nb: 2 },
  mad: { da: 2 },
  mat: { sv: 1, nb: 1 },
};

const ENDING_CUES: readonly [RegExp, Partial<Scores>][] = [
  [/tjänst(er|en)?$/, { sv: 3 }],
  [/tjeneste(r|n)?$/, { nb: 3 }],
  [/ydelse(r|n)?$/, { da: 3 }],
  [/ning(en|ar)?$/, { sv: 0.5, da: 0.3, nb: 0.3 }],
  [/ningar$/, { sv: 2 }],
  [/inger$/, { da: 1, nb: 1 }],
  [/else(r|n)?$/, { da: 0.5 }],
  [/heder$/, { da: 1.5 }],
  [/heter$/, { sv: 1.5, nb: 0.5 }],
  [/(tion|ing|ment|ness|ity|ies)s?$/, { en: 0.5 }],
  [/^(hv|kv)/, { da: 0.5, nb: 0.3 }],
  [/(kj|gj|sj)/, { nb: 1 }],
  [/(ae|oe)/, { en: 0.1 }],
];

const LETTER_CUES: readonly [RegExp, Partial<Scores>][] = [
  [/[äö]/g, { sv: 3 }],
  [/[æø]/g, { da: 2, nb: 2 }],
  [/å/g, { sv: 0.7, nb: 0.6, da: 0.5 }],
  [/aa/g, { da: 0.3 }],
  [/[wq]/g, { en: 1 }],
  [/th/g, { en: 0.7 }],
  [/c[^kh]/g, { en: 0.5 }],
];

const WORD = /[\p{L}]+/gu;
const ORDER: readonly ClassifyLanguage[] = ["da", "sv", "nb", "en"];

function add(scores: Scores, cue: Partial<Scores>, times = 1): void {
  for (const lang of ORDER) scores[lang] += (cue[lang] ?? 0) * times;
}

export function detectLanguage(text: string): ClassifyLanguage {
  return pickLanguage(languageScores(text), text, ORDER);
}

/** The best of `among` by the scores; ties go to English for plain ASCII text, else to the first. */
export function pickLanguage(
  scores: Readonly<Scores>,
  text: string,
  among: readonly ClassifyLanguage[],
): ClassifyLanguage {
  const first = among[0] ?? "en";
  let best: ClassifyLanguage = among.includes("en") && /^[\x00-\x7f]*$/.test(text) ? "en" : first;
  let bestScore = scores[best];
  for (const lang of among) {
    if (scores[lang] > bestScore) {
      best = lang;
      bestScore = scores[lang];
    }
  }
  return best;
}

export const NORDIC: readonly ClassifyLanguage[] = ["da", "sv", "nb"];

/** Cue scores per language (see the note at the top). */
export function languageScores(text: string): Scores {
  const lower = text.normalize("NFC").toLowerCase().slice(0, 2000);
  const scores: Scores = { da: 0, sv: 0, nb: 0, en: 0 };
  for (const [re, cue] of LETTER_CUES) {
    const n = lower.match(re)?.length ?? 0;
    if (n > 0) add(scores, cue, Math.min(n, 4));
  }
  for (const match of lower.matchAll(WORD)) {
    const word = match[0];
    const cue = WORD_CUES[word];
    if (cue) add(scores, cue);
    for (const [re, ending] of ENDING_CUES) if (re.test(word)) add(scores, ending);
  }
  return scores;
}
