import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelResult } from "../../../src/alerts/channel.port.js";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import { DAY_MS, pruneAlerts } from "../../../src/alerts/prune.js";
import { deliveryKey } from "../../../src/alerts/schedule.js";
import { JOBS } from "../../../src/jobs/registry.js";
import { silentLogger } from "../../../src/logger.js";
import { createEmbeddedSearchEngine } from "../../../src/search/embedded/embedded.engine.js";
import { SearchIndexer } from "../../../src/search/indexer.js";
import type { ServiceContext } from "../../../src/services/context.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import type { Store } from "../../../src/store/store.js";
import { runCli } from "../../support/process.js";
import { account, allDeliveries, allEvents, recordingChannel, subscribe, tender } from "./support.js";

/**
 * Alert retention (`alerts:prune`) over a real SQLite store: old events whose deliveries are all
 * finished go, with their deliveries; anything still being delivered or not yet planned stays,
 * and a pruned group alert is not sent again.
 */
const BASE = "https://jointbid.example.org";
const T0 = new Date("2026-03-01T08:00:00.000Z");
const daysAfter = (start: Date, days: number) => new Date(start.getTime() + days * DAY_MS);

describe("alerts:prune", () => {
  let dir: string;
  let store: Store;
  let now: Date;
  let owner: string;

  /** A context whose channels answer `answer` (delivered by default). */
  const context = (answer: () => ChannelResult = () => ({ ok: true })): ServiceContext => {
    const search = createEmbeddedSearchEngine();
    const channel = recordingChannel(answer);
    return {
      store,
      search,
      indexer: new SearchIndexer(search, silentLogger),
      clock: () => now,
      logger: silentLogger,
      alerts: { channels: { email: channel, webhook: channel }, baseUrl: BASE },
    };
  };
  const deliver = (answer?: () => ChannelResult) => deliverAlerts(context(answer), now, { random: () => 1 });
  const at = async (date: Date, write: () => Promise<unknown>) => {
    now = date;
    await write();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-prune-"));
    now = T0;
    store = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
    owner = await account(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes old events whose deliveries were all sent or dead-lettered, with those deliveries", async () => {
    const cleaning = await subscribe(store, owner, { filters: { cpv: ["909"] } });
    await at(T0, () => store.tenders.create(tender({ id: "test:sent" }), "test"));
    await deliver();
    await at(daysAfter(T0, 1), () => store.tenders.create(tender({ id: "test:dead" }), "test"));
    await deliver(() => ({ ok: false, retryable: false, error: "550 no such mailbox" }));
    // Matches no subscription: an event without deliveries.
    await at(daysAfter(T0, 2), () =>
      store.tenders.create(tender({ id: "test:quiet", cpv: ["45000000"] }), "test"),
    );
    await deliver();
    expect((await allDeliveries(store)).map((d) => [d.tenderId, d.status])).toEqual([
      ["test:sent", "sent"],
      ["test:dead", "dead"],
    ]);

    now = daysAfter(T0, 120);
    const summary = await pruneAlerts(context(), now);

    expect(summary).toMatchObject({
      retentionDays: 90,
      before: daysAfter(T0, 30).toISOString(),
      events: 3,
      deliveries: 2,
      kept: { unplanned: 0, undelivered: 0 },
      complete: true,
    });
    expect(await allEvents(store)).toEqual([]);
    expect(await allDeliveries(store)).toEqual([]);
    expect((await store.alerts.bySubscription(cleaning.id, { limit: 10, offset: 0 })).total).toBe(0);
    // The tenders themselves are not touched.
    expect(await store.tenders.count()).toBe(3);
  });

  it("keeps an old event while any of its deliveries is pending, then prunes it once they are finished", async () => {
    await subscribe(store, owner, { filters: { cpv: ["909"] } });
    await subscribe(store, owner, {
      filters: { cpv: ["909"] },
      channel: { type: "webhook", url: "https://example.org/hook", secret: "0123456789abcdef" },
    });
    await at(T0, () => store.tenders.create(tender(), "test"));
    // The e-mail goes out; the webhook answers 503 and waits for a retry.
    const context503 = context();
    const failing = recordingChannel(() => ({ ok: false, retryable: true, error: "503" }));
    const ok = recordingChannel();
    context503.alerts = { channels: { email: ok, webhook: failing }, baseUrl: BASE };
    await deliverAlerts(context503, now, { random: () => 1 });
    expect((await allDeliveries(store)).map((d) => d.status).sort()).toEqual(["pending", "sent"]);

    now = daysAfter(T0, 200);
    const kept = await pruneAlerts(context(), now);
    expect(kept).toMatchObject({ events: 0, deliveries: 0, kept: { unplanned: 0, undelivered: 1 } });
    // The event and both deliveries stay: the history of the sent one is whole too.
    expect(await allEvents(store)).toHaveLength(1);
    expect(await allDeliveries(store)).toHaveLength(2);

    // The retry goes out (its window is over, so the failure makes it a dead letter).
    await deliverAlerts(context503, now, { random: () => 1 });
    expect((await allDeliveries(store)).map((d) => d.status).sort()).toEqual(["dead", "sent"]);
    const pruned = await pruneAlerts(context(), now);
    expect(pruned).toMatchObject({ events: 1, deliveries: 2, kept: { undelivered: 0 } });
    expect(await allDeliveries(store)).toEqual([]);
  });

  it("keeps events younger than the retention period, which the context or the caller sets", async () => {
    await subscribe(store, owner, { filters: { cpv: ["909"] } });
    await at(T0, () => store.tenders.create(tender({ id: "test:old" }), "test"));
    await at(daysAfter(T0, 70), () => store.tenders.create(tender({ id: "test:recent" }), "test"));
    await at(daysAfter(T0, 100), () => store.tenders.create(tender({ id: "test:today" }), "test"));
    await deliver();
    expect((await allDeliveries(store)).every((d) => d.status === "sent")).toBe(true);

    const summary = await pruneAlerts(context(), now);
    expect(summary).toMatchObject({ events: 1, deliveries: 1 });
    expect((await allEvents(store)).map((e) => e.tenderId)).toEqual(["test:recent", "test:today"]);
    expect((await allDeliveries(store)).map((d) => d.tenderId)).toEqual(["test:recent", "test:today"]);

    // ALERT_RETENTION_DAYS reaches the scheduled job through the context.
    const job = JOBS.find((j) => j.name === "alerts:prune");
    if (!job) throw new Error("alerts:prune is not registered");
    const ctx = { ...context(), alertRetentionDays: 20 };
    expect(await job.run(ctx, now)).toMatchObject({ retentionDays: 20, events: 1, deliveries: 1 });
    expect((await allEvents(store)).map((e) => e.tenderId)).toEqual(["test:today"]);
    // An explicit retention (the CLI's --days) wins over the context's.
    expect(await pruneAlerts(ctx, now, { days: 200 })).toMatchObject({ retentionDays: 200, events: 0 });
    expect(await allEvents(store)).toHaveLength(1);
  });

  it("keeps old events the delivery job has not planned yet", async () => {
    await at(T0, () => store.tenders.create(tender({ id: "test:a" }), "test"));
    await at(T0, () => store.tenders.create(tender({ id: "test:b" }), "test"));

    now = daysAfter(T0, 365);
    const summary = await pruneAlerts(context(), now);
    expect(summary).toMatchObject({ events: 0, deliveries: 0, kept: { unplanned: 2, undelivered: 0 } });
    expect((await allEvents(store)).map((e) => e.expanded)).toEqual([false, false]);

    await deliver();
    expect(await pruneAlerts(context(), now)).toMatchObject({ events: 2, kept: { unplanned: 0 } });
  });

  it("deletes in batches, one transaction each, and says when a run stopped before the end", async () => {
    for (let i = 0; i < 5; i++) {
      await at(daysAfter(T0, i), () => store.tenders.create(tender({ id: `test:t${i}` }), "test"));
    }
    await deliver();
    now = daysAfter(T0, 200);
    const first = await pruneAlerts(context(), now, { batchSize: 2, maxBatches: 2 });
    expect(first).toMatchObject({ events: 4, complete: false });
    // Oldest first: the newest of them is what is left for the next run.
    expect((await allEvents(store)).map((e) => e.tenderId)).toEqual(["test:t4"]);
    expect(await pruneAlerts(context(), now, { batchSize: 2, maxBatches: 2 })).toMatchObject({
      events: 1,
      complete: true,
    });
  });

  it("does not send a group alert again after its delivery was pruned", async () => {
    const sub = await subscribe(store, owner, {
      kind: "group-opportunities",
      enterpriseId: "ent-a",
      filters: { countries: ["SE"] },
    });
    const key = await deliveryKey(sub.id, "test:t1", "consortium.opportunity", ["ent-a", "ent-b"]);
    const group = {
      subscriptionId: sub.id,
      event: "consortium.opportunity" as const,
      idempotencyKey: key,
      nextAttemptAt: T0.toISOString(),
      payload: {
        consortium: {
          members: [
            { id: "ent-a", name: "A" },
            { id: "ent-b", name: "B" },
          ],
          lots: [],
        },
      },
    };
    // As the fan-out plans it: the new tender's event brings the group alert, which is sent.
    await at(T0, () => store.tenders.create(tender(), "test"));
    const [created] = await store.alerts.unexpanded(0, 10);
    if (!created) throw new Error("no event");
    await store.alerts.expand(created.id, [group]);
    const [claimed] = await store.alerts.claim({
      owner: "run",
      now: T0.toISOString(),
      leaseUntil: daysAfter(T0, 1).toISOString(),
      limit: 10,
    });
    if (!claimed) throw new Error("nothing to claim");
    await store.alerts.markSent([claimed.id], "run", T0.toISOString());

    now = daysAfter(T0, 100);
    expect(await pruneAlerts(context(), now)).toMatchObject({ events: 1, deliveries: 1 });

    // The tender changes later; the fan-out finds the same group and plans the same key.
    const current = await store.tenders.get("test:t1");
    if (!current) throw new Error("no tender");
    await store.tenders.replace(current, { ...current.tender, deadline: "2027-06-01T10:00:00.000Z" }, "test");
    const [changed] = await store.alerts.unexpanded(0, 10);
    if (!changed) throw new Error("the change wrote no event");
    await store.alerts.expand(changed.id, [group]);
    expect(await allDeliveries(store)).toEqual([]);
  });
});

