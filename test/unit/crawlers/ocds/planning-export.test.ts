import { describe, expect, it } from "vitest";
import { parseOcds } from "../../../../crawlers/ocds/parse-ocds.js";
import type { Buyer } from "../../../../src/domain/buyer.js";
import { municipality, municipalityAsBuyer } from "../../../../src/domain/municipalities.js";
import { type Tender, tenderFromInput } from "../../../../src/domain/tender.js";
import { LOTS_EXTENSION_URL, OTHER_REQUIREMENTS_EXTENSION_URL } from "../../../../src/ocds/ocds-codes.js";
import { ocidOf, planningReleasePackage, procurementCategory } from "../../../../src/ocds/planning-export.js";
import { releasePackageProblems } from "./ocds-schema.js";

const NOW = "2026-05-01T10:00:00.000Z";
const OPTIONS = { publisherName: "jointbid", baseUrl: "https://jointbid.example/", now: NOW };

function danishMunicipality(code: string): Buyer {
  const m = municipality("DK", code);
  if (!m) throw new Error(`municipality ${code} missing from the reference data`);
  return municipalityAsBuyer(m);
}

function multiLot(buyer: Buyer): Tender {
  return tenderFromInput(
    {
      externalId: "rengoering-2027",
      stage: "planned",
      title: "Rengøring af daginstitutioner",
      description: "Daglig rengøring i tre delaftaler.",
      reserved: "none",
      lots: [
        {
          id: "LOT-0001",
          title: "Delaftale 1: Nord",
          cpv: ["90911200"],
          estimatedValue: { amount: 6e6, currency: "DKK" },
        },
        { id: "LOT-0002", title: "Delaftale 2: Syd", cpv: ["90911200", "90919200"], reserved: "res-ws" },
        { id: "LOT-0003", title: "Delaftale 3: Vest", cpv: [] },
      ],
      estimatedValue: { amount: 18_000_000, currency: "DKK", raw: "ca. 18 mio. kr." },
      expectedPublication: { date: "2027-04-01", precision: "quarter", raw: "Q2 2027" },
      contractPeriod: { months: 24, optionMonths: 24 },
      requirements: {},
    },
    { id: "api:dk-0751.rengoering-2027", buyer, now: "2026-04-20T08:00:00.000Z" },
  );
}

function singleLot(buyer: Buyer, stage: Tender["stage"] = "planned"): Tender {
  return tenderFromInput(
    {
      externalId: "kantine-2027",
      stage,
      title: "Kantinedrift i Brabrand",
      reserved: "res-ws",
      cpv: ["55512000-2"],
      estimatedValue: { amount: 3_000_000, currency: "DKK" },
      contractPeriod: { months: 36 },
    },
    { id: `demo:kantine-${stage}`, buyer, now: "2026-04-21T08:00:00.000Z" },
  );
}

