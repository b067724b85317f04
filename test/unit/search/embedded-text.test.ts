/**
 * Text matching of the embedded engine beyond the conformance suite: stemming per language,
 * folding, the typo limits (Damerau distance, 1 typo from 5 letters, 2 from 9, a first-letter
 * typo counting two), prefix search on the last word, and the ranking tiers
 * exact > stemmed > prefix/typo.
 */
import { describe, expect, it } from "vitest";
import type { TenderDoc } from "../../../src/search/documents.js";
import { createEmbeddedSearchEngine } from "../../../src/search/embedded/embedded.engine.js";
import type { SearchEngine, TenderQuery } from "../../../src/search/search.port.js";

function tender(id: string, over: Partial<TenderDoc>): TenderDoc {
  return {
    id,
    title: "",
    description: "",
    lotTitles: [],
    buyerId: "dk-0751",
    buyerName: "",
    placeName: null,
    country: "DK",
    language: "da",
    stage: "planned",
    reserved: ["none"],
    nuts: [],
    nutsPrefixes: [],
    nuts3: [],
    municipality: null,
    cpv: [],
    cpvPrefixes: [],
    cpvDivisions: [],
    cpvLabels: [],
    valueEur: null,
    valueBand: null,
    expectedDate: null,
    deadlineDate: null,
    lastChanged: 0,
    smeSuitable: null,
    vcseSuitable: null,
    _geo: null,
    ...over,
  };
}

async function engineWith(docs: TenderDoc[]): Promise<SearchEngine> {
  const engine = createEmbeddedSearchEngine();
  await engine.upsertTenders(docs);
  return engine;
}

async function ids(engine: SearchEngine, q: string, extra: Partial<TenderQuery> = {}): Promise<string[]> {
  const res = await engine.searchTenders({
    q,
    sort: "relevance",
    offset: 0,
    limit: 50,
    facets: [],
    ...extra,
  });
  return res.ids;
}

describe("embedded search: stemming", () => {
  const docs = [
    tender("da-cleaning", { title: "Rengøring af skoler", language: "da" }),
    tender("da-canteen", { title: "Drift af kantine", language: "da" }),
    tender("sv-procurement", { title: "Upphandling av städtjänster", language: "sv" }),
    tender("en-cleaning", { title: "Cleaning services for council buildings", language: "en" }),
  ];

  it("finds Danish inflections too far for typos (rengøringerne → Rengøring, kantinerne → kantine)", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "rengøringerne")).toEqual(["da-cleaning"]);
    expect(await ids(engine, "kantinerne")).toEqual(["da-canteen"]);
  });

  it("finds Swedish plurals (upphandlingarna, upphandlingar → Upphandling)", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "upphandlingarna")).toEqual(["sv-procurement"]);
    expect(await ids(engine, "upphandlingar")).toEqual(["sv-procurement"]);
  });

  it("finds English forms (cleaned → Cleaning, service → services)", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "cleaned")).toEqual(["en-cleaning"]);
    expect(await ids(engine, "service ")).toEqual(["en-cleaning"]);
  });

  it("stems the query only in the hinted language when there is a hint", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "upphandlingarna", { lang: "sv" })).toEqual(["sv-procurement"]);
    expect(await ids(engine, "upphandlingarna", { lang: "en" })).toEqual([]);
  });

  it("stems a document in its own language only", async () => {
    // "kantinerne" stems to "kantin" in Danish; an English document's "kantinerne" is left whole.
    const engine = await engineWith([tender("en-doc", { title: "Kantine", language: "en" })]);
    expect(await ids(engine, "kantinerne", { lang: "en" })).toEqual([]);
  });
});

describe("embedded search: folding", () => {
  it("matches Nordic letters and accents typed without them, and the other way round", async () => {
    const engine = await engineWith([
      tender("aeble", { title: "Æbler og pærer" }),
      tender("cafe", { title: "Café i rådhuset" }),
      tender("plain", { title: "Kooptjanst og Malmo" }),
    ]);
    expect(await ids(engine, "aebler")).toEqual(["aeble"]);
    expect(await ids(engine, "PÆRER")).toEqual(["aeble"]);
    expect(await ids(engine, "cafe radhuset")).toEqual(["cafe"]);
    expect(await ids(engine, "Kooptjänst Malmö")).toEqual(["plain"]);
  });
});

