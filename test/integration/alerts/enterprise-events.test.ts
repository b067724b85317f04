import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import { describeItem, contextOf, itemTextLines } from "../../../src/alerts/email/alert-format.js";
import { DAY_MS, pruneAlerts } from "../../../src/alerts/prune.js";
import { Enterprise } from "../../../src/domain/enterprise.js";
import type { Subscription } from "../../../src/domain/subscription.js";
import type { ServiceContext } from "../../../src/services/context.js";
import { saveEnterprise } from "../../../src/services/enterprises.service.js";
import * as schema from "../../../src/store/schema.js";
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
 * Group opportunities made by an enterprise: a consortium becomes newly feasible when a partner
 * registers or changes what matching reads. The enterprise write records an event in its own
 * transaction; the delivery job plans the group alerts from it with the tender path's keys.
 */
const AARHUS = { lat: 56.15674, lon: 10.21076 };
const STOCKHOLM = { lat: 59.32932, lon: 18.06858 };
const T0 = "2026-10-01T08:00:00.000Z";

const CLEANER = Enterprise.parse({
  id: "e-clean",
  name: "Rent & Grønt ApS",
  country: "DK",
  municipality: "0751",
  location: AARHUS,
  serviceRadiusKm: 50,
  cpv: ["90919000"],
  createdAt: T0,
  updatedAt: T0,
});

/** The other half of the work: catering, within reach of Aarhus. */
const CATERER = {
  id: "e-cater",
  name: "Madhuset Socialøkonomisk Virksomhed",
  country: "DK",
  municipality: "0751",
  location: AARHUS,
  serviceRadiusKm: 50,
  cpv: ["55520000"],
  description: "Frokostordninger til daginstitutioner.",
};

/** An open tender with two lots: cleaning (which the cleaner covers) and catering. */
const twoLots = () =>
  tender({
    id: "test:two-lots",
    stage: "open",
    place: { ...AARHUS, nuts: "DK042", municipality: "0751" },
    lots: [
      { id: "L1", title: "Rengøring", cpv: ["90919300"] },
      { id: "L2", title: "Frokostordning", cpv: ["55520000"] },
    ],
    cpv: ["90919300", "55520000"],
  });

let t: TestApp;
let ctx: ServiceContext;
let channel: RecordingChannel;
let now: Date;

beforeEach(async () => {
  now = new Date("2026-11-02T09:00:00.000Z");
  t = await createTestApp({ now: () => now });
  channel = recordingChannel();
  ctx = {
    ...t.deps,
    alerts: { channels: { email: channel, webhook: channel }, baseUrl: "https://x.example" },
  };
  await t.deps.store.enterprises.create(CLEANER);
  await t.deps.indexer.enterprises([CLEANER]);
});
afterEach(async () => t.close());

const run = () => deliverAlerts(ctx, now);

/** The cleaner's group-opportunities subscription. */
async function cleanerSubscribes(filters: Record<string, unknown> = {}): Promise<Subscription> {
  const store = t.deps.store;
  return subscribe(store, await account(store, "enterprise", "e-clean"), {
    kind: "group-opportunities",
    enterpriseId: "e-clean",
    filters,
  });
}

/** The caterer registers through the API, as an enterprise account does. */
async function catererRegisters(extra: Record<string, unknown> = {}): Promise<string> {
  const { token } = await t.account("enterprise");
  const res = await t.request("POST", "/api/enterprises", { token, body: { ...CATERER, ...extra } });
  expect(res.status, await res.clone().text()).toBe(201);
  return token;
}

