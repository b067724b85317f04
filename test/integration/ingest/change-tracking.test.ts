import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CrawlError } from "../../../crawlers/errors.js";
import {
  type SourceConfig,
  SourceConfig as SourceConfigSchema,
  type SourceOutput,
  type TenderSource,
} from "../../../crawlers/source.js";
import { planItemsToTenders } from "../../../crawlers/plan/plan-to-tender.js";
import { PlanItem } from "../../../crawlers/plan/plan-item.js";
import type { Tender } from "../../../src/domain/tender.js";
import { runSource } from "../../../src/services/ingest.service.js";
import { NO_HTTP, body, createTestApp, type TestApp } from "../../support/app.js";

/**
 * Change tracking over repeated crawls of one plan source, with a source whose content the test
 * controls: upsert by stable id, history, withdrawal after two successful crawls without an
 * item, failed crawls that change nothing, and the plan-to-notice link.
 */
const config: SourceConfig = SourceConfigSchema.parse({
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
let content: { items: PlanItem[]; fail?: CrawlError; rowErrors?: number };

const source: TenderSource = {
  config,
  async read(env): Promise<SourceOutput> {
    if (content.fail) throw content.fail;
    const buyer = await env.buyer("dk-0751");
    if (!buyer) throw new Error("no buyer");
    const tenders = planItemsToTenders(content.items, {
      sourceId: config.id,
      buyer,
      now: env.now.toISOString(),
    });
    return {
      notModified: false,
      items: tenders.map((tender) => ({ tender })),
      errors: Array.from({ length: content.rowErrors ?? 0 }, (_, i) => ({
        kind: "parse",
        message: "row has no title",
        where: `table 1, row ${i + 9}`,
      })),
      notes: [],
    };
  },
};

const crawl = () =>
  runSource(t.deps, source, {
    http: NO_HTTP,
    now: new Date(),
  });

const stored = async (id: string): Promise<Tender | undefined> =>
  (await t.deps.store.tenders.get(id))?.tender;

beforeEach(async () => {
  t = await createTestApp();
  content = {
    items: [
      item("Rengøring af daginstitutioner", {
        expectedPublication: { date: "2026-04-01", precision: "quarter", raw: "Q2 2026" },
        estimatedValue: { amount: 4_500_000, currency: "DKK", raw: "ca. 4,5 mio. kr." },
      }),
      item("Måltider til ældre", { department: "Sundhed og Omsorg" }),
      item("Vinduespolering"),
    ],
  };
});
afterEach(async () => t.close());

describe("crawling a plan source again and again", () => {
  it("creates each item once and a second identical crawl changes nothing", async () => {
    const first = await crawl();
    expect(first).toMatchObject({ status: "ok", counts: { new: 3, changed: 0, unchanged: 0, withdrawn: 0 } });
    const second = await crawl();
    expect(second).toMatchObject({
      status: "ok",
      counts: { new: 0, changed: 0, unchanged: 3, withdrawn: 0 },
    });
    expect(await t.deps.store.tenders.count()).toBe(3);
    const cleaning = await stored("dk-aarhus-plan:rengoring-af-daginstitutioner");
    expect(cleaning).toMatchObject({
      stage: "planned",
      buyer: { id: "dk-0751" },
      estimatedValue: { amount: 4_500_000 },
    });
    expect(await t.deps.store.tenders.history("dk-aarhus-plan:rengoring-af-daginstitutioner")).toEqual([]);
  });

  it("keeps the previous version in the history when an item changes", async () => {
    await crawl();
    content.items[0] = item("Rengøring af daginstitutioner", {
      expectedPublication: { date: "2026-07-01", precision: "quarter", raw: "Q3 2026" },
      estimatedValue: { amount: 5_000_000, currency: "DKK", raw: "5 mio. kr." },
    });
    const run = await crawl();
    expect(run.counts).toMatchObject({ new: 0, changed: 1, unchanged: 2 });
    const history = await t.deps.store.tenders.history("dk-aarhus-plan:rengoring-af-daginstitutioner");
    expect(history).toHaveLength(1);
    expect(history[0]?.source).toBe("dk-aarhus-plan");
    expect(history[0]?.changes.map((c) => c.field)).toEqual(["estimatedValue", "expectedPublication"]);
    expect(history[0]?.previous.expectedPublication?.raw).toBe("Q2 2026");
  });

  it("withdraws an item only after two successful crawls without it, never deletes it, and brings it back", async () => {
    await crawl();
    const id = "dk-aarhus-plan:vinduespolering";
    content.items = content.items.slice(0, 2);
    expect((await crawl()).counts.withdrawn).toBe(0);
    expect((await stored(id))?.stage).toBe("planned");
    expect((await crawl()).counts.withdrawn).toBe(1);
    expect((await stored(id))?.stage).toBe("withdrawn");
    expect((await crawl()).counts.withdrawn).toBe(0); // withdrawn once, not again
    expect(await t.deps.store.tenders.count()).toBe(3);
    const history = await t.deps.store.tenders.history(id);
    expect(history.at(-1)?.changes).toEqual([{ field: "stage", from: "planned", to: "withdrawn" }]);

    content.items.push(item("Vinduespolering"));
    const back = await crawl();
    expect(back.counts.changed).toBe(1);
    expect((await stored(id))?.stage).toBe("planned");
  });

  it("a failed crawl changes nothing and does not count as a crawl without the items", async () => {
    await crawl();
    content.items = [];
    content.fail = new CrawlError("timeout", "no answer from aarhus.example within 20 s", {
      url: config.url,
    });
    for (let i = 0; i < 3; i++) {
      const run = await crawl();
      expect(run.status).toBe("failed");
      expect(run.errors).toEqual([
        { kind: "timeout", message: "no answer from aarhus.example within 20 s", url: config.url },
      ]);
    }
    const all = await t.deps.store.tenders.page(undefined, 10);
    expect(all.map((x) => x.stage)).toEqual(["planned", "planned", "planned"]);
    const runs = await t.deps.store.sources.runs(config.id);
    expect(runs.map((r) => r.status)).toEqual(["failed", "failed", "failed", "ok"]);
  });

  it("a crawl with unreadable rows saves the rest but withdraws nothing", async () => {
    await crawl();
    content.items = content.items.slice(0, 1);
    content.rowErrors = 2;
    for (let i = 0; i < 2; i++) {
      const run = await crawl();
      expect(run).toMatchObject({ status: "partial", counts: { unchanged: 1, skipped: 2, withdrawn: 0 } });
    }
    expect((await stored("dk-aarhus-plan:vinduespolering"))?.stage).toBe("planned");
  });

  it("writes nothing of a crawl when the store fails half-way through it", async () => {
    await crawl();
    content.items[0] = item("Rengøring af daginstitutioner", { description: "Ny beskrivelse" });
    content.items.push(item("Snerydning"));
    const db = t.deps.store.db;
    const batch = db.batch.bind(db);
    let calls = 0;
    db.batch = ((statements: Parameters<typeof batch>[0]) => {
      calls++;
      if (calls === 1) return Promise.reject(new Error("disk I/O error"));
      return batch(statements);
    }) as unknown as typeof db.batch;
    const run = await crawl();
    db.batch = batch;
    expect(run.status).toBe("failed");
    expect(run.errors[0]).toMatchObject({ kind: "internal", message: "disk I/O error" });
    expect(await t.deps.store.tenders.count()).toBe(3);
    expect((await stored("dk-aarhus-plan:rengoring-af-daginstitutioner"))?.description).toBe("");
    expect(await t.deps.store.tenders.history("dk-aarhus-plan:rengoring-af-daginstitutioner")).toEqual([]);
    const again = await crawl();
    expect(again.counts).toMatchObject({ new: 1, changed: 1 });
  });

  it("gives two items of the same title in different departments different ids", async () => {
    content.items = [
      item("Rengøring", { department: "Børn og Unge" }),
      item("Rengøring", { department: "Sundhed og Omsorg" }),
    ];
    await crawl();
    expect((await t.deps.store.tenders.page(undefined, 10)).map((x) => x.id)).toEqual([
      "dk-aarhus-plan:rengoring.born-og-unge",
      "dk-aarhus-plan:rengoring.sundhed-og-omsorg",
    ]);
  });
});

describe("a planned item meets the notice that publishes it", () => {
  it("links them, moves the planned item on, and shows the link on both", async () => {
    await crawl();
    const noticeSource: TenderSource = {
      config: SourceConfigSchema.parse({
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
                id: "eforms:3d0c5a8e-aarhus-rengoring",
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
    const run = await runSource(t.deps, noticeSource, {
      http: NO_HTTP,
      now: new Date(),
    });
    expect(run.linked).toBe(1);
    const notice = await stored("eforms:3d0c5a8e-aarhus-rengoring");
    expect(notice?.buyer.id).toBe("dk-0751"); // filed under the known municipality
    const planned = await stored("dk-aarhus-plan:rengoring-af-daginstitutioner");
    expect(planned?.stage).toBe("open");

    const res = await t.request("GET", "/api/tenders/dk-aarhus-plan:rengoring-af-daginstitutioner");
    const detail = await body<{
      links: { publishedAs: { tenderId: string; reason: string }[] };
      history: { source: string }[];
    }>(res);
    expect(detail.links.publishedAs.map((l) => l.tenderId)).toEqual(["eforms:3d0c5a8e-aarhus-rengoring"]);
    expect(detail.history.at(-1)?.source).toBe("link:eforms:3d0c5a8e-aarhus-rengoring");
    const other = await body<{ links: { plannedAs: { tenderId: string }[] } }>(
      await t.request("GET", "/api/tenders/eforms:3d0c5a8e-aarhus-rengoring"),
    );
    expect(other.links.plannedAs.map((l) => l.tenderId)).toEqual([
      "dk-aarhus-plan:rengoring-af-daginstitutioner",
    ]);

    // The plan still lists the item: a new crawl does not move it back to planned.
    const again = await crawl();
    expect(again.counts.changed).toBe(0);
    expect((await stored("dk-aarhus-plan:rengoring-af-daginstitutioner"))?.stage).toBe("open");
  });
});
