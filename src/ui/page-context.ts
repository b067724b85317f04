import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../routes/app-env.js";
import { type Messages, type UiLanguage, chooseLanguage, messagesFor } from "./i18n/index.js";

export const LANG_COOKIE = "lang";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** What every page needs: the language, its messages and the address it was asked for. */
export interface PageContext {
  lang: UiLanguage;
  t: Messages;
  /** Path and query of the request (for the language switcher and paging links). */
  path: string;
  query: URLSearchParams;
}

/**
 * Chooses the page language (`?lang=` sets the cookie; else the cookie; else Accept-Language;
 * else English) and tells caches that the page varies with those.
 */
export function pageContext(c: Context<AppEnv>): PageContext {
  const url = new URL(c.req.url);
  const { lang, fromQuery } = chooseLanguage({
    query: url.searchParams.get("lang") ?? undefined,
    cookie: getCookie(c, LANG_COOKIE),
    acceptLanguage: c.req.header("accept-language"),
  });
  if (fromQuery && getCookie(c, LANG_COOKIE) !== lang) {
    setCookie(c, LANG_COOKIE, lang, { path: "/", maxAge: ONE_YEAR_SECONDS, sameSite: "Lax" });
  }
  c.header("Content-Language", lang);
  c.header("Vary", "Accept-Language, Cookie");
  return { lang, t: messagesFor(lang), path: url.pathname, query: url.searchParams };
}

/**
 * The current address with some parameters replaced (a value), removed (undefined) or set to
 * several values (an array). Relative: path and query only.
 */
export function hrefWith(
  ctx: Pick<PageContext, "path" | "query">,
  changes: Readonly<Record<string, string | readonly string[] | undefined>>,
  path = ctx.path,
): string {
  const params = new URLSearchParams(ctx.query);
  for (const [key, value] of Object.entries(changes)) {
    params.delete(key);
    if (value === undefined) continue;
    for (const v of typeof value === "string" ? [value] : value) params.append(key, v);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The page of a tender or an enterprise. */
export const tenderHref = (id: string) => `/tenders/${encodeURIComponent(id)}`;
export const enterpriseHref = (id: string) => `/enterprises/${encodeURIComponent(id)}`;
