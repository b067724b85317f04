/**
 * The worked example of "Adding a new source" in the README, step by step: try the page with
 * ingest-plan, see a column misread, try hints, declare the source with them, crawl it.
 */
import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanItem } from "../../../crawlers/plan/plan-item.js";
import { SourceConfig } from "../../../crawlers/source.js";
import { crawlSources } from "../../../src/services/crawl.service.js";
import { createTestApp, type TestApp } from "../../support/app.js";
import { runCli } from "../../support/process.js";

const PAGE = "test/fixtures/plans-example/dk-vejle-kommende-udbud.html";
const HINTS = '{"columns":{"title":["Hvad købes ind"],"expectedPublication":["Hvornår i udbud"]}}';

describe("the README's worked example: adding Vejle Kommune's plan page", () => {
  const env = { DATABASE_URL: "file:/nonexistent/never-created.db" };

  it("step 1: without hints, the date column is taken for the title", async () => {
    const res = await runCli(["ingest-plan", PAGE, "--buyer", "Vejle Kommune", "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    const items = JSON.parse(res.stdout) as PlanItem[];
    expect(items.map((i) => i.title)).toEqual(["1. kvartal 2027", "forår 2027", "uge 10 2027"]);
  });

  it("step 2: with hints for two columns, every field lands where it belongs", async () => {
    const res = await runCli(
      ["ingest-plan", PAGE, "--buyer", "Vejle Kommune", "--hints", HINTS, "--json"],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const items = JSON.parse(res.stdout) as PlanItem[];
    expect(
      items.map((i) => [i.title, i.department, i.expectedPublication?.date, i.estimatedValue?.amount]),
    ).toEqual([
      ["Frugt og grønt til dagtilbud", "Børn og Unge", "2027-01-01", 1_200_000],
      ["Grøn pleje af parker og kirkegårde", "Teknik og Miljø", "2027-03-01", 3_400_000],
      [
        "Kantinedrift på aktivitetscentre, reserveret for socialøkonomiske virksomheder",
        "Senior og Social",
        "2027-03-08",
        950_000,
      ],
    ]);
    expect(items[2]?.reservedHint?.kind).toBe("res-ws");
    expect(items[0]?.contractPeriod).toMatchObject({ months: 24, optionMonths: 24 });
  });

  describe("step 3: declared with the hints and crawled", () => {
    const server = setupServer(
      http.get("https://www.vejle.example/robots.txt", () => new HttpResponse("User-agent: *\nAllow: /\n")),
      http.get(
        "https://www.vejle.example/erhverv/kommende-udbud",
        () =>
          new HttpResponse(readFileSync(PAGE), { headers: { "content-type": "text/html; charset=utf-8" } }),
      ),
    );
    let t: TestApp;
    const declaration = SourceConfig.parse({
      id: "dk-vejle-plan",
      name: "Vejle Kommune: kommende udbud",
      kind: "plan-page",
      url: "https://www.vejle.example/erhverv/kommende-udbud",
      country: "DK",
      buyer: "dk-0630",
      hints: JSON.parse(HINTS) as unknown,
    });
    beforeAll(async () => {
      server.listen({ onUnhandledRequest: "error" });
      t = await createTestApp({
        crawler: {
          scheduled: true,
          userAgent: "jointbid/test",
          minDelayMs: 2000,
          sources: [declaration],
          fetcher: { sleep: async () => undefined },
        },
      });
    });
    afterAll(async () => {
      server.close();
      await t.close();
    });

    it("gives three planned tenders of Vejle Kommune", async () => {
      const settings = t.deps.crawler;
      if (!settings) throw new Error("no crawler");
      const summary = await crawlSources(t.deps, settings, { only: ["dk-vejle-plan"] });
      expect(summary.results[0]).toMatchObject({ status: "ok", counts: { new: 3 } });
      const tenders = await t.deps.store.tenders.byBuyer("dk-0630", ["planned"]);
      expect(tenders.map((s) => s.tender.id)).toEqual([
        "dk-vejle-plan:frugt-og-gront-til-dagtilbud",
        "dk-vejle-plan:gron-pleje-af-parker-og-kirkegarde",
        "dk-vejle-plan:kantinedrift-pa-aktivitetscentre-reserveret-for-socialokonomiske-virksomheder",
      ]);
    });
  });
});
