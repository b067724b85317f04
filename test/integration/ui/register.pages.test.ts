/**
 * "Register my enterprise" and "my opportunities" through the pages (`app.request`, cookies and
 * CSRF as a browser sends them): a new enterprise signs up by e-mail link, has CPV codes
 * suggested from its description, sees its errors next to the fields, registers, and finds
 * the tenders it can bid for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { load } from "cheerio";
import type { TransactionalMail } from "../../../src/routes/app-env.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { type PageClient, csrfOf, pageClient } from "../../support/page-client.js";

const sent: TransactionalMail[] = [];

describe("register my enterprise, then my opportunities", () => {
  let t: TestApp;
  let b: PageClient;

  beforeAll(async () => {
    t = await createTestApp({ demo: true, sendMail: async (m) => void sent.push(m) });
    b = pageClient(t);
  });
  afterAll(() => t.close());

  it("signs up by an e-mailed link from the register page", async () => {
    const start = await b.get("/register?lang=da");
    expect(start.status).toBe(200);
    const res = await b.post("/sign-in", {
      email: "rengoering@example.org",
      intent: "sign-up",
      _csrf: csrfOf(await start.text()),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(sent.at(-1)?.text ?? "")?.[1] ?? "");
    expect(sent.at(-1)?.to).toBe("rengoering@example.org");
    const confirm = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const done = await b.post("/sign-in/callback", { token, _csrf: csrfOf(await confirm.text()) });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/register");
  });

  it("suggests cleaning codes from a Danish description and shows field errors in Danish", async () => {
    const form = await b.get("/register");
    const csrf = csrfOf(await form.text());
    const suggest = await b.post("/register", {
      _csrf: csrf,
      action: "suggest",
      name: "Rent & Roligt",
      country: "DK",
      municipality: "0751",
      radius: "40",
      description: "Vi tilbyder rengøring af kontorer, skoler og daginstitutioner samt vinduespolering.",
    });
    expect(suggest.status).toBe(200);
    const $ = load(await suggest.text());
    const offered = $("input[name=cpv]")
      .map((_, el) => $(el).attr("value"))
      .get();
    expect(offered.length).toBeGreaterThanOrEqual(3);
    expect(offered.some((c) => c.startsWith("9091"))).toBe(true);
    expect($("html").attr("lang")).toBe("da");

    // Registering with a bad radius keeps what was typed and says what is wrong, beside the field.
    const bad = await b.post("/register", {
      _csrf: csrfOf($.html()),
      action: "register",
      name: "Rent & Roligt",
      country: "DK",
      radius: "minus ti",
      description: "Rengøring",
    });
    expect(bad.status).toBe(400);
    const $bad = load(await bad.text());
    expect($bad("#radius").attr("aria-describedby")).toContain("radius-error");
    expect($bad("#radius-error").text().trim().length).toBeGreaterThan(3);
    expect($bad("#name").attr("value")).toBe("Rent & Roligt");
  });

  it("registers with the ticked codes and lists the tenders it can bid for", async () => {
    const form = await b.get("/register");
    const res = await b.post("/register", [
      ["_csrf", csrfOf(await form.text())],
      ["action", "register"],
      ["name", "Rent og Roligt Aarhus"],
      ["country", "DK"],
      ["municipality", "0751"],
      ["lat", "56.1567"],
      ["lon", "10.2108"],
      ["radius", "40"],
      ["description", "Rengøring af institutioner."],
      ["turnover", "6000000"],
      ["employees", "25"],
      ["disadvantaged", "40"],
      ["cpv", "90911200"],
      ["offered", "90911200"],
      ["consortia", "on"],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/me/opportunities");
    const stored = await t.deps.store.enterprises.get("rent-og-roligt-aarhus");
    expect(stored?.enterprise.cpv).toEqual(["90911200"]);
    expect(stored?.enterprise.disadvantagedShare).toBe(0.4);

    const mine = await b.get("/me/opportunities");
    expect(mine.status).toBe(200);
    const $ = load(await mine.text());
    const links = $("main a[href^='/tenders/']")
      .map((_, el) => $(el).attr("href"))
      .get();
    // The Aarhus day-care cleaning plan (three lots of 90911200) is one it can bid for alone.
    expect(links).toContain(`/tenders/${encodeURIComponent("demo:aarhus-rengoering-daginstitutioner-2027")}`);
    // Signed out, the page sends people to sign in.
    const anonymous = await pageClient(t).get("/me/opportunities");
    expect([302, 303]).toContain(anonymous.status);
  });
});