/** `npm run --silent cli -- alerts prune [--days N] [--json]` over a SQLite file. */
describe("cli alerts prune", () => {
  let dir: string;
  let env: Record<string, string>;
  const realNow = new Date();

  /** Events at 200, 60 and 40 days ago, each with a sent delivery. */
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-prune-cli-"));
    env = { DATABASE_URL: `file:${join(dir, "cli.db")}`, MAIL_OUTBOX_DIR: join(dir, "outbox") };
    let now = realNow;
    const store = await openLibsqlStore({ url: env.DATABASE_URL ?? "", clock: () => now });
    try {
      await subscribe(store, await account(store), { filters: { cpv: ["909"] } });
      for (const age of [200, 60, 40]) {
        now = new Date(realNow.getTime() - age * DAY_MS);
        await store.tenders.create(tender({ id: `test:${age}d` }), "test");
      }
      now = realNow;
      const search = createEmbeddedSearchEngine();
      const channel = recordingChannel();
      await deliverAlerts(
        {
          store,
          search,
          indexer: new SearchIndexer(search, silentLogger),
          clock: () => now,
          logger: silentLogger,
          alerts: { channels: { email: channel, webhook: channel }, baseUrl: BASE },
        },
        now,
      );
      expect(channel.sent).toHaveLength(3);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const remaining = async () => {
    const store = await openLibsqlStore({ url: env.DATABASE_URL ?? "" });
    try {
      return {
        events: (await allEvents(store)).map((e) => e.tenderId),
        deliveries: (await allDeliveries(store)).map((d) => d.tenderId),
      };
    } finally {
      await store.close();
    }
  };

  it("refuses a bad --days or ALERT_RETENTION_DAYS with exit 2 and a clear message, deleting nothing", async () => {
    const runs = await Promise.all([
      runCli(["alerts", "prune", "--days", "0"], env),
      runCli(["alerts", "prune", "--days", "ninety"], env),
      runCli(["alerts", "prune", "--days", "1.5"], env),
      runCli(["alerts", "prune", "--days=-3"], env),
      runCli(["alerts", "prune"], { ...env, ALERT_RETENTION_DAYS: "soon" }),
    ]);
    for (const res of runs.slice(0, 4)) {
      expect(res.code, res.stdout).toBe(2);
      expect(res.stderr).toMatch(/--days takes a whole number of days/);
    }
    expect(runs[4]?.code).toBe(2);
    expect(runs[4]?.stderr).toMatch(/invalid configuration: ALERT_RETENTION_DAYS: a whole number of days/);
    expect(await remaining()).toEqual({
      events: ["test:200d", "test:60d", "test:40d"],
      deliveries: ["test:200d", "test:60d", "test:40d"],
    });
  });

  it("prints how many events and deliveries it removed, with the retention from the default, --days or the env", async () => {
    const byDefault = await runCli(["alerts", "prune"], env);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toMatch(/^alerts prune: removed 1 events and 1 deliveries older than 90 days/);
    expect(await remaining()).toEqual({
      events: ["test:60d", "test:40d"],
      deliveries: ["test:60d", "test:40d"],
    });

    const days = await runCli(["alerts", "prune", "--days", "50"], env);
    expect(days.code, days.stderr).toBe(0);
    expect(days.stdout).toMatch(/removed 1 events and 1 deliveries older than 50 days/);

    const configured = await runCli(["alerts", "prune", "--json"], { ...env, ALERT_RETENTION_DAYS: "30" });
    expect(configured.code, configured.stderr).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({
      retentionDays: 30,
      events: 1,
      deliveries: 1,
      kept: { unplanned: 0, undelivered: 0 },
      complete: true,
    });
    expect(await remaining()).toEqual({ events: [], deliveries: [] });
  });
});