async function patchCaterer(token: string, patch: Record<string, unknown>): Promise<void> {
  const res = await t.request("PATCH", "/api/enterprises/e-cater", { token, body: patch });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Stores the tender and indexes it, as the tender service and ingestion do. */
async function createTender(): Promise<void> {
  const created = await t.deps.store.tenders.create(twoLots(), "test");
  await t.deps.indexer.tenders([created.tender]);
}

async function enterpriseEvents() {
  return t.deps.store.db.select().from(schema.enterpriseEvents).orderBy(schema.enterpriseEvents.id);
}

async function deliveriesOf(sub: Subscription) {
  return (await allDeliveries(t.deps.store)).filter((d) => d.subscriptionId === sub.id);
}

describe("group opportunities made by a new or changed enterprise", () => {
  it("alerts the subscriber once, naming both members, when a partner covering the other half registers", async () => {
    const sub = await cleanerSubscribes();
    await createTender();
    await run();
    expect(await deliveriesOf(sub)).toEqual([]);
    expect(channel.sent).toEqual([]);

    await catererRegisters();
    const summary = await run();

    expect(summary.enterpriseFanOut).toMatchObject({ events: 1, planned: 1, failed: 0 });
    const deliveries = await deliveriesOf(sub);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      event: "consortium.opportunity",
      tenderId: "test:two-lots",
      status: "sent",
    });
    expect(channel.sent).toHaveLength(1);
    const alert = channel.sent[0];
    expect(alert?.subscription.id).toBe(sub.id);
    expect(alert?.items).toHaveLength(1);
    const item = alert?.items[0];
    expect(item).toMatchObject({
      event: "consortium.opportunity",
      idempotencyKey: deliveries[0]?.idempotencyKey,
      link: "https://x.example/tenders/test%3Atwo-lots",
      tender: { id: "test:two-lots" },
      consortium: {
        members: [
          { id: "e-cater", name: "Madhuset Socialøkonomisk Virksomhed" },
          { id: "e-clean", name: "Rent & Grønt ApS" },
        ],
        lots: ["L1", "L2"],
        joined: { id: "e-cater", name: "Madhuset Socialøkonomisk Virksomhed", reason: "registered" },
      },
    });
    // What the subscriber reads.
    if (!item) throw new Error("no item");
    const lines = itemTextLines(describeItem(item, contextOf(sub)));
    expect(lines).toContain("You and Madhuset Socialøkonomisk Virksomhed together cover both lots.");
    expect(lines).toContain("Madhuset Socialøkonomisk Virksomhed has just registered on jointbid.");
    expect((await enterpriseEvents()).every((e) => e.expanded)).toBe(true);
  });

  it("records and sends nothing more when the partner is saved unchanged or changes only its description", async () => {
    const sub = await cleanerSubscribes();
    await createTender();
    const token = await catererRegisters();
    await run();
    expect(channel.sent).toHaveLength(1);
    const events = (await enterpriseEvents()).length;

    await patchCaterer(token, { cpv: CATERER.cpv, location: AARHUS, serviceRadiusKm: 50 });
    await patchCaterer(token, { description: "Økologiske frokostordninger og kantinedrift." });
    const found = await t.deps.store.enterprises.get("e-cater");
    if (!found) throw new Error("no caterer");
    expect(found.enterprise.description).toBe("Økologiske frokostordninger og kantinedrift.");
    expect(await saveEnterprise(ctx, found.enterprise)).toBe("unchanged");
    const summary = await run();

    expect(await enterpriseEvents()).toHaveLength(events);
    expect(summary.enterpriseFanOut).toMatchObject({ events: 0, planned: 0 });
    expect(await deliveriesOf(sub)).toHaveLength(1);
    expect(channel.sent).toHaveLength(1);
  });

  it("alerts when a change of a matching field brings the partner within reach", async () => {
    const sub = await cleanerSubscribes();
    await createTender();
    const token = await catererRegisters({ location: STOCKHOLM, municipality: "0180", serviceRadiusKm: 50 });
    await run();
    expect(await deliveriesOf(sub)).toEqual([]);

    await patchCaterer(token, { serviceRadiusKm: 1000 });
    await run();

    const deliveries = await deliveriesOf(sub);
    expect(deliveries).toHaveLength(1);
    expect(channel.sent[0]?.items[0]?.consortium).toMatchObject({
      members: [{ id: "e-cater" }, { id: "e-clean" }],
      joined: { id: "e-cater", reason: "updated" },
    });
    const changed = (await enterpriseEvents()).filter((e) => e.event === "enterprise.changed");
    expect(changed.map((e) => e.fields)).toEqual([["serviceRadiusKm"]]);
  });

  it("plans an enterprise event planned twice (a run that died before marking it) into one alert", async () => {
    const sub = await cleanerSubscribes();
    await createTender();
    await run();
    await catererRegisters();
    await run();
    // As if the event had not been marked expanded: planned again, by the next run.
    await t.deps.store.db.update(schema.enterpriseEvents).set({ expanded: false });
    const again = await run();

    expect(again.enterpriseFanOut.events).toBe(2);
    expect(await deliveriesOf(sub)).toHaveLength(1);
    expect(channel.sent).toHaveLength(1);
    const opportunityEvents = (await allEvents(t.deps.store)).filter(
      (e) => e.event === "consortium.opportunity",
    );
    expect(opportunityEvents).toHaveLength(1);
  });

  it("does not alert again a group the tender event already alerted, and the tender path still alerts", async () => {
    const sub = await cleanerSubscribes();
    const token = await catererRegisters();
    await run();
    expect(channel.sent).toEqual([]);

    await createTender();
    await run();
    expect(channel.sent).toHaveLength(1);
    const first = channel.sent[0]?.items[0];
    expect(first?.event).toBe("consortium.opportunity");
    expect(first?.consortium?.members.map((m) => m.id)).toEqual(["e-cater", "e-clean"]);
    expect(first?.consortium?.joined).toBeUndefined();

    await patchCaterer(token, { annualTurnover: 2_000_000, currency: "DKK" });
    const summary = await run();
    expect(summary.enterpriseFanOut).toMatchObject({ events: 1, planned: 1 });
    expect(await deliveriesOf(sub)).toHaveLength(1);
    expect(channel.sent).toHaveLength(1);
  });

  it("does not send again a group whose alert was pruned", async () => {
    const sub = await cleanerSubscribes();
    await createTender();
    const token = await catererRegisters();
    await run();
    expect(channel.sent).toHaveLength(1);

    now = new Date(now.getTime() + 3 * DAY_MS);
    const pruned = await pruneAlerts(ctx, now, { days: 1 });
    expect(pruned).toMatchObject({ deliveries: 1, enterpriseEvents: 2 });
    expect(await deliveriesOf(sub)).toEqual([]);

    await patchCaterer(token, { employees: 12 });
    await run();
    expect(await deliveriesOf(sub)).toEqual([]);
    expect(channel.sent).toHaveLength(1);
  });

  it("respects the subscription's filters, and tells a subscriber whose own profile made the group", async () => {
    const elsewhere = await cleanerSubscribes({ countries: ["SE"] });
    const store = t.deps.store;
    const own = await subscribe(store, await account(store, "enterprise", "e-cater"), {
      kind: "group-opportunities",
      enterpriseId: "e-cater",
    });
    await createTender();
    await run();
    await catererRegisters();
    await run();

    expect(await deliveriesOf(elsewhere)).toEqual([]);
    expect(await deliveriesOf(own)).toHaveLength(1);
    const item = channel.sent.find((a) => a.subscription.id === own.id)?.items[0];
    if (!item) throw new Error("no alert for the caterer");
    const lines = itemTextLines(describeItem(item, contextOf(own)));
    expect(lines).toContain("You and Rent & Grønt ApS together cover both lots.");
    expect(lines).toContain("Your new profile makes this group possible.");
  });
});
