import { covers, significant } from "../cpv.js";

/**
 * The enterprise codes that cover `code` (see `covers` in cpv.ts): the code itself and each of
 * its ancestors with at least three significant digits, as 8-digit codes. "90911200" →
 * ["90911200", "90900000", "90910000", "90911000"]. Asking the search index for enterprises with
 * any of these codes returns exactly those that cover `code`.
 */
export function coveringCodes(code: string): string[] {
  const sig = significant(code);
  const out = new Set<string>([code]);
  for (let n = 3; n <= sig.length; n++) {
    // A prefix ending in zeros ("900" of "90010000") pads to a shorter code that may not cover.
    const own = sig.slice(0, n).padEnd(8, "0");
    if (covers(own, code)) out.add(own);
  }
  return [...out];
}
