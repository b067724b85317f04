/**
 * A browser without a browser, for page tests through `app.request`: keeps cookies, sends the
 * public origin on POST (as a browser on the site does), reads the CSRF field of a form.
 */
import type { TestApp } from "./app.js";

export const PAGE_ORIGIN = "http://127.0.0.1:8787";

/** Cookies of a response as name → value, with the raw Set-Cookie lines. */
export function cookiesOf(res: Response): { jar: Record<string, string>; lines: string[] } {
  const lines = res.headers.getSetCookie();
  const jar: Record<string, string> = {};
  for (const line of lines) {
    const [pair = ""] = line.split(";");
    const i = pair.indexOf("=");
    jar[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { jar, lines };
}

const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

/** The CSRF token of the first form of a page. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

export type PageClient = ReturnType<typeof pageClient>;

export function pageClient(t: Pick<TestApp, "app">) {
  const jar: Record<string, string> = {};
  return {
    jar,
    async get(path: string) {
      const res = await t.app.request(path, { headers: { accept: "text/html", cookie: cookieHeader(jar) } });
      Object.assign(jar, cookiesOf(res).jar);
      return res;
    },
    async post(
      path: string,
      form: Record<string, string> | [string, string][],
      headers: Record<string, string> = { origin: PAGE_ORIGIN },
    ) {
      const res = await t.app.request(path, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: cookieHeader(jar),
          ...headers,
        },
        body: new URLSearchParams(form).toString(),
      });
      Object.assign(jar, cookiesOf(res).jar);
      return res;
    },
  };
}
