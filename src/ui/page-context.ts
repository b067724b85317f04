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
  /** The signed-in account (page session), if any. */
  user?: { email: string; role: string; enterpriseId?: string };
  /** The CSRF token for the page's forms (always set when signed in, for the sign-out button). */
  csrf?: string;
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
  const actor = c.get("actor");
  const csrf = c.get("csrf");
  return {
    lang,
    t: messagesFor(lang),
    path: url.pathname,
    query: url.searchParams,
    ...(actor.kind === "account"
      ? {
          user: {
            email: actor.account.email,
            role: actor.account.role,
            ...(actor.account.enterpriseId ? { enterpriseId: actor.account.enterpriseId } : {}),
          },
        }
      : {}),
    ...(csrf ? { csrf } : {}),
  };
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
