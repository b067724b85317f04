/**
 * Text folding shared by search, CPV look-up and slugs: lower case, Nordic letters folded the
 * way people type them without a Nordic keyboard (æ → ae, ø → o, å → a, ä → a, ö → o), other
 * accents dropped (é → e). "Rengøring" and "rengoring" fold to the same word.
 */
const SPECIAL: Readonly<Record<string, string>> = {
  æ: "ae",
  ø: "o",
  ß: "ss",
  œ: "oe",
  ð: "d",
  þ: "th",
  ł: "l",
  đ: "d",
};

export function fold(text: string): string {
  const lower = text.toLowerCase();
  let out = "";
  for (const ch of lower.normalize("NFD")) {
    const special = SPECIAL[ch];
    if (special !== undefined) out += special;
    else if (!/\p{M}/u.test(ch)) out += ch;
  }
  return out;
}

/** Words of a text (letters and digits), folded. */
export function foldedWords(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}
