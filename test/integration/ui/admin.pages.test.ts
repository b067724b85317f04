/**
 * The admin pages in-process: an admin signs in and sees the declared sources and the runs
 * recorded in the store (the latest with its status and counts, each run with its errors and
 * their kind); an unknown source is a 404 page; an enterprise account gets the 403 page and
 * anonymous visitors are sent to sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransactionalMail } from "../../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { csrfOf, pageClient } from "../../support/page-client.js";

const sent: TransactionalMail[] = [];
const ADMIN = "admin@example.org";
const ENTERPRISE = "kaffe@example.org";
const SOURCE = "dk-aarhus-plan";

type Browser = ReturnType<typeof pageClient>;

describe("admin pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true, sendMail: async (m) => void sent.push(m) });
    await t.account("admin", {}, ADMIN);
    await t.account("enterprise", {}, ENTERPRISE);
    const sources = t.deps.store.sources;
    const ok = await sources.startRun(SOURCE);
    await sources.endRun(ok, "not-modified", [], {
      new: 0,
      changed: 0,
      unchanged: 7,
      withdrawn: 0,
      skipped: 0,
    });
    // A source that is not declared: a municipality's uploaded plan.
    await sources.endRun(await sources.startRun("plan-dk-0751"), "not-modified", []);
    const failed = await sources.startRun(SOURCE);
    await sources.endRun(failed, "failed", [
      {
        kind: "http",
        message: "HTTP 503 from aarhus.dk",
        url: "https://aarhus.dk/erhverv/indkoeb-og-udbud/udbudsplan",
      },
    ]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function signIn(email: string): Promise<Browser> {
    const b = pageClient(t);
    const before = sent.length;
    await b.post("/sign-in", { email, _csrf: csrfOf(await (await b.get("/sign-in")).text()) });
    await new Promise((r) => setTimeout(r, 10));
    const mail = sent.slice(before)[0];
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail?.text ?? "")?.[1] ?? "");
    const page = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const res = await b.post("/sign-in/callback", { token, _csrf: csrfOf(await page.text()) });
    expect(res.status).toBe(303);
    return b;
  }

  let admin: Browser;

  it("lists the declared sources and those that ran, with the latest run's status and counts", async () => {
    admin = await signIn(ADMIN);
    const res = await admin.get("/admin/sources");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/admin/sources" aria-current="page"');
    expect(html).toContain("Aarhus Kommune: udbudsplan");
    expect(html).toContain(`href="/admin/sources/${SOURCE}"`);
    expect(html).toContain("plan-page");
    expect(html).toContain("dk-0751");
    expect(html).toContain("Daily");
    expect(html).toMatch(/Failed<\/span>\s*<br\/?>\s*0 new, 0 changed, 0 unchanged, 0 withdrawn, 0 skipped/);
    expect(html).toContain('href="/admin/sources/plan-dk-0751"');
    expect(html).toContain("Not declared");
    expect(html).toContain("Never run");
  });

  it("shows a source's runs newest first with their counts and errors by kind", async () => {
    const res = await admin.get(`/admin/sources/${SOURCE}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Runs of Aarhus Kommune: udbudsplan");
    const failed = html.indexOf("Failed");
    const notModified = html.indexOf("Not modified");
    expect(failed).toBeGreaterThan(0);
    expect(notModified).toBeGreaterThan(failed);
    expect(html).toContain('<span class="code">http</span>: HTTP 503 from aarhus.dk');
    expect(html).toContain("<td>7</td>");

    const da = await (await admin.get(`/admin/sources/${SOURCE}?lang=da`)).text();
    expect(da).toContain("Kørsler af Aarhus Kommune: udbudsplan");
    expect(da).toContain("Fejlet");
  });

  it("answers an unknown source with the not-found page", async () => {
    const res = await admin.get("/admin/sources/no-such-source?lang=en");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("There is no source with this id.");
  });

  it("refuses other accounts with a 403 page and sends anonymous visitors to sign-in", async () => {
    const enterprise = await signIn(ENTERPRISE);
    for (const path of ["/admin/sources", `/admin/sources/${SOURCE}`]) {
      const res = await enterprise.get(path);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("For administrators only");
    }
    expect(await (await enterprise.get("/tenders")).text()).not.toContain('href="/admin/sources"');

    const anonymous = await pageClient(t).get(`/admin/sources/${SOURCE}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe(
      `/sign-in?next=${encodeURIComponent(`/admin/sources/${SOURCE}`)}`,
    );
  });
});
