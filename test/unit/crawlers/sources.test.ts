import { describe, expect, it } from "vitest";
import { knownSources, validateSources } from "../../../crawlers/sources/index.js";
import { SourceConfig } from "../../../crawlers/source.js";
import { municipalities, municipalityAsBuyer } from "../../../src/domain/municipalities.js";
import { isDue } from "../../../src/services/crawl.service.js";

describe("declared sources", () => {
  it("are all valid, with unique ids, and each plan source names a known municipality", () => {
    const sources = knownSources();
    expect(sources.length).toBeGreaterThanOrEqual(5);
    const buyers = new Set(municipalities().map((m) => municipalityAsBuyer(m).id));
    for (const s of sources.filter((x) => x.kind === "plan-page" || x.kind === "plan-file")) {
      expect(buyers.has(s.buyer ?? ""), `${s.id} → ${s.buyer}`).toBe(true);
    }
  });

  it("name every problem of a bad declaration, with its file and position", () => {
    const bad = {
      "crawlers/sources/xx.json": [
        {
          id: "dk-aarhus-plan",
          name: "no buyer",
          kind: "plan-page",
          url: "https://a.example/",
          country: "DK",
        },
        { id: "Bad Id", name: "x", kind: "plan-page", url: "not a url", country: "DK", buyer: "dk-0751" },
        { id: "ted", name: "TED", kind: "ted-search", url: "https://api.ted.europa.eu/", country: "DK" },
        {
          id: "dk-aarhus-plan",
          name: "twice",
          kind: "plan-file",
          url: "https://a.example/p.csv",
          country: "DK",
          buyer: "dk-0751",
          colour: "red",
        },
      ],
      "crawlers/sources/yy.json": { not: "an array" },
    };
    let message = "";
    try {
      validateSources(bad);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain("crawlers/sources/xx.json [0] buyer: a plan source needs its buyer id");
    expect(message).toContain("crawlers/sources/xx.json [1] id:");
    expect(message).toContain("crawlers/sources/xx.json [1] url:");
    expect(message).toContain("crawlers/sources/xx.json [2] query: a TED search needs a query");
    expect(message).toContain('crawlers/sources/xx.json [3] (source): Unrecognized key: "colour"');
    expect(message).toContain("crawlers/sources/yy.json: expected an array of sources");
  });

  it("accept hints for a municipality whose page needs them, and nothing else", () => {
    const ok = SourceConfig.safeParse({
      id: "dk-vejle-plan",
      name: "Vejle Kommune",
      kind: "plan-page",
      url: "https://vejle.example/udbudsplan",
      country: "DK",
      buyer: "dk-0630",
      hints: { tableSelector: "#udbudsplan table", columns: { expectedPublication: ["Hvornår"] } },
    });
    expect(ok.success).toBe(true);
    const unknownField = SourceConfig.safeParse({
      id: "dk-vejle-plan",
      name: "Vejle Kommune",
      kind: "plan-page",
      url: "https://vejle.example/udbudsplan",
      country: "DK",
      buyer: "dk-0630",
      hints: { columns: { colour: ["Farve"] } },
    });
    expect(unknownField.success).toBe(false);
  });
});

describe("which sources the scheduled crawl visits", () => {
  const daily = SourceConfig.parse({
    id: "dk-aarhus-plan",
    name: "A",
    kind: "plan-page",
    url: "https://a.example/",
    country: "DK",
    buyer: "dk-0751",
  });
  const now = new Date("2026-11-22T10:41:00Z");
  const ran = (iso: string) => ({
    id: 1,
    sourceId: daily.id,
    startedAt: iso,
    status: "ok" as const,
    counts: { new: 0, changed: 0, unchanged: 0, withdrawn: 0, skipped: 0 },
    errors: [],
  });

  it("visits a source that never ran, and a daily one a day after its last run", () => {
    expect(isDue(daily, undefined, now)).toBe(true);
    expect(isDue(daily, ran("2026-11-21T10:41:30Z"), now)).toBe(true); // 23 h 59.5 min: within the slack
    expect(isDue(daily, ran("2026-11-22T04:41:00Z"), now)).toBe(false);
  });

  it("never visits a disabled source", () => {
    expect(isDue({ ...daily, enabled: false }, undefined, now)).toBe(false);
  });
});
