import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelResult } from "../../../src/alerts/channel.port.js";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import { digestKey } from "../../../src/alerts/schedule.js";
import { silentLogger } from "../../../src/logger.js";
import { createEmbeddedSearchEngine } from "../../../src/search/embedded/embedded.engine.js";
import { SearchIndexer } from "../../../src/search/indexer.js";
import type { ServiceContext } from "../../../src/services/context.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import type { Store } from "../../../src/store/store.js";
import {
  type RecordingChannel,
  account,
  allDeliveries,
  recordingChannel,
  subscribe,
  tender,
} from "./support.js";

/**
 * The delivery job over a real SQLite store, with a recording channel and an injected clock:
 * instant messages, retries with backoff, dead letters, digests at the local hour, and claims
 * that keep two concurrent runs from sending one delivery twice.
 */
const BASE = "https://jointbid.example.org";

describe("alerts:deliver", () => {
  let dir: string;
  let store: Store;
  let now: Date;
  let owner: string;
  let email: RecordingChannel;
  let webhook: RecordingChannel;

  const context = (s: Store = store, channels = { email, webhook }): ServiceContext => {
    const search = createEmbeddedSearchEngine();
    return {
      store: s,
      search,
      indexer: new SearchIndexer(search, silentLogger),
      clock: () => now,
      logger: silentLogger,
      alerts: { channels, baseUrl: BASE },
    };
  };
  const run = (ctx = context()) => deliverAlerts(ctx, now, { random: () => 1 });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-deliver-"));
    now = new Date("2026-11-02T09:00:00.000Z");
    store = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
    owner = await account(store);
    email = recordingChannel();
    webhook = recordingChannel();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends an instant alert once, through the subscription's channel, with links and keys", async () => {
    const sub = await subscribe(store, owner, {
      filters: { cpv: ["909"] },
      channel: { type: "webhook", url: "https://example.org/hook", secret: "0123456789abcdef" },
      language: "da",
    });
    await store.tenders.create(tender(), "test");
    const summary = await run();
    expect(summary).toMatchObject({ channels: true, claimed: 1, messages: 1, sent: 1, retried: 0, dead: 0 });
    expect(email.attempts).toHaveLength(0);
    expect(webhook.sent).toHaveLength(1);
    const [message] = webhook.sent;
    const [d] = await allDeliveries(store);
    expect(message).toMatchObject({
      subscription: { id: sub.id },
      idempotencyKey: d?.idempotencyKey,
      language: "da",
      deliveredAt: now.toISOString(),
    });
    expect(message?.unsubscribeUrl).toMatch(new RegExp(`^${BASE}/api/unsubscribe\\?token=[A-Za-z0-9_-]+$`));
    expect(message?.items).toEqual([
      expect.objectContaining({
        event: "tender.new",
        version: 1,
        idempotencyKey: d?.idempotencyKey,
        link: `${BASE}/tenders/test%3At1`,
        tender: expect.objectContaining({ id: "test:t1" }),
      }),
    ]);
    expect(d).toMatchObject({ status: "sent", attempts: 1, sentAt: now.toISOString(), leaseOwner: null });
    expect(await run()).toMatchObject({ claimed: 0, sent: 0 });
    expect(webhook.sent).toHaveLength(1);
  });

  it("retries a retryable failure with a doubling backoff, then delivers", async () => {
    email = recordingChannel((_, n): ChannelResult =>
      n <= 2 ? { ok: false, retryable: true, error: "421 try later" } : { ok: true },
    );
    await subscribe(store, owner);
    await store.tenders.create(tender(), "test");
    const t0 = now.getTime();
    expect(await run()).toMatchObject({ retried: 1, sent: 0 });
    let [d] = await allDeliveries(store);
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastError: "421 try later" });
    expect(d?.nextAttemptAt).toBe(new Date(t0 + 30_000).toISOString());
    now = new Date(t0 + 20_000);
    expect(await run()).toMatchObject({ claimed: 0 });
    now = new Date(t0 + 30_000);
    expect(await run()).toMatchObject({ retried: 1 });
    [d] = await allDeliveries(store);
    expect(d?.nextAttemptAt).toBe(new Date(t0 + 90_000).toISOString());
    now = new Date(t0 + 90_000);
    expect(await run()).toMatchObject({ sent: 1 });
    [d] = await allDeliveries(store);
    expect(d).toMatchObject({ status: "sent", attempts: 3, firstAttemptAt: new Date(t0).toISOString() });
    expect(new Set(email.attempts.map((a) => a.idempotencyKey)).size).toBe(1);
  });

  it("gives up 24 hours after the first attempt: a dead letter with the last error", async () => {
    email = recordingChannel(() => ({ ok: false, retryable: true, error: "connection refused" }));
    await subscribe(store, owner);
    await store.tenders.create(tender(), "test");
    const t0 = now.getTime();
    for (let i = 0; i < 100; i++) {
      await run();
      const [d] = await allDeliveries(store);
      if (d?.status !== "pending") break;
      now = new Date(d.nextAttemptAt);
    }
    const [d] = await allDeliveries(store);
    expect(d).toMatchObject({ status: "dead", lastError: "connection refused" });
    expect(now.getTime()).toBe(t0 + 24 * 3_600_000);
    // 30 s, 1, 2, 4, … 32 min, then hourly: about 30 attempts in the day.
    expect(email.attempts.length).toBeGreaterThan(20);
    expect(email.attempts.length).toBeLessThan(40);
  });

  it("a failure that will not change is dead at once", async () => {
    email = recordingChannel(() => ({ ok: false, retryable: false, error: "550 no such mailbox" }));
    await subscribe(store, owner);
    await store.tenders.create(tender(), "test");
    expect(await run()).toMatchObject({ dead: 1, retried: 0 });
    expect((await allDeliveries(store))[0]).toMatchObject({
      status: "dead",
      attempts: 1,
      lastError: "550 no such mailbox",
    });
  });

  it("holds a daily digest until the local hour, across the clock change, and sends its items together", async () => {
    // Clocks go forward in Copenhagen on 29 March 2026: 07:00 local is then 05:00 UTC.
    now = new Date("2026-03-28T10:00:00.000Z");
    const daily = await subscribe(store, owner, {
      frequency: "daily",
      digestHour: 7,
      timeZone: "Europe/Copenhagen",
      filters: { countries: ["DK"] },
    });
    await subscribe(store, owner, { filters: { countries: ["DK"] } });
    for (const id of ["test:a", "test:b", "test:c"]) await store.tenders.create(tender({ id }), "test");
    const digestRows = (await allDeliveries(store)).filter((d) => d.subscriptionId === daily.id);
    expect(digestRows.map((d) => d.nextAttemptAt)).toEqual(Array(3).fill("2026-03-29T05:00:00.000Z"));

    expect(await run()).toMatchObject({ messages: 3, sent: 3 });
    now = new Date("2026-03-29T04:59:00.000Z");
    expect(await run()).toMatchObject({ claimed: 0 });
    now = new Date("2026-03-29T05:00:00.000Z");
    expect(await run()).toMatchObject({ claimed: 3, messages: 1, sent: 3 });
    const digest = email.sent.find((m) => m.subscription.id === daily.id);
    expect(digest?.items.map((i) => i.tender.id)).toEqual(["test:a", "test:b", "test:c"]);
    expect(digest?.idempotencyKey).toBe(await digestKey(digestRows.map((d) => d.idempotencyKey)));
  });

  it("two concurrent runs (two processes) never both send one delivery", async () => {
    const other = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
    try {
      await subscribe(store, owner);
      await subscribe(store, owner, { filters: { stages: ["planned"] } });
      for (let i = 0; i < 30; i++) await store.tenders.create(tender({ id: `test:c${i}` }), "test");
      const keys: string[] = [];
      const slow = recordingChannel(async (alert) => {
        keys.push(alert.idempotencyKey);
        await new Promise((r) => setTimeout(r, 5));
        return { ok: true };
      });
      const ctxA = context(store, { email: slow, webhook: slow });
      const ctxB = context(other, { email: slow, webhook: slow });
      const [a, b] = await Promise.all([
        deliverAlerts(ctxA, now, { batchSize: 5 }),
        deliverAlerts(ctxB, now, { batchSize: 5 }),
      ]);
      expect(a.sent + b.sent).toBe(60);
      expect(keys).toHaveLength(60);
      expect(new Set(keys).size).toBe(60);
      expect((await allDeliveries(store)).every((d) => d.status === "sent")).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("sends again, with the same key, what a crashed run sent but did not mark (at least once)", async () => {
    await subscribe(store, owner);
    await store.tenders.create(tender(), "test");
    // A run claims and sends, then dies before marking the delivery sent.
    const [claimed] = await store.alerts.claim({
      owner: "crashed-run",
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
      limit: 10,
    });
    expect(claimed).toBeDefined();
    // While its lease holds, nobody else sends it.
    expect(await run()).toMatchObject({ claimed: 0 });
    now = new Date(now.getTime() + 60_000);
    expect(await run()).toMatchObject({ claimed: 1, sent: 1 });
    expect(email.sent[0]?.idempotencyKey).toBe(claimed?.idempotencyKey);
  });

  it("does not send for a subscription that was unsubscribed, and sends nothing without channels", async () => {
    const sub = await subscribe(store, owner);
    await store.tenders.create(tender(), "test");
    const withoutChannels: ServiceContext = { ...context() };
    delete withoutChannels.alerts;
    const idle = await deliverAlerts(withoutChannels, now);
    expect(idle).toMatchObject({
      channels: false,
      sent: 0,
      note: expect.stringContaining("no alert channels"),
    });
    expect((await allDeliveries(store))[0]?.status).toBe("pending");
    await store.subscriptions.deactivate(sub.id);
    expect(await run()).toMatchObject({ claimed: 0, sent: 0 });
    expect(email.attempts).toHaveLength(0);
  });
});
