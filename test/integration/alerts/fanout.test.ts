import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import { Enterprise } from "../../../src/domain/enterprise.js";
import type { ServiceContext } from "../../../src/services/context.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import {
  type RecordingChannel,
  account,
  allDeliveries,
  allEvents,
  recordingChannel,
  subscribe,
  tender,
} from "./support.js";

/**
 * Profile and group-opportunity alerts: planned by the delivery job from the outbox events with
 * the matching engine, one transaction per event; a group is alerted once.
 */
const AARHUS = { lat: 56.15674, lon: 10.21076 };
const T0 = "2026-10-01T08:00:00.000Z";

const enterprise = (id: string, name: string, cpv: string[]) =>
  Enterprise.parse({
    id,
    name,
    country: "DK",
    municipality: "0751",
    location: AARHUS,
    serviceRadiusKm: 50,
    cpv,
    createdAt: T0,
    updatedAt: T0,
  });

const twoLots = (extra = {}) =>
  tender({
    id: "test:two-lots",
    stage: "open",
    place: { ...AARHUS, nuts: "DK042", municipality: "0751" },
    lots: [
      { id: "L1", title: "Rengøring", cpv: ["90919300"] },
      { id: "L2", title: "Frokostordning", cpv: ["55520000"] },
    ],
    cpv: ["90919300", "55520000"],
    ...extra,
  });

let t: TestApp;
let ctx: ServiceContext;
let channel: RecordingChannel;

beforeEach(async () => {
  t = await createTestApp();
  channel = recordingChannel();
  ctx = {
    ...t.deps,
    alerts: { channels: { email: channel, webhook: channel }, baseUrl: "https://x.example" },
  };
  const list = [
    enterprise("e-clean", "Rent & Grønt ApS", ["90919000"]),
    enterprise("e-cater", "Madhuset Socialøkonomisk Virksomhed", ["55520000"]),
    enterprise("e-garden", "Have og Park A/S", ["77310000"]),
  ];
  for (const e of list) await t.deps.store.enterprises.create(e);
  await t.deps.indexer.enterprises(list);
});
afterEach(async () => t.close());

describe("fan-out to profile and group subscriptions", () => {
  it("alerts a profile subscriber who is in a suggested consortium, and not one who is not", async () => {
    const store = t.deps.store;
    const clean = await subscribe(store, await account(store, "enterprise", "e-clean"), {
      kind: "profile",
      enterpriseId: "e-clean",
    });
    const garden = await subscribe(store, await account(store, "enterprise", "e-garden"), {
      kind: "profile",
      enterpriseId: "e-garden",
    });
    const narrowed = await subscribe(store, await account(store, "enterprise", "e-cater"), {
      kind: "profile",
      enterpriseId: "e-cater",
      filters: { countries: ["SE"] },
    });
    await store.tenders.create(twoLots(), "test");
    const summary = await deliverAlerts(ctx, new Date());
    expect(summary.fanOut).toMatchObject({ events: 1, failed: 0 });
    const deliveries = await allDeliveries(store);
    expect(deliveries.map((d) => [d.subscriptionId, d.event])).toEqual([[clean.id, "tender.new"]]);
    expect(deliveries.map((d) => d.subscriptionId)).not.toContain(garden.id);
    expect(deliveries.map((d) => d.subscriptionId)).not.toContain(narrowed.id);
    expect((await allEvents(store))[0]?.expanded).toBe(true);
    expect(channel.sent).toHaveLength(1);
  });

  it("alerts a new consortium once, with its members and lots, however often the tender changes", async () => {
    const store = t.deps.store;
    const group = await subscribe(store, await account(store, "enterprise", "e-clean"), {
      kind: "group-opportunities",
      enterpriseId: "e-clean",
    });
    await store.tenders.create(twoLots(), "test");
    await deliverAlerts(ctx, new Date());
    await store.tenders.upsert(twoLots({ deadline: "2027-03-01T12:00:00Z" }), "test");
    await deliverAlerts(ctx, new Date());
    const deliveries = (await allDeliveries(store)).filter((d) => d.subscriptionId === group.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ event: "consortium.opportunity", status: "sent" });
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]?.items[0]).toMatchObject({
      event: "consortium.opportunity",
      consortium: {
        members: [
          { id: "e-cater", name: "Madhuset Socialøkonomisk Virksomhed" },
          { id: "e-clean", name: "Rent & Grønt ApS" },
        ],
        lots: ["L1", "L2"],
      },
    });
    expect((await allEvents(store)).every((e) => e.expanded)).toBe(true);
  });

  it("marks events expanded without matching when nobody has a profile or group subscription", async () => {
    const store = t.deps.store;
    await store.tenders.create(twoLots(), "test");
    const summary = await deliverAlerts(ctx, new Date());
    expect(summary.fanOut).toEqual({ events: 1, planned: 0, failed: 0 });
    expect((await allEvents(store))[0]?.expanded).toBe(true);
  });
});
