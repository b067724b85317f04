/**
 * The web pages without a browser (in-process `app.request`): language choice, the stylesheet's
 * caching, the JSON index kept at `/` for API clients, 404 pages, no contact data. These run
 * everywhere, also where no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseLanguage, fromAcceptLanguage } from "../../src/ui/i18n/index.js";
import { type TestApp, createTestApp } from "../support/app.js";

const HTML = { accept: "text/html" };

describe("page language", () => {
  it("reads Accept-Language by q-value, with nn and no as bokmål", () => {
    expect(fromAcceptLanguage("fr-FR, sv;q=0.5, da;q=0.8")).toBe("da");
    expect(fromAcceptLanguage("de, nn;q=0.9, en;q=0.3")).toBe("nb");
    expect(fromAcceptLanguage("sv-SE")).toBe("sv");
    expect(fromAcceptLanguage("da;q=0, en-US;q=0.2")).toBe("en");
    expect(fromAcceptLanguage("fr, de")).toBeUndefined();
  });

  it("prefers ?lang=, then the cookie, then the header, then English", () => {
    expect(chooseLanguage({ query: "sv", cookie: "da", acceptLanguage: "nb" })).toEqual({
      lang: "sv",
      fromQuery: true,
    });
    expect(chooseLanguage({ query: "xx", cookie: "da", acceptLanguage: "nb" }).lang).toBe("da");
    expect(chooseLanguage({ acceptLanguage: "nb-NO,nb;q=0.9" }).lang).toBe("nb");
    expect(chooseLanguage({}).lang).toBe("en");
  });
});

describe("pages in-process", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("serves the search page at / to browsers and keeps the JSON index for API clients", async () => {
    const page = await t.request("GET", "/", { headers: { ...HTML, "accept-language": "sv-SE,sv;q=0.9" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-language")).toBe("sv");
    expect(page.headers.get("vary")).toContain("Accept-Language");
    const html = await page.text();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain("Upphandlingar och planerade inköp");
    expect(html).not.toContain("<script");

    const api = await t.request("GET", "/");
    expect(api.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await api.json()) as { name: string }).name).toBe("jointbid");
  });

  it("sets the language cookie from ?lang= and keeps to it", async () => {
    const res = await t.request("GET", "/tenders?lang=nb", { headers: HTML });
    expect(res.headers.get("set-cookie")).toMatch(/^lang=nb;.*Path=\//);
    expect(res.headers.get("set-cookie")).toContain("SameSite=Lax");
    const next = await t.request("GET", "/enterprises", {
      headers: { ...HTML, cookie: "lang=nb", "accept-language": "da" },
    });
    expect(await next.text()).toContain("Virksomhetsregister");
  });

  it("serves the stylesheet under a content hash with a long cache", async () => {
    const html = await (await t.request("GET", "/tenders", { headers: HTML })).text();
    const href = /<link rel="stylesheet" href="(\/assets\/app\.[0-9a-f]{8}\.css)"/.exec(html)?.[1];
    expect(href).toBeDefined();
    const css = await t.request("GET", href ?? "");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(css.headers.get("cache-control")).toContain("immutable");
    expect(css.headers.get("content-security-policy")).toBeTruthy();
    expect((await t.request("GET", "/assets/app.00000000.css")).status).toBe(404);
  });

  it("shows planned items with their expected period in the page language", async () => {
    const da = await (
      await t.request("GET", "/tenders?q=reng%C3%B8ring&stage=planned&lang=da", { headers: HTML })
    ).text();
    expect(da).toContain("2. kvartal 2027");
    const en = await (
      await t.request("GET", "/tenders?q=reng%C3%B8ring&stage=planned&lang=en", { headers: HTML })
    ).text();
    expect(en).toContain("Q2 2027");
  });

  it("ignores filter values it does not know instead of failing", async () => {
    const res = await t.request("GET", "/tenders?stage=nonsense&cpv=abc&value=x&page=-3", { headers: HTML });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("14 tenders found");
  });

  it("answers unknown tenders and enterprises with a 404 page in the layout", async () => {
    for (const path of ["/tenders/demo%3Anothing-here", "/enterprises/nobody-at-all"]) {
      const res = await t.request("GET", path, { headers: { ...HTML, "accept-language": "da" } });
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain("Siden findes ikke");
      expect(html).toContain('<main id="main"');
    }
  });

  it("never shows an enterprise's contact data", async () => {
    const stored = await t.deps.store.enterprises.get("social-foodies");
    expect(stored).toBeDefined();
    const email = "kontakt@example.org";
    if (stored) {
      await t.deps.store.enterprises.update(
        { ...stored.enterprise, contact: { name: "Kontakt Person", email } },
        stored.version,
      );
    }
    const html = await (await t.request("GET", "/enterprises/social-foodies", { headers: HTML })).text();
    expect(html).toContain("Social Foodies");
    expect(html).not.toContain(email);
    expect(html).not.toContain("Kontakt Person");
  });
});
