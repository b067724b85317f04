/**
 * "My subscriptions" through the pages (`app.request`, cookies and CSRF as a browser sends them):
 * create with the feed addresses shown once, validation errors next to their fields, pause and
 * resume, a dead letter among the deliveries, feed rotation and revocation, edit (what the API
 * then returns), delete; another account finds nothing (the 404 page) and a form without a valid
 * CSRF token is refused.
 */
import { load } from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import type { TransactionalMail } from "../../../src/routes/app-env.js";
import { recordingChannel, tender } from "../alerts/support.js";
import { type TestApp, body, createTestApp } from "../../support/app.js";
import { type PageClient, csrfOf, pageClient } from "../../support/page-client.js";

const sent: TransactionalMail[] = [];
/** Every alert is refused for good: deliveries become dead letters at once. */
const refusing = recordingChannel(() => ({ ok: false, retryable: false, error: "550 mailbox unavailable" }));

describe("my subscriptions", () => {
  let t: TestApp;
  let owner: PageClient;
  let other: PageClient;
  let ownerToken = "";
  let ownerId = "";
  let id = "";

  async function signIn(email: string): Promise<PageClient> {
    const b = pageClient(t);
    const before = sent.length;
    await b.post("/sign-in", { email, _csrf: csrfOf(await (await b.get("/sign-in")).text()) });
    await new Promise((r) => setTimeout(r, 20));
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(sent[before]?.text ?? "")?.[1] ?? "");
    const confirm = await b.get(`/sign-in/callback?token=${encodeURIComponent(token)}`);
    const done = await b.post("/sign-in/callback", { token, _csrf: csrfOf(await confirm.text()) });
    expect(done.status).toBe(303);
    return b;
  }

  const valid = {
    name: "Rengøring i Aarhus",
    kind: "filters",
    q: "",
    cpv: "909, 90911200",
    municipalities: "0751",
    minValue: "",
    maxValue: "",
    currency: "EUR",
    channel: "email",
    email: "alerts@example.org",
    webhookUrl: "",
    webhookSecret: "",
    frequency: "instant",
    digestHour: "7",
    language: "da",
  };

  beforeAll(async () => {
    t = await createTestApp({
      demo: true,
      sendMail: async (m) => void sent.push(m),
      alerts: { channels: { email: refusing, webhook: refusing }, baseUrl: "http://127.0.0.1:8787" },
    });
    ({ id: ownerId, token: ownerToken } = await t.account(
      "enterprise",
      { enterpriseId: "social-foodies" },
      "foodies@example.org",
    ));
    await t.account("admin", {}, "admin@example.org");
    await t.account("enterprise", {}, "someone@example.org");
    owner = await signIn("foodies@example.org");
    other = await signIn("someone@example.org");
  });
  afterAll(() => t.close());

  it("sends a signed-out browser to sign in", async () => {
    const res = await pageClient(t).get("/me/subscriptions");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Fme%2Fsubscriptions");
  });

  it("links to the page from the header and shows an empty list", async () => {
    const $ = load(await (await owner.get("/me/subscriptions?lang=en")).text());
    expect($('nav.account a[href="/me/subscriptions"]').attr("aria-current")).toBe("page");
    expect($("h1").text()).toBe("My subscriptions");
    expect($("p.empty").text()).toBe("You have no subscriptions yet.");
  });

  it("offers the enterprise kinds to an enterprise account", async () => {
    const $ = load(await (await owner.get("/me/subscriptions/new")).text());
    expect(
      $("input[name=kind]")
        .map((_, el) => $(el).attr("value"))
        .get(),
    ).toEqual(["filters", "profile", "group-opportunities"]);
    expect($("#s-email").attr("value")).toBe("foodies@example.org");
    expect($("input[name=stages]")).toHaveLength(5);
  });

  it("shows errors next to the fields, keeping what was typed", async () => {
    const csrf = csrfOf(await (await owner.get("/me/subscriptions/new")).text());
    const res = await owner.post("/me/subscriptions/new", {
      ...valid,
      _csrf: csrf,
      name: "",
      cpv: "909, x1",
      municipalities: "751",
      minValue: "lots",
      channel: "webhook",
      webhookUrl: "ftp://example.org/hook",
      webhookSecret: "short",
    });
    expect(res.status).toBe(400);
    const $ = load(await res.text());
    expect($("[role=alert]").text()).toBe("Please correct the fields marked below.");
    for (const field of ["name", "cpv", "municipalities", "minValue", "webhookUrl", "webhookSecret"]) {
      expect($(`#s-${field}`).attr("aria-invalid"), field).toBe("true");
      expect($(`#s-${field}`).attr("aria-describedby"), field).toContain(`s-${field}-error`);
      expect($(`#s-${field}-error`).text().length, field).toBeGreaterThan(5);
    }
    expect($("#s-cpv-error").text()).toMatch(/CPV codes or prefixes/);
    expect($("#s-email").attr("aria-invalid")).toBeUndefined();
    expect($("#s-cpv").attr("value")).toBe("909, x1");
    expect($("#s-channel-webhook").attr("checked")).toBeDefined();
    expect(await t.deps.store.subscriptions.byAccount("none")).toEqual([]);
  });

  it("refuses a profile subscription for an account without an enterprise, at the kind", async () => {
    const csrf = csrfOf(await (await other.get("/me/subscriptions/new")).text());
    const res = await other.post("/me/subscriptions/new", { ...valid, kind: "profile", _csrf: csrf });
    expect(res.status).toBe(400);
    const $ = load(await res.text());
    expect($("#s-kind-error").text()).toMatch(/Register your enterprise first/);
  });

  it("creates a subscription and shows its feed addresses this once", async () => {
    const csrf = csrfOf(await (await owner.get("/me/subscriptions/new")).text());
    const res = await owner.post("/me/subscriptions/new", [
      ...Object.entries(valid),
      ["stages", "planned"],
      ["stages", "open"],
      ["countries", "DK"],
      ["reservedOnly", "on"],
      ["_csrf", csrf],
    ]);
    expect(res.status).toBe(201);
    const $ = load(await res.text());
    expect($("h1").text()).toBe("Rengøring i Aarhus");
    expect($("[role=status]").text()).toBe("The subscription is saved.");
    const atom = $("a.feed-atom").attr("href") ?? "";
    expect(atom).toMatch(/^http:\/\/127\.0\.0\.1:8787\/api\/feeds\/[A-Za-z0-9_-]+\/atom$/);
    expect((await t.app.request(new URL(atom).pathname)).status).toBe(200);

    const [stored] = await t.deps.store.subscriptions.list();
    id = stored?.subscription.id ?? "";
    expect(stored?.subscription).toMatchObject({
      name: "Rengøring i Aarhus",
      kind: "filters",
      filters: {
        cpv: ["909", "909112"],
        countries: ["DK"],
        municipalities: ["0751"],
        stages: ["planned", "open"],
        reservedOnly: true,
      },
      channel: { type: "email", address: "alerts@example.org" },
      language: "da",
      active: true,
    });

    // Later the token is not shown again.
    const again = load(await (await owner.get(`/me/subscriptions/${id}`)).text());
    expect(again("a.feed-atom")).toHaveLength(0);
    expect(again("#feeds").text()).toBe("Atom and iCal feeds");
    const list = load(await (await owner.get("/me/subscriptions")).text());
    const row = list("table.subscriptions tbody tr");
    expect(row).toHaveLength(1);
    expect(row.find("th a").attr("href")).toBe(`/me/subscriptions/${id}`);
    expect(row.text()).toContain("alerts@example.org");
    expect(row.text()).toContain("At once");
    expect(row.text()).toContain("Active");
  });

  it("lists a dead letter among the deliveries with its last error", async () => {
    await t.deps.store.tenders.create(
      tender({ id: "test:page-alert", stage: "open", reserved: "res-ws" }),
      "test",
    );
    await deliverAlerts(t.deps, new Date(), { random: () => 1 });
    const $ = load(await (await owner.get(`/me/subscriptions/${id}`)).text());
    const row = $("table.deliveries tr.delivery.dead");
    expect(row).toHaveLength(1);
    expect(row.text()).toContain("Dead letter");
    expect(row.text()).toContain("550 mailbox unavailable");
    expect(row.find("a").attr("href")).toBe("/tenders/test%3Apage-alert");
  });

  it("pauses and resumes", async () => {
    const csrf = csrfOf(await (await owner.get("/me/subscriptions")).text());
    const paused = await owner.post(`/me/subscriptions/${id}/pause`, { _csrf: csrf, back: "list" });
    expect(paused.status).toBe(303);
    expect(paused.headers.get("location")).toBe("/me/subscriptions?done=paused");
    expect((await t.deps.store.subscriptions.get(id))?.subscription.active).toBe(false);
    const $ = load(await (await owner.get("/me/subscriptions?done=paused")).text());
    expect($("[role=status]").text()).toBe("The subscription is paused.");
    expect($("table.subscriptions tbody tr").text()).toContain("Paused");
    expect($(`form[action="/me/subscriptions/${id}/resume"]`)).toHaveLength(1);

    const resumed = await owner.post(`/me/subscriptions/${id}/resume`, { _csrf: csrf, back: "detail" });
    expect(resumed.headers.get("location")).toBe(`/me/subscriptions/${id}?done=resumed`);
    expect((await t.deps.store.subscriptions.get(id))?.subscription.active).toBe(true);
  });

  it("makes new feed addresses (the old ones stop) and turns the feeds off", async () => {
    const csrf = csrfOf(await (await owner.get(`/me/subscriptions/${id}`)).text());
    const first = load(
      await (await owner.post(`/me/subscriptions/${id}/feed/rotate`, { _csrf: csrf })).text(),
    );
    const second = load(
      await (await owner.post(`/me/subscriptions/${id}/feed/rotate`, { _csrf: csrf })).text(),
    );
    const oldAtom = new URL(first("a.feed-atom").attr("href") ?? "").pathname;
    const newAtom = new URL(second("a.feed-atom").attr("href") ?? "").pathname;
    expect(second("[role=status]").text()).toMatch(/new feed address/);
    expect((await t.app.request(oldAtom)).status).toBe(404);
    expect((await t.app.request(newAtom)).status).toBe(200);
    const revoked = await owner.post(`/me/subscriptions/${id}/feed/revoke`, { _csrf: csrf });
    expect(revoked.status).toBe(303);
    expect((await t.app.request(newAtom)).status).toBe(404);
    const $ = load(await (await owner.get(`/me/subscriptions/${id}?done=revoked`)).text());
    expect($("[role=status]").text()).toBe("The feeds are turned off.");
  });

  describe("editing", () => {
    /** A subscription of its own (made through the API), deleted again after these tests. */
    let editId = "";
    const editPath = () => `/me/subscriptions/${editId}/edit`;
    /** The subscription as the API returns it to its owner. */
    const viaApi = async () =>
      body<Record<string, unknown>>(
        await t.request("GET", `/api/subscriptions/${editId}`, { token: ownerToken }),
      );
    const edited = {
      ...valid,
      name: "Rengøring og vinduespolering",
      cpv: "909",
      municipalities: "",
      minValue: "1 500,5",
      channel: "webhook",
      webhookUrl: "https://hooks.example.org/jointbid",
      webhookSecret: "a-secret-of-16-chars",
      frequency: "daily",
      kind: "group-opportunities",
      digestHour: "6",
      language: "sv",
    };

    beforeAll(async () => {
      const res = await t.request("POST", "/api/subscriptions", {
        token: ownerToken,
        body: {
          name: "Rengøring i Aarhus",
          kind: "profile",
          filters: {
            cpv: ["909", "90911200"],
            countries: ["DK"],
            municipalities: ["0751"],
            stages: ["planned", "open"],
            reservedOnly: true,
          },
          channel: { type: "email", address: "alerts@example.org" },
          frequency: "daily",
          digestHour: 8,
          language: "da",
        },
      });
      expect(res.status).toBe(201);
      editId = (await body<{ subscription: { id: string } }>(res)).subscription.id;
    });
    afterAll(async () => {
      await t.request("DELETE", `/api/subscriptions/${editId}`, { token: ownerToken });
    });

    it("links to an edit page filled with the subscription's current values", async () => {
      const detail = load(await (await owner.get(`/me/subscriptions/${editId}?lang=en`)).text());
      expect(detail("a.edit").attr("href")).toBe(editPath());
      expect(detail("a.edit").text()).toBe("Edit: Rengøring i Aarhus");

      const res = await owner.get(editPath());
      expect(res.status).toBe(200);
      const $ = load(await res.text());
      expect($("h1").text()).toBe("Edit subscription");
      expect($("form.form").attr("action")).toBe(editPath());
      expect($("form.form button[type=submit]").text()).toBe("Save the changes");
      expect($("#s-name").attr("value")).toBe("Rengøring i Aarhus");
      expect($("#s-kind-profile").attr("checked")).toBeDefined();
      expect($("#s-cpv").attr("value")).toBe("909, 909112");
      expect($("#s-municipalities").attr("value")).toBe("0751");
      expect(
        $("input[name=countries]:checked")
          .map((_, el) => $(el).attr("value"))
          .get(),
      ).toEqual(["DK"]);
      expect(
        $("input[name=stages]:checked")
          .map((_, el) => $(el).attr("value"))
          .get(),
      ).toEqual(["planned", "open"]);
      expect($("#s-reservedOnly").attr("checked")).toBeDefined();
      expect($("#s-channel-email").attr("checked")).toBeDefined();
      expect($("#s-email").attr("value")).toBe("alerts@example.org");
      expect($("#s-frequency-daily").attr("checked")).toBeDefined();
      expect($("#s-digestHour option:selected").attr("value")).toBe("8");
      expect($("#s-language option:selected").attr("value")).toBe("da");
    });

    it("refuses an invalid edit with 400, errors next to the fields, what was typed kept, nothing changed", async () => {
      const before = await viaApi();
      const csrf = csrfOf(await (await owner.get(editPath())).text());
      const res = await owner.post(editPath(), {
        ...valid,
        _csrf: csrf,
        name: "",
        cpv: "909, x1",
        email: "not an address",
      });
      expect(res.status).toBe(400);
      const $ = load(await res.text());
      expect($("h1").text()).toBe("Edit subscription");
      expect($("form.form").attr("action")).toBe(editPath());
      expect($("[role=alert]").text()).toBe("Please correct the fields marked below.");
      for (const field of ["name", "cpv", "email"]) {
        expect($(`#s-${field}`).attr("aria-invalid"), field).toBe("true");
        expect($(`#s-${field}`).attr("aria-describedby"), field).toContain(`s-${field}-error`);
      }
      expect($("#s-cpv-error").text()).toMatch(/CPV codes or prefixes/);
      expect($("#s-email-error").text()).toMatch(/valid e-mail address/);
      expect($("#s-municipalities").attr("aria-invalid")).toBeUndefined();
      expect($("#s-cpv").attr("value")).toBe("909, x1");
      expect($("#s-email").attr("value")).toBe("not an address");
      expect(await viaApi()).toEqual(before);
    });

    it("saves a valid edit, which the API then returns, and goes back to the subscription", async () => {
      const before = await viaApi();
      const csrf = csrfOf(await (await owner.get(editPath())).text());
      const res = await owner.post(editPath(), [
        ...Object.entries(edited),
        ["countries", "SE"],
        ["countries", "NO"],
        ["stages", "open"],
        ["_csrf", csrf],
      ]);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/me/subscriptions/${editId}?done=updated`);

      const after = await viaApi();
      expect(after).toMatchObject({
        id: editId,
        name: "Rengøring og vinduespolering",
        kind: "group-opportunities",
        enterpriseId: "social-foodies",
        filters: {
          cpv: ["909"],
          countries: ["SE", "NO"],
          stages: ["open"],
          reservedOnly: false,
          minValue: 1500.5,
        },
        channel: { type: "webhook", url: "https://hooks.example.org/jointbid" },
        frequency: "daily",
        digestHour: 6,
        language: "sv",
        active: true,
        feed: before.feed,
        // Not on the form, so not changed by it.
        timeZone: before.timeZone,
        createdAt: before.createdAt,
      });
      expect(after.filters).not.toHaveProperty("municipalities");
      const stored = await t.deps.store.subscriptions.get(editId);
      expect(stored?.subscription.channel).toEqual({
        type: "webhook",
        url: "https://hooks.example.org/jointbid",
        secret: "a-secret-of-16-chars",
      });

      const $ = load(await (await owner.get(res.headers.get("location") ?? "")).text());
      expect($("h1").text()).toBe("Rengøring og vinduespolering");
      expect($("[role=status]").text()).toBe("The changes are saved.");
    });

    it("shows a webhook's URL but not its secret, and keeps the secret when it is left empty", async () => {
      const page = await (await owner.get(editPath())).text();
      const $ = load(page);
      expect($("#s-channel-webhook").attr("checked")).toBeDefined();
      expect($("#s-webhookUrl").attr("value")).toBe("https://hooks.example.org/jointbid");
      expect($("#s-webhookSecret").attr("value")).toBe("");
      expect(page).not.toContain("a-secret-of-16-chars");
      expect($("#s-webhookSecret-hint").text()).toMatch(/keep the current secret/);

      const csrf = csrfOf(page);
      const kept = await owner.post(editPath(), {
        ...edited,
        webhookSecret: "",
        frequency: "instant",
        _csrf: csrf,
      });
      expect(kept.status).toBe(303);
      const stored = await t.deps.store.subscriptions.get(editId);
      expect(stored?.subscription).toMatchObject({
        frequency: "instant",
        kind: "group-opportunities",
        channel: { secret: "a-secret-of-16-chars" },
      });

      // A new URL needs its secret.
      const moved = await owner.post(editPath(), {
        ...edited,
        webhookUrl: "https://elsewhere.example.org/hook",
        webhookSecret: "",
        _csrf: csrf,
      });
      expect(moved.status).toBe(400);
      expect(load(await moved.text())("#s-webhookSecret-error").text()).toMatch(/16 to 200 characters/);
      expect((await t.deps.store.subscriptions.get(editId))?.subscription.channel).toMatchObject({
        url: "https://hooks.example.org/jointbid",
      });
    });

    it("refuses to save over a change made since the form was opened, and saves on a second, deliberate try", async () => {
      const stale = await (await owner.get(editPath())).text();
      // Someone changes the subscription through the API while the form is open.
      await new Promise((r) => setTimeout(r, 5));
      const patched = await t.request("PATCH", `/api/subscriptions/${editId}`, {
        token: ownerToken,
        body: { name: "Renamed through the API" },
      });
      expect(patched.status).toBe(200);

      const res = await owner.post(editPath(), {
        ...edited,
        name: "Typed in the old form",
        _csrf: csrfOf(stale),
        seen: load(stale)("input[name=seen]").attr("value") ?? "",
      });
      expect(res.status).toBe(409);
      const page = await res.text();
      const $ = load(page);
      expect($("[role=alert]").text()).toMatch(/changed this subscription while you were editing it/);
      expect($("#s-name").attr("value")).toBe("Typed in the old form");
      expect((await viaApi())["name"]).toBe("Renamed through the API");

      // The form now carries the current version: saving again is a choice, and goes through.
      const again = await owner.post(editPath(), {
        ...edited,
        name: "Typed in the old form",
        _csrf: csrfOf(page),
        seen: $("input[name=seen]").attr("value") ?? "",
      });
      expect(again.status).toBe(303);
      expect((await viaApi())["name"]).toBe("Typed in the old form");
    });

    it("keeps the filters the form does not show (NUTS codes, set through the API)", async () => {
      const stored = await t.deps.store.subscriptions.get(editId);
      if (!stored) throw new Error("the subscription is gone");
      const { subscription } = stored;
      await t.deps.store.subscriptions.update(
        { ...subscription, filters: { ...subscription.filters, nuts: ["DK042"] } },
        stored.version,
      );
      const csrf = csrfOf(await (await owner.get(editPath())).text());
      const res = await owner.post(editPath(), {
        ...edited,
        webhookSecret: "",
        cpv: "909, 15800000",
        _csrf: csrf,
      });
      expect(res.status).toBe(303);
      expect((await viaApi()).filters).toMatchObject({ cpv: ["909", "158"], nuts: ["DK042"] });
    });

    it("lets an admin edit another account's subscription", async () => {
      const admin = await signIn("admin@example.org");
      const $ = load(await (await admin.get(editPath())).text());
      expect($("#s-name").attr("value")).toBe("Rengøring og vinduespolering");
      const res = await admin.post(editPath(), {
        ...edited,
        name: "Renamed by the admin",
        webhookSecret: "",
        _csrf: csrfOf($.html()),
      });
      expect(res.status).toBe(303);
      // Still the owner's: the owner's API sees the new name.
      expect(await viaApi()).toMatchObject({ name: "Renamed by the admin", accountId: ownerId });
    });

    it("shows another account the 404 page and saves nothing of its edit", async () => {
      const before = await viaApi();
      const page = await other.get(editPath());
      expect(page.status).toBe(404);
      expect(load(await page.text())("h1").text()).toBe("Page not found");
      const csrf = csrfOf(await (await other.get("/me/subscriptions")).text());
      const res = await other.post(editPath(), { ...edited, name: "Taken over", _csrf: csrf });
      expect(res.status).toBe(404);
      expect(await viaApi()).toEqual(before);
    });

    it("refuses an edit without a valid CSRF token or from another origin", async () => {
      const before = await viaApi();
      const csrf = csrfOf(await (await owner.get(editPath())).text());
      const missing = await owner.post(editPath(), { ...edited, name: "No token" });
      expect(missing.status).toBe(403);
      expect(await missing.text()).toContain("The form could not be sent");
      const othersToken = csrfOf(await (await other.get("/me/subscriptions")).text());
      expect(
        (await owner.post(editPath(), { ...edited, name: "Wrong token", _csrf: othersToken })).status,
      ).toBe(403);
      expect(
        (
          await owner.post(
            editPath(),
            { ...edited, name: "Evil", _csrf: csrf },
            { origin: "https://evil.example" },
          )
        ).status,
      ).toBe(403);
      expect(await viaApi()).toEqual(before);
    });
  });

  it("shows another account the 404 page and lets it act on nothing", async () => {
    const page = await other.get(`/me/subscriptions/${id}`);
    expect(page.status).toBe(404);
    expect(load(await page.text())("h1").text()).toBe("Page not found");
    const csrf = csrfOf(await (await other.get("/me/subscriptions")).text());
    for (const action of ["pause", "delete", "feed/rotate", "feed/revoke"]) {
      expect((await other.post(`/me/subscriptions/${id}/${action}`, { _csrf: csrf })).status, action).toBe(
        404,
      );
    }
    expect((await t.deps.store.subscriptions.get(id))?.subscription.active).toBe(true);
    const list = load(await (await other.get("/me/subscriptions")).text());
    expect(list("table.subscriptions")).toHaveLength(0);
  });

  it("refuses a form without a valid CSRF token or from another origin", async () => {
    const csrf = csrfOf(await (await owner.get("/me/subscriptions")).text());
    const missing = await owner.post(`/me/subscriptions/${id}/delete`, {});
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("The form could not be sent");
    const othersToken = csrfOf(await (await other.get("/me/subscriptions")).text());
    expect((await owner.post(`/me/subscriptions/${id}/delete`, { _csrf: othersToken })).status).toBe(403);
    expect(
      (
        await owner.post(
          `/me/subscriptions/${id}/delete`,
          { _csrf: csrf },
          { origin: "https://evil.example" },
        )
      ).status,
    ).toBe(403);
    expect((await owner.post("/me/subscriptions/new", { ...valid })).status).toBe(403);
    expect(await t.deps.store.subscriptions.get(id)).toBeDefined();
  });

  it("deletes", async () => {
    const csrf = csrfOf(await (await owner.get("/me/subscriptions")).text());
    const res = await owner.post(`/me/subscriptions/${id}/delete`, { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/me/subscriptions?done=deleted");
    expect(await t.deps.store.subscriptions.get(id)).toBeUndefined();
    const $ = load(await (await owner.get("/me/subscriptions?done=deleted")).text());
    expect($("[role=status]").text()).toBe("The subscription is deleted.");
    expect($("p.empty")).toHaveLength(1);
    expect((await owner.get(`/me/subscriptions/${id}`)).status).toBe(404);
  });
});
