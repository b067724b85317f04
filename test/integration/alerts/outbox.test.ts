import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveryKey } from "../../../src/alerts/schedule.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import type { Store } from "../../../src/store/store.js";
import { account, allDeliveries, allEvents, subscribe, tender } from "./support.js";

/**
 * The transactional outbox: a tender write and its alert event (and the deliveries of the
 * matching filter subscriptions) are one transaction; a write that changes nothing, changes
 * nothing material, or loses a race writes none of them.
 */
describe("alert outbox in tender writes", () => {
  let dir: string;
  let store: Store;
  const now = new Date("2026-11-01T10:00:00Z");
  let owner: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-outbox-"));
    store = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
    owner = await account(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes tender.new with the tender and a delivery per matching filter subscription", async () => {
    const cleaning = await subscribe(store, owner, { filters: { cpv: ["909"], countries: ["DK"] } });
    const sweden = await subscribe(store, owner, { filters: { countries: ["SE"] } });
    await subscribe(store, owner, { filters: { q: "rengøring" }, kind: "filters" });
    await store.tenders.create(tender(), "test");
    const events = await allEvents(store);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: "tender.new",
      tenderId: "test:t1",
      version: 1,
      expanded: false,
    });
    expect(events[0]?.payload.tender.title).toBe("Rengøring af daginstitutioner");
    const deliveries = await allDeliveries(store);
    expect(deliveries).toHaveLength(2);
    expect(deliveries.map((d) => d.subscriptionId)).toContain(cleaning.id);
    expect(deliveries.map((d) => d.subscriptionId)).not.toContain(sweden.id);
    expect(deliveries[0]).toMatchObject({
      status: "pending",
      attempts: 0,
      event: "tender.new",
      version: 1,
      nextAttemptAt: now.toISOString(),
    });
    expect(deliveries.find((d) => d.subscriptionId === cleaning.id)?.idempotencyKey).toBe(
      await deliveryKey(cleaning.id, "test:t1", "tender.new", 1),
    );
  });

  it("alerts a material change with what changed, and nothing for an unchanged or immaterial write", async () => {
    await subscribe(store, owner, { filters: { cpv: ["909"] } });
    await store.tenders.upsert(tender(), "test");
    await store.tenders.upsert(tender(), "test");
    await store.tenders.upsert(tender({ title: "Rengøring af daginstitutionerne" }), "test");
    await store.tenders.upsert(tender({ description: "Typo fixed." }), "test");
    expect((await store.tenders.get("test:t1"))?.version).toBe(3);
    expect((await allEvents(store)).map((e) => e.event)).toEqual(["tender.new"]);

    await store.tenders.upsert(
      tender({ description: "Typo fixed.", deadline: "2027-01-15T12:00:00Z" }),
      "test",
    );
    const events = await allEvents(store);
    expect(events.map((e) => [e.event, e.version])).toEqual([
      ["tender.new", 1],
      ["tender.changed", 4],
    ]);
    expect(events[1]?.payload.changes).toEqual([
      { field: "deadline", from: null, to: "2027-01-15T12:00:00Z" },
    ]);
    expect((await allDeliveries(store)).map((d) => [d.event, d.version])).toEqual([
      ["tender.new", 1],
      ["tender.changed", 4],
    ]);
  });

  it("alerts a withdrawal as tender.withdrawn, also to those who follow only planned items", async () => {
    await subscribe(store, owner, { filters: { stages: ["planned"] } });
    await subscribe(store, owner, { filters: { stages: ["open"] } });
    await store.tenders.upsert(tender(), "test");
    await store.tenders.upsert(tender({ stage: "withdrawn" }), "test");
    expect((await allEvents(store)).map((e) => e.event)).toEqual(["tender.new", "tender.withdrawn"]);
    expect((await allDeliveries(store)).map((d) => d.event)).toEqual(["tender.new", "tender.withdrawn"]);
  });

  it("writes no event and no delivery for the writer that lost a race", async () => {
    await subscribe(store, owner);
    await store.tenders.upsert(tender(), "test");
    const read1 = await store.tenders.get("test:t1");
    const read2 = await store.tenders.get("test:t1");
    if (!read1 || !read2) throw new Error("not stored");
    const one = await store.tenders.replace(read1, tender({ stage: "open" }), "one");
    const two = await store.tenders.replace(read2, tender({ deadline: "2027-02-01T12:00:00Z" }), "two");
    expect(one?.version).toBe(2);
    expect(two).toBeUndefined();
    const events = await allEvents(store);
    expect(events.map((e) => [e.event, e.version, e.payload.changes?.map((c) => c.field)])).toEqual([
      ["tender.new", 1, undefined],
      ["tender.changed", 2, ["stage"]],
    ]);
    expect(await allDeliveries(store)).toHaveLength(2);
  });

  it("plans no delivery for an inactive subscription, and deactivating ends pending ones", async () => {
    const a = await subscribe(store, owner);
    const b = await subscribe(store, owner);
    expect(await store.subscriptions.deactivate(a.id)).toBe(true);
    await store.tenders.create(tender(), "test");
    const deliveries = await allDeliveries(store);
    expect(deliveries.map((d) => d.subscriptionId)).toEqual([b.id]);
    await store.subscriptions.deactivate(b.id);
    expect((await allDeliveries(store)).map((d) => [d.status, d.lastError])).toEqual([
      ["dead", "unsubscribed"],
    ]);
  });

  it("sees subscriptions another process created (the revision in the meta table)", async () => {
    const other = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
    try {
      await store.tenders.create(tender({ id: "test:before" }), "test");
      await subscribe(other, owner);
      await new Promise((r) => setTimeout(r, 1_100));
      await store.tenders.create(tender({ id: "test:after" }), "test");
      expect((await allDeliveries(store)).map((d) => d.tenderId)).toEqual(["test:after"]);
    } finally {
      await other.close();
    }
  });

  it("a deleted subscription takes its deliveries with it, and a write still succeeds", async () => {
    const a = await subscribe(store, owner);
    await store.tenders.create(tender(), "test");
    expect(await store.subscriptions.delete(a.id)).toBe(true);
    expect(await allDeliveries(store)).toEqual([]);
    await store.tenders.upsert(tender({ stage: "open" }), "test");
    expect(await allDeliveries(store)).toEqual([]);
  });
});
