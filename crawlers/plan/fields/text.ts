/**
 * Text helpers shared by the plan field parsers. Every parser starts from `cleanText`, so that
 * non-breaking and thin spaces, soft hyphens and decomposed letters ("a" + combining ring) look
 * the same as what people type.
 */

/** Zero-width characters and the soft hyphen: invisible, and they split words. */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
/** Any run of white space, including NBSP (U+00A0), thin (U+2009) and narrow NBSP (U+202F). */
const SPACES = /\s+/g;

/** Collapses white space (non-breaking and thin spaces included), drops invisible characters, trims. */
export function cleanText(raw: string): string {
  return raw.normalize("NFC").replace(INVISIBLE, "").replace(SPACES, " ").trim();
}

/** `cleanText`, lower-cased: what the parsers match against. */
function cleanLower(raw: string): string {
  return cleanText(raw).toLowerCase();
}

/**
 * Cells that say "nothing here" in the four languages: "Ikke fastlagt", "Ej bestämt", "Ukjent",
 * "-", "N/A". Parsers return undefined for them anyway (they hold no number or date); this is
 * for telling an empty cell from a cell we could not read.
 */
const PLACEHOLDER =
  /^(?:[-–—?.x/]*|n\/?a|na|tbd|tba|tbc|none|unknown|ukendt|ukjent|okänd|ikke (?:fastlagt|kendt|oplyst|afklaret|angivet|bestemt|avklart|kjent)|ej (?:fastställt|fastställd|bestämt|bestämd|känt|angivet|klart)|inte (?:fastställt|bestämt|känt|klart)|ikkje (?:fastsett|kjent)|uavklart|uafklaret|oklart|afventer|venter|pending|ingen|inget|intet|nej|nei|no|ej)\.?$/;

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(cleanLower(text));
}

/** Letters of the four languages plus common accents: what a "word" is made of here. */
export const WORD_CHARS = "a-zæøåäöéèüß";

/** `record[key]` for the record's own keys only: a word like "constructor" is no month. */
export function own<T>(record: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `cleanText` per line, keeping line breaks (at most one empty line in a row): for descriptions. */
export function cleanLines(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(SPACES, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Cuts `text` to at most `max` characters at a word boundary, marking the cut with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
