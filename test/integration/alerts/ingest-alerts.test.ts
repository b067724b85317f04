import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planItemsToTenders } from "../../../crawlers/plan/plan-to-tender.js";
import { PlanItem } from "../../../crawlers/plan/plan-item.js";
import { type SourceOutput, type TenderSource, SourceConfig } from "../../../crawlers/source.js";
import { runSource } from "../../../src/services/ingest.service.js";
import { NO_HTTP, type TestApp, createTestApp } from "../../support/app.js";
import { account, allDeliveries, allEvents, subscribe } from "./support.js";

/**
 * Alerts from crawls: a crawl run writes its tenders and their alert events and deliveries in
 * one batch; an item its plan stops listing is withdrawn with an alert; a planned item linked to
 * the notice that published it alerts `tender.published`.
 */
const config = SourceConfig.parse({
  id: "dk-aarhus-plan",
  name: "Aarhus Kommune: udbudsplan",
  kind: "plan-page",
  url: "https://aarhus.example/udbudsplan",
  country: "DK",
  buyer: "dk-0751",
});

const item = (title: string, extra: Partial<PlanItem> = {}) =>
  PlanItem.parse({ title, country: "DK", cpv: [], ...extra });

let t: TestApp;
let items: PlanItem[];

const source: TenderSource = {
  config,
  async read(env): Promise<SourceOutput> {
    const buyer = await env.buyer("dk-0751");
    if (!buyer) throw new Error("no buyer");
    const tenders = planItemsToTenders(items, { sourceId: config.id, buyer, now: env.now.toISOString() });
    return { notModified: false, items: tenders.map((tender) => ({ tender })), errors: [], notes: [] };
  },
};

const crawl = (s: TenderSource = source) => runSource(t.deps, s, { http: NO_HTTP, now: new Date() });

beforeEach(async () => {
  t = await createTestApp();
  items = [
    item("Rengøring af daginstitutioner", {
      expectedPublication: { date: "2026-04-01", precision: "quarter", raw: "Q2 2026" },
    }),
    item("Måltider til ældre"),
    item("Vinduespolering"),
  ];
});
afterEach(async () => t.close());

describe("alerts from crawls", () => {
  it("a crawl run writes the events and the deliveries of its tenders, once", async () => {
    const store = t.deps.store;
    const owner = await account(store);
    const aarhus = await subscribe(store, owner, { filters: { buyers: ["dk-0751"] } });
    const cleaning = await subscribe(store, owner, { filters: { q: "rengøring" } });
    const run = await crawl();
    expect(run.status).toBe("ok");
    expect((await allEvents(store)).map((e) => e.event)).toEqual(["tender.new", "tender.new", "tender.new"]);
    const deliveries = await allDeliveries(store);
    expect(deliveries.filter((d) => d.subscriptionId === aarhus.id)).toHaveLength(3);
    expect(deliveries.filter((d) => d.subscriptionId === cleaning.id).map((d) => d.tenderId)).toEqual([
      "dk-aarhus-plan:rengoring-af-daginstitutioner",
    ]);
    await crawl();
    expect(await allDeliveries(store)).toHaveLength(4);
  });

  it("an item the plan stops listing is withdrawn with a tender.withdrawn alert", async () => {
    const store = t.deps.store;
    const owner = await account(store);
    await subscribe(store, owner, { filters: { q: "vinduespolering" } });
    await crawl();
    items = items.slice(0, 2);
    await crawl();
    await crawl();
    const events = (await allEvents(store)).filter((e) => e.tenderId === "dk-aarhus-plan:vinduespolering");
    expect(events.map((e) => e.event)).toEqual(["tender.new", "tender.withdrawn"]);
    expect((await allDeliveries(store)).map((d) => d.event)).toEqual(["tender.new", "tender.withdrawn"]);
  });

  it("a planned item linked to its notice alerts tender.published (not a second tender.changed)", async () => {
    const store = t.deps.store;
    const owner = await account(store);
    const sub = await subscribe(store, owner, { filters: { q: "rengøring", stages: ["planned", "open"] } });
    await crawl();
    const notices: TenderSource = {
      config: SourceConfig.parse({
        id: "ted-test",
        name: "TED",
        kind: "ted-search",
        url: "https://api.ted.example/v3/notices/search",
        country: "DK",
        query: { countries: ["DK"] },
      }),
      async read(env) {
        const now = env.now.toISOString();
        return {
          notModified: false,
          errors: [],
          notes: [],
          items: [
            {
              buyer: {
                id: "dk-org-55133018",
                name: "Aarhus Kommune",
                kind: "municipality",
                country: "DK",
                orgId: "55133018",
              },
              tender: {
                id: "eforms:aarhus-rengoring",
                stage: "open",
                title: "Udbud af rengøringsydelser i daginstitutioner",
                description: "",
                language: "da",
                buyer: { id: "dk-org-55133018", name: "Aarhus Kommune", country: "DK" },
                reserved: "none",
                lots: [{ id: "LOT-0001", title: "Rengøring", cpv: ["90919200"] }],
                cpv: ["90919200"],
                requirements: {},
                notice: { id: "00123456-2026", kind: "competition", publishedAt: "2026-05-12" },
                firstSeen: now,
                lastChanged: now,
              },
            },
          ],
        };
      },
    };
    const run = await crawl(notices);
    expect(run.linked).toBe(1);
    const planned = "dk-aarhus-plan:rengoring-af-daginstitutioner";
    const events = (await allEvents(store)).filter((e) => e.tenderId === planned);
    expect(events.map((e) => [e.event, e.version])).toEqual([
      ["tender.new", 1],
      ["tender.published", 2],
    ]);
    expect(events[1]?.payload.publishedAs).toEqual({
      id: "eforms:aarhus-rengoring",
      title: "Udbud af rengøringsydelser i daginstitutioner",
    });
    expect(events[1]?.payload.changes?.map((c) => c.field)).toEqual(["stage"]);
    const mine = (await allDeliveries(store)).filter((d) => d.subscriptionId === sub.id);
    expect(mine.map((d) => [d.tenderId, d.event])).toEqual([
      [planned, "tender.new"],
      ["eforms:aarhus-rengoring", "tender.new"],
      [planned, "tender.published"],
    ]);
    // Linking again (a later crawl) alerts nothing more.
    await crawl(notices);
    expect((await allEvents(store)).filter((e) => e.event === "tender.published")).toHaveLength(1);
  });
});