describe("planningReleasePackage", () => {
  const buyer = danishMunicipality("0751");

  it("writes a multi-lot tender with the lots extension, valid against the OCDS 1.1 schema", () => {
    const pkg = planningReleasePackage([multiLot(buyer)], buyer, OPTIONS);
    expect(releasePackageProblems(pkg)).toEqual([]);
    expect(pkg).toMatchObject({
      uri: "https://jointbid.example/api/ocds/planning?buyer=dk-0751",
      version: "1.1",
      publishedDate: "2026-04-20T08:00:00.000Z",
      publisher: { name: "jointbid" },
      extensions: [LOTS_EXTENSION_URL, OTHER_REQUIREMENTS_EXTENSION_URL],
    });
    const [release] = pkg.releases;
    expect(release).toMatchObject({
      ocid: "ocds-jntbd0-api-dk-0751-rengoering-2027",
      date: "2026-04-20T08:00:00.000Z",
      tag: ["planning"],
      initiationType: "tender",
      language: "da",
      buyer: { id: "dk-0751", name: buyer.name },
      parties: [
        {
          id: "dk-0751",
          roles: ["buyer"],
          identifier: { scheme: "DK-CVR", id: buyer.orgId },
          address: { countryName: "Denmark" },
        },
      ],
      planning: { budget: { amount: { amount: 18_000_000, currency: "DKK" } } },
      tender: {
        id: "api:dk-0751.rengoering-2027",
        title: "Rengøring af daginstitutioner",
        status: "planned",
        value: { amount: 18_000_000, currency: "DKK" },
        mainProcurementCategory: "services",
        tenderPeriod: { startDate: "2027-04-01T00:00:00Z" },
        contractPeriod: { durationInDays: 731 },
        lots: [
          {
            id: "LOT-0001",
            title: "Delaftale 1: Nord",
            status: "planned",
            value: { amount: 6e6, currency: "DKK" },
          },
          {
            id: "LOT-0002",
            title: "Delaftale 2: Syd",
            otherRequirements: { reservedParticipation: ["shelteredWorkshop"] },
          },
          { id: "LOT-0003", title: "Delaftale 3: Vest" },
        ],
        items: [
          {
            id: "LOT-0001-90911200",
            relatedLot: "LOT-0001",
            classification: { scheme: "CPV", id: "90911200", description: "Building-cleaning services" },
          },
          {
            id: "LOT-0002-90911200",
            relatedLot: "LOT-0002",
            classification: { scheme: "CPV", id: "90911200" },
          },
          {
            id: "LOT-0002-90919200",
            relatedLot: "LOT-0002",
            classification: { scheme: "CPV", id: "90919200" },
          },
        ],
      },
    });
    expect(release?.id).toMatch(/^ocds-jntbd0-api-dk-0751-rengoering-2027-[0-9a-f]{16}$/);
    // The validator is not vacuous: a closed codelist and a date-time are checked.
    const broken = { ...release, date: "soon", tender: { ...(release?.tender ?? {}), status: "dreaming" } };
    expect(releasePackageProblems({ ...pkg, releases: [broken] })).toEqual(
      expect.arrayContaining([
        '/releases/0/date must match format "date-time"',
        "/releases/0/tender/status must be equal to one of the allowed values",
      ]),
    );
  });

  it("keeps only the buyer's planned tenders; a single lot needs no lots extension", () => {
    const other = danishMunicipality("0730");
    const tenders = [singleLot(buyer), singleLot(buyer, "open"), singleLot(other)];
    const pkg = planningReleasePackage(tenders, buyer, OPTIONS);
    expect(releasePackageProblems(pkg)).toEqual([]);
    expect(pkg.releases.map((r) => r.ocid)).toEqual(["ocds-jntbd0-demo-kantine-planned"]);
    expect(pkg.extensions).toEqual([OTHER_REQUIREMENTS_EXTENSION_URL]);
    expect(pkg.releases[0]).toMatchObject({
      tender: {
        status: "planning",
        items: [{ id: "LOT-0001-55512000", classification: { scheme: "CPV", id: "55512000" } }],
        otherRequirements: { reservedParticipation: ["shelteredWorkshop"] },
        contractPeriod: { durationInDays: 1096 },
      },
    });
    expect(pkg.releases[0]?.tender).not.toHaveProperty("lots");
  });

  it("gives an empty, still valid package for a buyer without plans, dated now", () => {
    const pkg = planningReleasePackage([], buyer, OPTIONS);
    expect(pkg.releases).toEqual([]);
    expect(pkg.publishedDate).toBe(NOW);
    expect(pkg).not.toHaveProperty("extensions");
    expect(releasePackageProblems(pkg)).toEqual([]);
  });

  it("changes a release id when, and only when, the release changes", () => {
    const tender = multiLot(buyer);
    const id = (t: Tender) => planningReleasePackage([t], buyer, OPTIONS).releases[0]?.id;
    expect(id(tender)).toBe(id(structuredClone(tender)));
    expect(id({ ...tender, title: "Rengøring af vuggestuer" })).not.toBe(id(tender));
  });

  it("takes a registered ocid prefix", () => {
    const pkg = planningReleasePackage([singleLot(buyer)], buyer, { ...OPTIONS, ocidPrefix: "ocds-abc123" });
    expect(pkg.releases[0]?.ocid).toBe("ocds-abc123-demo-kantine-planned");
    expect(ocidOf("api:dk-0751.x y")).toBe("ocds-jntbd0-api-dk-0751-x-y");
  });

  it("derives the procurement category from the CPV division", () => {
    expect(procurementCategory("45233130")).toBe("works");
    expect(procurementCategory("03221000")).toBe("goods");
    expect(procurementCategory("44100000")).toBe("goods");
    expect(procurementCategory("48000000")).toBe("goods");
    expect(procurementCategory("90911200")).toBe("services");
  });

  it("reads back through parseOcds: title, CPV, value, stage, expected publication, contract period", () => {
    const tenders = [multiLot(buyer), singleLot(buyer)];
    const { items, errors } = parseOcds(planningReleasePackage(tenders, buyer, OPTIONS), { now: NOW });
    expect(errors).toEqual([]);
    expect(items).toHaveLength(2);
    for (const original of tenders) {
      const back = items.find((i) => i.tender.title === original.title);
      expect(back?.warnings).toEqual([]);
      expect(back?.tender).toMatchObject({
        stage: "planned",
        title: original.title,
        cpv: original.cpv,
        language: "da",
        reserved: original.reserved,
        buyer: { name: buyer.name, country: "DK" },
        estimatedValue: {
          amount: original.estimatedValue?.amount,
          currency: original.estimatedValue?.currency,
        },
        contractPeriod: { months: original.contractPeriod?.months },
      });
      expect(back?.tender.lots.map((l) => [l.id, l.title, l.cpv])).toEqual(
        original.lots.map((l) => [l.id, l.title, l.cpv]),
      );
      expect(back?.buyer.orgId).toBe(buyer.orgId);
    }
    const multi = items.find((i) => i.tender.lots.length === 3)?.tender;
    expect(multi?.expectedPublication).toEqual({ date: "2027-04-01", precision: "day" });
    expect(multi?.lots.map((l) => l.reserved)).toEqual([undefined, "res-ws", undefined]);
    expect(multi?.lots[0]?.estimatedValue).toEqual({ amount: 6e6, currency: "DKK" });
  });
});
