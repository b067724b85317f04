import { da } from "./da.js";
import { type Messages, en } from "./en.js";
import { nb } from "./nb.js";
import { sv } from "./sv.js";

export type { Messages } from "./en.js";

/** The page languages, in the order the switcher shows them. */
export const UI_LANGUAGES = ["da", "sv", "nb", "en"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: UiLanguage = "en";

const CATALOGUES: Readonly<Record<UiLanguage, Messages>> = { da, sv, nb, en };

export function messagesFor(lang: UiLanguage): Messages {
  return CATALOGUES[lang];
}

/**
 * A language tag as one of ours: "sv-SE" → sv; "no", "nn" and "nb-NO" → nb (Nynorsk readers read
 * bokmål far better than the other three); anything else undefined.
 */
export function uiLanguageOf(tag: string | undefined): UiLanguage | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  if (primary === "no" || primary === "nn") return "nb";
  return (UI_LANGUAGES as readonly string[]).includes(primary) ? (primary as UiLanguage) : undefined;
}

/**
 * The best of our languages for an `Accept-Language` header: ranges by q-value (ties in header
 * order), `q=0` excluded, `*` ignored; undefined when none of ours is asked for.
 */
export function fromAcceptLanguage(header: string | undefined): UiLanguage | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { lang: uiLanguageOf(tag), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.lang !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges[0]?.lang;
}

/** The language of a page: `?lang=`, else the cookie, else `Accept-Language`, else English. */
export function chooseLanguage(input: {
  query?: string | undefined;
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}): { lang: UiLanguage; fromQuery: boolean } {
  const fromQuery = uiLanguageOf(input.query);
  if (fromQuery) return { lang: fromQuery, fromQuery: true };
  const lang = uiLanguageOf(input.cookie) ?? fromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LANGUAGE;
  return { lang, fromQuery: false };
}
