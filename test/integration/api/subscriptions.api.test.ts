/**
 * Subscriptions over HTTP: an enterprise subscribes, a matching tender published through the
 * API is delivered through its channel, the feeds follow it by token, one click unsubscribes;
 * and no account can read, change or follow another's subscription.
 */
import { load } from "cheerio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAlertsDeliver } from "../../../src/jobs/alerts.job.js";
import { body, createTestApp, type TestApp } from "../../support/app.js";
import { DOCUMENTED_SUBSCRIPTION, type RecordingChannel, recordingChannel } from "../alerts/support.js";

interface Created {
  subscription: {
    id: string;
    channel: Record<string, string>;
    active: boolean;
    timeZone: string;
    feed: boolean;
  };
  feedToken: string;
  feeds: { atom: string; ical: string };
}
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

const WEBHOOK = DOCUMENTED_SUBSCRIPTION;

describe("subscriptions API", () => {
  let t: TestApp;
  let email: RecordingChannel;
  let webhook: RecordingChannel;
  let owner: string;
  let other: string;
  let admin: string;
  let buyer: string;
  let created: Created;

  beforeAll(async () => {
    email = recordingChannel();
    webhook = recordingChannel();
    t = await createTestApp({
      alerts: { channels: { email, webhook }, baseUrl: "https://jointbid.example" },
    });
    owner = (await t.account("enterprise")).token;
    other = (await t.account("enterprise")).token;
    admin = (await t.account("admin")).token;
    buyer = (await t.account("buyer", { buyerId: "dk-0751" })).token;
    const res = await t.request("POST", "/api/subscriptions", { token: owner, body: WEBHOOK });
    expect(res.status).toBe(201);
    created = await body<Created>(res);
  });
  afterAll(() => t.close());

  it("subscribes with the body of the documentation, never shows the secret back, and gives feed URLs", () => {
    expect(created.subscription.channel).toEqual({ type: "webhook", url: "https://example.org/hook" });
    expect(created.subscription.active).toBe(true);
    expect(created.subscription.timeZone).toBe("Europe/Copenhagen");
    expect(created.feeds.atom).toBe(`http://127.0.0.1:8787/api/feeds/${created.feedToken}/atom`);
    expect(created.feedToken.length).toBeGreaterThanOrEqual(20);
  });

  it("refuses a short secret and an anonymous caller, with the error envelope", async () => {
    const short = await t.request("POST", "/api/subscriptions", {
      token: owner,
      body: { ...WEBHOOK, channel: { ...WEBHOOK.channel, secret: "short" } },
    });
    expect(short.status).toBe(400);
    expect((await body<ErrorBody>(short)).error.fields?.[0]?.path).toBe("channel.secret");
    expect((await t.request("POST", "/api/subscriptions", { body: WEBHOOK })).status).toBe(401);
    expect((await t.request("GET", "/api/subscriptions")).status).toBe(401);
  });

  it("changes only the fields a PATCH sends: pausing keeps the filters, frequency and language", async () => {
    const res = await t.request("POST", "/api/subscriptions", {
      token: owner,
      body: { ...WEBHOOK, frequency: "daily", digestHour: 6 },
    });
    const { subscription } = await body<Created>(res);
    const before = await body<Record<string, unknown>>(
      await t.request("GET", `/api/subscriptions/${subscription.id}`, { token: owner }),
    );
    const paused = await t.request("PATCH", `/api/subscriptions/${subscription.id}`, {
      token: owner,
      body: { active: false },
    });
    expect(paused.status).toBe(200);
    const after = await body<Record<string, unknown>>(
      await t.request("GET", `/api/subscriptions/${subscription.id}`, { token: owner }),
    );
    expect(after).toMatchObject({ active: false, frequency: "daily", digestHour: 6, language: "da" });
    expect(after["filters"]).toEqual(before["filters"]);
    expect(after["kind"]).toBe(before["kind"]);
    const empty = await t.request("PATCH", `/api/subscriptions/${subscription.id}`, {
      token: owner,
      body: {},
    });
    expect(empty.status).toBe(400);
    await t.request("DELETE", `/api/subscriptions/${subscription.id}`, { token: owner });
  });

  it("lets nobody else read, change, delete, test or list another account's subscription", async () => {
    const id = created.subscription.id;
    for (const [method, path, payload] of [
      ["GET", `/api/subscriptions/${id}`, undefined],
      ["PATCH", `/api/subscriptions/${id}`, { name: "taken over" }],
      ["DELETE", `/api/subscriptions/${id}`, undefined],
      ["GET", `/api/subscriptions/${id}/deliveries`, undefined],
      ["POST", `/api/subscriptions/${id}/test`, undefined],
      ["POST", `/api/subscriptions/${id}/feed-token`, undefined],
      ["DELETE", `/api/subscriptions/${id}/feed-token`, undefined],
    ] as const) {
      for (const token of [other, buyer]) {
        const res = await t.request(method, path, { token, ...(payload ? { body: payload } : {}) });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    const theirs = await body<{ items: { id: string }[] }>(
      await t.request("GET", "/api/subscriptions", { token: other }),
    );
    expect(theirs.items).toEqual([]);
    const all = await body<{ items: { id: string }[] }>(
      await t.request("GET", "/api/subscriptions", { token: admin }),
    );
    expect(all.items.map((s) => s.id)).toContain(id);
    // Still the owner's, unchanged.
    const mine = await body<{ name: string }>(
      await t.request("GET", `/api/subscriptions/${id}`, { token: owner }),
    );
    expect(mine.name).toBe(WEBHOOK.name);
  });

  it("alerts the subscriber of a matching tender a buyer publishes, once, and lists the delivery", async () => {
    const publish = (externalId: string, title: string, cpv: string) =>
      t.request("POST", "/api/tenders", {
        token: buyer,
        body: {
          externalId,
          title,
          cpv: [cpv],
          estimatedValue: { amount: 2_000_000, currency: "DKK" },
          expectedPublication: { date: "2027-04-01", precision: "quarter" },
        },
      });
    expect((await publish("rengoering-skoler", "Rengøring af skoler", "90911200")).status).toBe(201);
    expect((await publish("kantine", "Kantinedrift på rådhuset", "55512000")).status).toBe(201);

    const summary = await runAlertsDeliver(t.deps, new Date());
    expect(summary).toMatchObject({ sent: 1 });
    expect(webhook.sent).toHaveLength(1);
    expect(webhook.sent[0]?.items.map((i) => [i.event, i.tender.title])).toEqual([
      ["tender.new", "Rengøring af skoler"],
    ]);
    expect(email.sent).toHaveLength(0);
    await runAlertsDeliver(t.deps, new Date());
    expect(webhook.sent).toHaveLength(1);

    const list = await body<{
      items: { status: string; event: string; tender: { title: string } }[];
      total: number;
    }>(await t.request("GET", `/api/subscriptions/${created.subscription.id}/deliveries`, { token: owner }));
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({
      status: "sent",
      event: "tender.new",
      tender: { title: "Rengøring af skoler" },
    });
  });

  it("serves the Atom and iCal feeds by token, and a rotated token stops the old URLs", async () => {
    const atom = await t.request("GET", `/api/feeds/${created.feedToken}/atom`);
    expect(atom.status).toBe(200);
    expect(atom.headers.get("content-type")).toContain("application/atom+xml");
    const $ = load(await atom.text(), { xml: true });
    expect($("feed > entry > title").first().text()).toContain("Rengøring af skoler");
    const ical = await t.request("GET", `/api/feeds/${created.feedToken}/ical`);
    expect(ical.status).toBe(200);
    const text = await ical.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text).toContain("DTSTART;VALUE=DATE:20270401");

    const rotated = await t.request("POST", `/api/subscriptions/${created.subscription.id}/feed-token`, {
      token: owner,
    });
    const { feedToken } = await body<{ feedToken: string }>(rotated);
    expect((await t.request("GET", `/api/feeds/${created.feedToken}/atom`)).status).toBe(404);
    expect((await t.request("GET", `/api/feeds/${feedToken}/atom`)).status).toBe(200);
    expect(
      (
        await t.request("DELETE", `/api/subscriptions/${created.subscription.id}/feed-token`, {
          token: owner,
        })
      ).status,
    ).toBe(204);
    expect((await t.request("GET", `/api/feeds/${feedToken}/ical`)).status).toBe(404);
  });

  it("sends a test message through the channel on request, marked as a test", async () => {
    const res = await t.request("POST", `/api/subscriptions/${created.subscription.id}/test`, {
      token: owner,
    });
    expect(res.status).toBe(200);
    expect(await body<{ ok: boolean }>(res)).toMatchObject({ ok: true });
    const last = webhook.sent[webhook.sent.length - 1];
    expect(last?.test).toBe(true);
    expect(last?.idempotencyKey.startsWith("test-")).toBe(true);
  });

  it("unsubscribes in one click without signing in; the link's page changes nothing by itself", async () => {
    const mail = await t.request("POST", "/api/subscriptions", {
      token: other,
      body: { name: "Kantine", channel: { type: "email", address: "kantine@example.org" }, language: "sv" },
    });
    const { subscription } = await body<Created>(mail);
    const stored = await t.deps.store.subscriptions.get(subscription.id);
    const token = stored?.unsubscribeToken ?? "";
    const page = await t.request("GET", `/api/unsubscribe?token=${token}`);
    expect(page.status).toBe(200);
    expect(load(await page.text())("form[method=post] button").text()).toBe("Unsubscribe");
    expect((await t.deps.store.subscriptions.get(subscription.id))?.subscription.active).toBe(true);

    const first = await t.request("POST", `/api/unsubscribe?token=${token}`, {
      body: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(first.status).toBe(200);
    expect(await body(first)).toEqual({ subscriptionId: subscription.id, name: "Kantine", wasActive: true });
    const again = await t.request("POST", `/api/unsubscribe?token=${token}`);
    expect(await body(again)).toMatchObject({ wasActive: false });
    expect((await t.request("POST", "/api/unsubscribe?token=not-a-real-token")).status).toBe(404);
    const seen = await body<{ active: boolean }>(
      await t.request("GET", `/api/subscriptions/${subscription.id}`, { token: other }),
    );
    expect(seen.active).toBe(false);
  });

  it("deletes the owner's subscription and its deliveries", async () => {
    const id = created.subscription.id;
    expect((await t.request("DELETE", `/api/subscriptions/${id}`, { token: owner })).status).toBe(204);
    expect((await t.request("GET", `/api/subscriptions/${id}`, { token: owner })).status).toBe(404);
    expect((await t.request("GET", `/api/subscriptions/${id}/deliveries`, { token: admin })).status).toBe(
      404,
    );
  });
});