describe("embedded search: typos", () => {
  const docs = [
    tender("bord", { title: "Bord" }),
    tender("stole", { title: "Stole" }),
    tender("catering", { title: "Catering" }),
    tender("rengoring", { title: "Rengøring" }),
    tender("kantine", { title: "Kantine" }),
    tender("vinduespolering", { title: "Vinduespolering" }),
  ];

  it("allows no typo in a word of four letters", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "bort ")).toEqual([]);
    expect(await ids(engine, "bord ")).toEqual(["bord"]);
  });

  it("allows one typo from five letters, not two", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "stola ")).toEqual(["stole"]);
    expect(await ids(engine, "cataring ")).toEqual(["catering"]);
    expect(await ids(engine, "catarinq ")).toEqual([]);
  });

  it("allows two typos from nine letters, not three", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "rengarinq ")).toEqual(["rengoring"]);
    expect(await ids(engine, "rangarinq ")).toEqual([]);
  });

  it("counts a swap of two neighbouring letters as one typo (Damerau)", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "katnine ")).toEqual(["kantine"]);
  });

  it("counts a typo on the first letter as two (as Meilisearch does)", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "bantine ")).toEqual([]);
    expect(await ids(engine, "pinduespolering ")).toEqual(["vinduespolering"]);
    expect(await ids(engine, "pinduespolerinx ")).toEqual([]);
  });
});

describe("embedded search: prefix on the last word", () => {
  const docs = [tender("window", { title: "Vinduespolering" }), tender("schools", { title: "Skoler" })];

  it("matches the last word as the beginning of a word", async () => {
    const engine = await engineWith(docs);
    expect(await ids(engine, "vindues")).toEqual(["window"]);
    expect(await ids(engine, "vi")).toEqual(["window"]);
  });

  it("matches only the last word as a prefix, and not once the query ends in a space", async () => {
    const engine = await engineWith([tender("both", { title: "Vinduespolering på skoler" })]);
    expect(await ids(engine, "skoler vindues")).toEqual(["both"]);
    expect(await ids(engine, "vindues skoler")).toEqual([]);
    expect(await ids(engine, "vindues ")).toEqual([]);
  });
});

describe("embedded search: ranking", () => {
  it("ranks an exact word above its stem above a typo, whatever the field", async () => {
    const engine = await engineWith([
      tender("typo", { title: "Rengøringon af skoler" }),
      tender("stem", { title: "Rengøring af skoler" }),
      tender("exact", { title: "Skoler", description: "Rengøringen skal udføres dagligt." }),
    ]);
    expect(await ids(engine, "rengøringen ")).toEqual(["exact", "stem", "typo"]);
  });

  it("ranks a whole word above a word it only begins", async () => {
    const engine = await engineWith([
      tender("prefix", { title: "Skolemælk" }),
      tender("whole", { title: "Mælk", description: "Levering til skole" }),
    ]);
    expect(await ids(engine, "skole")).toEqual(["whole", "prefix"]);
  });

  it("ranks a title match above matches in less important fields", async () => {
    const engine = await engineWith([
      tender("description", { title: "Drift", description: "Snerydning, snerydning og atter snerydning." }),
      tender("buyer", { title: "Drift", buyerName: "Snerydning Kommune" }),
      tender("title", { title: "Snerydning" }),
    ]);
    expect(await ids(engine, "snerydning")).toEqual(["title", "buyer", "description"]);
  });

  it("breaks score ties by id, so pages are stable", async () => {
    const engine = await engineWith([
      tender("b", { title: "Catering" }),
      tender("c", { title: "Catering" }),
      tender("a", { title: "Catering" }),
    ]);
    expect(await ids(engine, "catering")).toEqual(["a", "b", "c"]);
    expect(await ids(engine, "catering", { offset: 1, limit: 1 })).toEqual(["b"]);
  });
});
