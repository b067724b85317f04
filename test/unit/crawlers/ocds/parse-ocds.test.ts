import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CrawlError } from "../../../../crawlers/errors.js";
import { type ParsedRelease, parseOcds } from "../../../../crawlers/ocds/parse-ocds.js";

const DATA = new URL("../../../../src/demo/notices/ocds/", import.meta.url);
const NOW = "2025-06-01T00:00:00Z";

function load(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, DATA), "utf8")) as unknown;
}

function read(file: string) {
  return parseOcds(load(file), { now: NOW });
}

function byOcid(items: ParsedRelease[], ocid: string): ParsedRelease {
  const found = items.find((i) => i.notice.procedureId === ocid);
  if (!found) throw new Error(`no tender for ${ocid}`);
  return found;
}

function countBy<T>(values: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

const FICTIONAL = "ocds-sample-data-fictional/";
const NO_TITLE = "the release has no tender.title: nothing to call the tender by";

describe("parseOcds: every OCDS file of the demo data", () => {
  // [file, releases or records in it, tenders, errors]
  const files: [string, number, number, { where: string; message: string }[]][] = [
    // 279 releases of 271 processes (8 ocids have two releases); all readable.
    ["uk-contracts-finder-releases.json", 279, 271, []],
    ["uk-contracts-finder-planning-releases.json", 4, 4, []],
    [`${FICTIONAL}ocds-213czf-000-00001-01-planning.json`, 1, 1, []],
    [`${FICTIONAL}ocds-213czf-000-00001-02-tender.json`, 1, 1, []],
    [`${FICTIONAL}ocds-213czf-000-00001-03-tenderAmendment.json`, 1, 1, []],
    [`${FICTIONAL}ocds-213czf-000-00001-04-award.json`, 1, 1, []],
    // The contract and implementation releases carry no tender section: alone they name nothing.
    [
      `${FICTIONAL}ocds-213czf-000-00001-05-contract.json`,
      1,
      0,
      [{ where: "release 0 (ocds-213czf-000-00001)", message: NO_TITLE }],
    ],
    [
      `${FICTIONAL}ocds-213czf-000-00001-06-implementation.json`,
      1,
      0,
      [{ where: "release 0 (ocds-213czf-000-00001)", message: NO_TITLE }],
    ],
    // The six stages together: one process, merged.
    [`${FICTIONAL}ocds-213czf-000-00001.json`, 6, 1, []],
    ["ocdskit-realdata/record-package-1-2.json", 2, 2, []],
    ["ocdskit-realdata/record-package_1.1.json", 1, 1, []],
    // Mexico City: four releases of two processes.
    ["ocdskit-realdata/release-package-1-2.json", 4, 2, []],
    // Paraguay: a contract release without tender or buyer.
    [
      "ocdskit-realdata/release-package_1.1-2.json",
      1,
      0,
      [{ where: "release 0 (ocds-03ad3f-246807)", message: NO_TITLE }],
    ],
  ];

  it.each(files)("%s: %i releases → %i tenders", (file, releases, tenders, errors) => {
    const json = load(file) as { releases?: unknown[]; records?: unknown[] };
    expect((json.releases ?? json.records)?.length).toBe(releases);
    const result = parseOcds(json, { now: NOW });
    expect(result.errors).toEqual(errors);
    expect(result.items).toHaveLength(tenders);
    expect(new Set(result.items.map((i) => i.tender.id)).size).toBe(tenders);
  });

  it("reads the UK data into the stages its tags say", () => {
    const { items } = read("uk-contracts-finder-releases.json");
    expect(countBy(items.map((i) => i.tender.stage))).toEqual({ awarded: 99, open: 168, planned: 4 });
    expect(items.every((i) => i.buyer.country === "GB" && i.tender.buyer.id.startsWith("gb-org-"))).toBe(
      true,
    );
    expect(items.every((i) => i.tender.cpv.length > 0)).toBe(true);
    // Three publishers: Contracts Finder, Public Contracts Scotland, Sell2Wales.
    expect(countBy(items.map((i) => i.notice.procedureId?.slice(0, 11)))).toEqual({
      "ocds-b5fd17": 128,
      "ocds-r6ebe6": 70,
      "ocds-kuma6s": 73,
    });
  });
});

describe("parseOcds: real UK releases, field by field", () => {
  const { items } = read("uk-contracts-finder-releases.json");

  it("an award (Contracts Finder): buyer, CPV, value, suppliers, SME/VCSE, contract period", () => {
    const { tender, buyer, notice, warnings } = byOcid(
      items,
      "ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30",
    );
    expect(tender).toMatchObject({
      id: "ocds:ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30",
      stage: "awarded",
      title: "Parking Pilot - CEO",
      language: "en",
      buyer: { id: "gb-org-london-borough-of-merton", name: "London Borough of Merton", country: "GB" },
      cpv: ["63712400"],
      lots: [{ id: "LOT-0001", title: "Parking Pilot - CEO", cpv: ["63712400"] }],
      estimatedValue: { amount: 372032, currency: "GBP" },
      deadline: "2024-12-21T12:00:00Z",
      contractPeriod: { months: 12, start: "2025-01-06", end: "2026-01-05" },
      smeSuitable: true,
      vcseSuitable: false,
      reserved: "none",
      awardedTo: [{ name: "Marstons holdings plc" }],
      sourceUrl: "https://www.contractsfinder.service.gov.uk/Notice/2a1e3359-87a0-4fdd-ac61-20d5e6520a13",
      firstSeen: NOW,
    });
    expect(buyer).toEqual({
      id: "gb-org-london-borough-of-merton",
      name: "London Borough of Merton",
      kind: "other",
      country: "GB",
      website: "http://www.merton.gov.uk/",
    });
    expect(notice).toEqual({
      id: "2a1e3359-87a0-4fdd-ac61-20d5e6520a13-819950",
      kind: "result",
      type: "award",
      publishedAt: "2025-01-23",
      procedureId: "ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30",
    });
    expect(warnings).toEqual([]);
  });

  it("an open tender suitable for VCSEs", () => {
    const { tender } = byOcid(items, "ocds-b5fd17-2fa4ddab-49ee-4631-a5eb-549c9d75fcda");
    expect(tender).toMatchObject({
      stage: "open",
      title: "Martock Recreation Ground Maintenance Contract",
      buyer: { id: "gb-org-martock-parish-council", name: "Martock Parish Council" },
      cpv: ["92000000"],
      estimatedValue: { amount: 10000, currency: "GBP" },
      deadline: "2025-03-17T10:00:00Z",
      contractPeriod: { months: 36, start: "2025-04-01", end: "2028-03-31" },
      smeSuitable: true,
      vcseSuitable: true,
    });
    expect(tender.awardedTo).toBeUndefined();
  });

  it("a planning release (early engagement)", () => {
    const { tender, notice } = byOcid(items, "ocds-b5fd17-f58cdc94-a695-404c-bd6c-718ff8c698e9");
    expect(tender).toMatchObject({
      stage: "planned",
      title: "WHPC00637 - CATERING PROVISION TO WALSALL PALLIATIVE CARE CENTRE",
      buyer: { id: "gb-org-walsall-healthcare-nhs-trust", country: "GB" },
      cpv: ["55500000"],
      smeSuitable: true,
      vcseSuitable: true,
    });
    expect(tender.estimatedValue).toBeUndefined();
    expect(notice).toMatchObject({ kind: "planning", type: "planning" });
  });

  it("a reserved contract (otherRequirements.reservedParticipation shelteredWorkshop → res-ws)", () => {
    const { tender } = byOcid(items, "ocds-r6ebe6-0000580540");
    expect(tender).toMatchObject({
      stage: "open",
      title: "Supply of Medical Aids to Fife Council Community Equipment Stores (FCES)",
      buyer: { id: "gb-org-fife-council", country: "GB" },
      reserved: "res-ws",
      cpv: ["33000000"],
      estimatedValue: { amount: 5100000, currency: "GBP" },
      place: { nuts: "UKM72" },
    });
    expect(items.filter((i) => i.tender.reserved !== "none")).toHaveLength(1);
  });

  it("lots with their items' codes after the main code of the procedure (Public Contracts Scotland)", () => {
    const { tender, warnings } = byOcid(items, "ocds-r6ebe6-0000580967");
    expect(tender.lots.map((l) => ({ id: l.id, title: l.title, cpv: l.cpv }))).toEqual([
      { id: "1", title: "Drainage", cpv: ["45112730", "45232452"] },
      { id: "2", title: "Grass Cutting", cpv: ["45112730", "45233229", "71421000"] },
    ]);
    expect(tender.cpv).toEqual(["45112730", "45232452", "45233229", "71421000"]);
    // Public Contracts Scotland leaves out the release id.
    expect(warnings).toEqual(["the release has no id; the notice is named by its ocid"]);
  });

  it("lot values, and no tender value: the tender's is their sum", () => {
    const { tender } = byOcid(items, "ocds-r6ebe6-0000567519");
    expect(tender.lots.map((l) => [l.id, l.estimatedValue?.amount])).toEqual([
      ["2", 2500000],
      ["1", 5000000],
    ]);
    expect(tender.estimatedValue).toEqual({ amount: 7500000, currency: "GBP" });
  });

  it("two releases of one ocid: the later one wins (tenderAmendment after tender), entities decoded", () => {
    const { tender, notice } = byOcid(items, "ocds-b5fd17-8f3244de-9267-4db2-95fe-089010d5aa5f");
    expect(notice).toMatchObject({ id: "dff009c9-c955-4f82-8f54-455a64c5bee0-819904", kind: "change" });
    expect(tender.title).toBe(
      "Our Lady of the Magnificat - Home to School Transport for St Bede's Catholic Middle School",
    );
    expect(tender.stage).toBe("open");
  });

  it("tells the country of buyers whose address does not, and says so", () => {
    const wales = items.filter((i) => i.notice.procedureId?.startsWith("ocds-kuma6s"));
    expect(wales.every((i) => i.buyer.country === "GB")).toBe(true);
    expect(
      wales.some((i) =>
        i.warnings.includes("the buyer's country GB is taken from the publisher (Sell2Wales)"),
      ),
    ).toBe(true);
  });
});

describe("parseOcds: the OCDS fictional sample, stage by stage", () => {
  const stage = (file: string) => {
    const { items, errors } = read(`${FICTIONAL}${file}`);
    expect(errors).toEqual([]);
    const [only] = items;
    if (!only) throw new Error("no tender");
    return only;
  };

  it("planning: planned, value from tender.value (not the wider budget), odd CPV suffixes, expected publication", () => {
    const { tender, buyer, notice } = stage("ocds-213czf-000-00001-01-planning.json");
    expect(tender).toMatchObject({
      id: "ocds:ocds-213czf-000-00001",
      stage: "planned",
      title: "Planned cycle lane improvements",
      // "45233130.0" and "45233162-2"
      cpv: ["45233130", "45233162"],
      estimatedValue: { amount: 1000000, currency: "GBP" },
      expectedPublication: { date: "2010-02-01", precision: "day" },
      contractPeriod: { months: 12, start: "2010-06-01", end: "2011-05-31" },
    });
    expect(buyer).toMatchObject({
      id: "gb-org-london-borough-of-barnet",
      name: "London Borough of Barnet",
      country: "GB",
      orgId: "E09000003",
    });
    expect(notice).toEqual({
      id: "ocds-213czf-000-00001-01-planning",
      kind: "planning",
      type: "planning",
      publishedAt: "2009-03-15",
      procedureId: "ocds-213czf-000-00001",
    });
  });

  it("tender: open with a deadline", () => {
    const { tender, notice } = stage("ocds-213czf-000-00001-02-tender.json");
    expect(tender).toMatchObject({
      stage: "open",
      estimatedValue: { amount: 1100000, currency: "GBP" },
      deadline: "2010-04-01T18:00:00Z",
    });
    expect(tender.expectedPublication).toBeUndefined();
    expect(notice.kind).toBe("competition");
  });

  it("award: awarded to the pending award's supplier", () => {
    const { tender, notice } = stage("ocds-213czf-000-00001-04-award.json");
    expect(tender.stage).toBe("awarded");
    expect(tender.awardedTo).toEqual([{ name: "AnyCorp Cycle Provision", orgId: "11111111.0" }]);
    expect(notice.kind).toBe("result");
  });

  it("the six releases together: merged, the amendment's deadline and the implementation as notice", () => {
    const { tender, notice } = stage("ocds-213czf-000-00001.json");
    expect(tender).toMatchObject({
      stage: "awarded",
      title: "Planned cycle lane improvements",
      cpv: ["45233130", "45233162"],
      deadline: "2010-04-08T18:00:00Z",
      estimatedValue: { amount: 1100000, currency: "GBP" },
      awardedTo: [{ name: "AnyCorp Cycle Provision", orgId: "11111111.0" }],
    });
    expect(notice).toMatchObject({ id: "ocds-213czf-000-00001-06-implementation", kind: "result" });
  });
});

describe("parseOcds: record packages", () => {
  it("reads the compiled release of each record", () => {
    const { items } = read("ocdskit-realdata/record-package-1-2.json");
    const first = byOcid(items, "ocds-07smqs-993235");
    expect(first.tender).toMatchObject({
      stage: "awarded",
      title: "SERVICIO DE ASESORÍA EXTERNA DE SEGUROS PARA EL INAH",
      language: "es",
      buyer: { id: "mx-org-instituto-nacional-de-antropologia-e-historia", country: "MX" },
      awardedTo: [
        { name: "GLOBAL ASSURANCE BROKERS, AGENTE DE SEGUROS Y DE FIANZAS SA DE C", orgId: "GAB0709244G5" },
      ],
    });
    expect(first.notice).toMatchObject({ kind: "other", type: "compiled" });
    expect(first.warnings).toContain(
      "the buyer's country MX is taken from the publisher (CompraNet (Mexico))",
    );
  });

  it("without a compiled release, merges the record's releases (the latest wins)", () => {
    const release = (date: string, value: number, extra: object = {}) => ({
      ocid: "ocds-abc123-1",
      id: `r-${date}`,
      date: `${date}T00:00:00Z`,
      tag: ["tender"],
      buyer: { name: "Testby Council" },
      parties: [{ id: "b", name: "Testby Council", roles: ["buyer"], address: { countryName: "Denmark" } }],
      tender: { id: "t", title: "Cleaning", value: { amount: value, currency: "DKK" }, ...extra },
      ...extra,
    });
    const { items, errors } = parseOcds(
      {
        records: [
          {
            ocid: "ocds-abc123-1",
            releases: [release("2024-03-01", 300), release("2024-01-01", 100, { language: "da" })],
          },
        ],
      },
      { now: NOW },
    );
    expect(errors).toEqual([]);
    expect(items[0]?.tender).toMatchObject({
      estimatedValue: { amount: 300, currency: "DKK" },
      language: "da",
      buyer: { id: "dk-org-testby-council", country: "DK" },
    });
    expect(items[0]?.notice.id).toBe("r-2024-03-01");
  });

  it("says so when a record only links its releases", () => {
    const { items, errors } = parseOcds(
      {
        records: [
          {
            ocid: "ocds-abc123-2",
            releases: [{ url: "https://example.org/r.json", date: "2024-01-01T00:00:00Z" }],
          },
        ],
      },
      { now: NOW },
    );
    expect(items).toEqual([]);
    expect(errors).toEqual([
      {
        where: "record 0 (ocds-abc123-2)",
        message:
          "the record has no compiledRelease and its releases are links, which this reader does not fetch",
      },
    ]);
  });
});

describe("parseOcds: malformed input", () => {
  const good = {
    ocid: "ocds-abc123-good",
    id: "1",
    date: "2025-01-01T00:00:00Z",
    tag: ["tender"],
    language: "en",
    buyer: { name: "Good Council" },
    parties: [
      { id: "g", name: "Good Council", roles: ["buyer"], address: { countryName: "United Kingdom" } },
    ],
    tender: {
      id: "t",
      title: "Window cleaning",
      items: [{ id: "1", classification: { scheme: "cpv", id: "90911300-9" } }],
      additionalClassifications: [{ scheme: "UNSPSC", id: "76111501" }],
    },
  };

  it("throws a CrawlError naming what was expected for JSON that is no OCDS", () => {
    for (const value of [null, 42, "plain text", { name: "not ocds" }, true]) {
      expect(() => parseOcds(value, { now: NOW })).toThrow(CrawlError);
    }
    expect(() => parseOcds({ foo: 1 }, { now: NOW })).toThrow(
      'not OCDS: expected an OCDS release package (an object with "releases"), a record package (an object with "records"), an array of releases or a single release (an object with "ocid"), found an object',
    );
    expect(() => parseOcds("{not json", { now: NOW })).toThrow(/^not JSON: /);
  });

  it("throws when releases or records is not an array", () => {
    expect(() => parseOcds({ releases: { 0: good } }, { now: NOW })).toThrow(
      '"releases" must be an array of releases, found an object',
    );
    expect(() => parseOcds({ records: "none" }, { now: NOW })).toThrow(
      '"records" must be an array of records, found a string',
    );
  });

  it("reports each bad release and still reads the good ones", () => {
    const { items, errors } = parseOcds(
      {
        releases: [
          good,
          "not a release",
          { ...good, ocid: undefined, id: "no-ocid" },
          { ...good, ocid: "ocds-abc123-notitle", tender: { id: "t" } },
          { ...good, ocid: "ocds-abc123-nobuyer", buyer: undefined, parties: [] },
          { ...good, ocid: "ocds-abc123-badtitle", tender: { title: "x".repeat(600) } },
        ],
      },
      { now: NOW },
    );
    expect(errors).toEqual([
      { where: "release 1", message: "a release must be an object, found a string" },
      {
        where: "release 2 (no-ocid)",
        message: "the release has no ocid: it cannot be told which process it belongs to",
      },
      { where: "release 3 (ocds-abc123-notitle)", message: NO_TITLE },
      {
        where: "release 4 (ocds-abc123-nobuyer)",
        message: "the release names no buyer (no `buyer` and no party with role buyer)",
      },
    ]);
    expect(items.map((i) => i.tender.id)).toEqual(["ocds:ocds-abc123-good", "ocds:ocds-abc123-badtitle"]);
    expect(items[0]?.tender.cpv).toEqual(["90911300"]);
    expect(items[1]?.tender.title).toHaveLength(500);
    expect(items[1]?.warnings).toContain("tender.title is longer than 500 characters; cut");
  });

  it("accepts a single release and a plain array of releases", () => {
    expect(parseOcds(good, { now: NOW }).items).toHaveLength(1);
    expect(parseOcds([good, { ...good, ocid: "ocds-abc123-other" }], { now: NOW }).items).toHaveLength(2);
  });

  it("makes a valid tender id of any ocid", () => {
    const { items } = parseOcds({ ...good, ocid: "ocds-abc123 x/y?z#1" }, { now: NOW });
    expect(items[0]?.tender.id).toBe("ocds:ocds-abc123_x_y_z_1");
  });

  it("maps stages from tags and statuses", () => {
    const stageOf = (patch: object, tender: object = {}) =>
      parseOcds({ ...good, ...patch, tender: { ...good.tender, ...tender } }, { now: NOW }).items[0]?.tender
        .stage;
    expect(stageOf({ tag: ["planningUpdate"] })).toBe("planned");
    expect(stageOf({ tag: ["tenderAmendment"] })).toBe("open");
    expect(stageOf({ tag: ["contract"] })).toBe("awarded");
    expect(stageOf({ tag: ["tenderCancellation"] })).toBe("cancelled");
    expect(stageOf({ tag: ["tender"] }, { status: "cancelled" })).toBe("cancelled");
    expect(stageOf({ tag: ["tender"] }, { status: "withdrawn" })).toBe("withdrawn");
    expect(stageOf({ tag: ["compiled"] }, { status: "active" })).toBe("open");
    expect(stageOf({ tag: ["tender"], awards: [{ id: "a", status: "active", suppliers: [] }] })).toBe(
      "awarded",
    );
  });

  it("maps reservedParticipation codes of the otherRequirements extension", () => {
    const reserved = (codes: unknown) =>
      parseOcds(
        { ...good, tender: { ...good.tender, otherRequirements: { reservedParticipation: codes } } },
        {
          now: NOW,
        },
      ).items[0]?.tender.reserved;
    expect(reserved(["shelteredWorkshop"])).toBe("res-ws");
    expect(reserved(["publicService"])).toBe("res-pub-ser");
    expect(reserved(["publicServiceMissionOrganization"])).toBe("res-pub-ser");
    expect(reserved(["somethingElse"])).toBe("unknown");
    expect(reserved([])).toBe("none");
  });

  it("never throws anything but CrawlError, whatever the JSON", () => {
    const release = fc.record(
      {
        ocid: fc.oneof(fc.string(), fc.constant("ocds-abc123-1"), fc.jsonValue()),
        id: fc.oneof(fc.string(), fc.integer()),
        date: fc.oneof(fc.constant("2025-01-01T00:00:00Z"), fc.string()),
        tag: fc.oneof(
          fc.array(fc.constantFrom("planning", "tender", "award", "compiled", "x")),
          fc.jsonValue(),
        ),
        language: fc.jsonValue(),
        buyer: fc.oneof(fc.record({ name: fc.string(), id: fc.string() }), fc.jsonValue()),
        parties: fc.oneof(
          fc.array(fc.record({ id: fc.string(), name: fc.string(), roles: fc.jsonValue() })),
          fc.jsonValue(),
        ),
        tender: fc.oneof(
          fc.record({
            title: fc.oneof(fc.string(), fc.jsonValue()),
            status: fc.oneof(fc.constantFrom("planning", "active", "cancelled"), fc.jsonValue()),
            value: fc.oneof(fc.record({ amount: fc.double(), currency: fc.string() }), fc.jsonValue()),
            items: fc.jsonValue(),
            lots: fc.oneof(
              fc.array(fc.record({ id: fc.jsonValue(), title: fc.jsonValue() })),
              fc.jsonValue(),
            ),
            tenderPeriod: fc.jsonValue(),
            contractPeriod: fc.oneof(
              fc.record({ durationInDays: fc.double(), startDate: fc.string() }),
              fc.jsonValue(),
            ),
            otherRequirements: fc.jsonValue(),
          }),
          fc.jsonValue(),
        ),
        awards: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const input = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      release,
      fc.array(release),
      fc.record({ releases: fc.oneof(fc.array(release), fc.jsonValue()) }),
      fc.record({
        records: fc.oneof(
          fc.array(fc.record({ ocid: fc.string(), compiledRelease: release })),
          fc.jsonValue(),
        ),
      }),
    );
    fc.assert(
      fc.property(input, (value) => {
        try {
          const result = parseOcds(value, { now: NOW });
          expect(Array.isArray(result.items) && Array.isArray(result.errors)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(CrawlError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
