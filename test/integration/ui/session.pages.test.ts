/**
 * Sign-in by e-mail link, the session cookie and CSRF, in-process (`app.request`): cookie
 * attributes, a POST without a valid token refused, a link used once and only for 15 minutes
 * (the clock is injected), the same answer whether an account exists or not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionalMail } from "../../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { cookiesOf, csrfOf, pageClient } from "../../support/page-client.js";

let now = new Date("2026-03-02T10:00:00Z");
const sent: TransactionalMail[] = [];

describe("sign-in by e-mail link", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true, now: () => now, sendMail: async (m) => void sent.push(m) });
    await t.account("enterprise", {}, "kaffe@example.org");
  });
  afterAll(async () => {
    await t?.close();
  });

  const browser = () => pageClient(t);

  async function requestLink(b: ReturnType<typeof browser>, email: string) {
    const csrf = csrfOf(await (await b.get("/sign-in")).text());
    const before = sent.length;
    const res = await b.post("/sign-in", { email, _csrf: csrf });
    await new Promise((r) => setTimeout(r, 10));
    const mail = sent.slice(before)[0];
    const token = mail ? (/token=([A-Za-z0-9_%-]+)/.exec(mail.text)?.[1] ?? "") : "";
    return { res, html: await res.text(), mail, token: decodeURIComponent(token) };
  }

  it("answers the same whether an account exists or not, and mails only an existing one", async () => {
    const known = await requestLink(browser(), "kaffe@example.org");
    const unknown = await requestLink(browser(), "nobody@example.org");
    expect(known.res.status).toBe(200);
    expect(unknown.res.status).toBe(200);
    const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
    expect(main(known.html)).toBe(main(unknown.html));
    expect(known.mail?.to).toBe("kaffe@example.org");
    expect(unknown.mail).toBeUndefined();
  });

  it("signs in with a session cookie that is HttpOnly, SameSite=Lax, on / for 14 days; the link works once", async () => {
    const b = browser();
    const { token } = await requestLink(b, "kaffe@example.org");
    expect(token.length).toBeGreaterThan(20);
    // Opening the link (as a mail scanner would) uses nothing.
    const page = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const csrf = csrfOf(await page.text());
    const res = await b.post("/sign-in/callback", { token, _csrf: csrf });
    expect(res.status).toBe(303);
    const line = cookiesOf(res).lines.find((l) => l.startsWith("session="));
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Path=\//);
    expect(line).toMatch(/Max-Age=1209600/);
    expect(line).not.toMatch(/Secure/);
    const home = await b.get("/register");
    expect(await home.text()).toContain("Sign out");

    const again = browser();
    const page2 = await again.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    expect(page2.status).toBe(400);
    const csrf2 = csrfOf(await (await again.get("/sign-in")).text());
    const reuse = await again.post("/sign-in/callback", { token, _csrf: csrf2 });
    expect(reuse.status).toBe(400);
    expect(cookiesOf(reuse).jar.session).toBeUndefined();
  });

  it("refuses a link after 15 minutes", async () => {
    const b = browser();
    const { token } = await requestLink(b, "kaffe@example.org");
    const csrf = csrfOf(await (await b.get("/sign-in")).text());
    now = new Date(now.getTime() + 15 * 60 * 1000 + 1000);
    const res = await b.post("/sign-in/callback", { token, _csrf: csrf });
    expect(res.status).toBe(400);
  });

  it("refuses a form POST without a valid CSRF token or from another origin, with a 403 page", async () => {
    const b = browser();
    const csrf = csrfOf(await (await b.get("/sign-in")).text());
    const missing = await b.post("/sign-in", { email: "kaffe@example.org" });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("The form could not be sent");
    expect(
      (await b.post("/sign-in", { email: "a@example.org", _csrf: `${csrf.slice(0, -2)}00` })).status,
    ).toBe(403);
    expect(
      (await b.post("/sign-in", { email: "a@example.org", _csrf: csrf }, { origin: "https://evil.example" }))
        .status,
    ).toBe(403);
    expect((await b.post("/sign-in", { email: "a@example.org", _csrf: csrf }, {})).status).toBe(403);
    // Another browser's token does not fit this browser's cookie.
    const other = browser();
    await other.get("/sign-in");
    expect((await other.post("/sign-in", { email: "a@example.org", _csrf: csrf })).status).toBe(403);
    expect((await b.post("/sign-in", { email: "a@example.org", _csrf: csrf })).status).toBe(200);
  });

  it("marks the cookie Secure when the public base URL is https", async () => {
    const https = await createTestApp({
      publicBaseUrl: "https://jointbid.example",
      sendMail: async (m) => void sent.push(m),
    });
    try {
      const res = await https.app.request("/sign-in", { headers: { accept: "text/html" } });
      expect(cookiesOf(res).lines.find((l) => l.startsWith("csrf="))).toMatch(/Secure/);
    } finally {
      await https.close();
    }
  });

  it("signs out: the session is revoked", async () => {
    now = new Date("2026-03-03T10:00:00Z");
    const b = browser();
    const { token } = await requestLink(b, "kaffe@example.org");
    const page = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    await b.post("/sign-in/callback", { token, _csrf: csrfOf(await page.text()) });
    const session = b.jar.session ?? "";
    const signedIn = await (await b.get("/me/opportunities")).text();
    const out = await b.post("/sign-out", { _csrf: csrfOf(signedIn) });
    expect(out.status).toBe(303);
    // The old cookie, replayed, no longer signs in.
    const replay = await t.app.request("/me/opportunities", {
      headers: { accept: "text/html", cookie: `session=${session}` },
    });
    expect(replay.status).toBe(303);
  });
});
