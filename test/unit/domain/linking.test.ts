import { describe, expect, it } from "vitest";
import { cpvSimilarity, decideLink, titleSimilarity, withinWindow } from "../../../src/domain/linking.js";
import { Tender } from "../../../src/domain/tender.js";

const buyer = { id: "dk-0751", name: "Aarhus Kommune", country: "DK" };

function tender(over: Partial<Tender> & { id: string; title: string }): Tender {
  return Tender.parse({
    stage: "planned",
    description: "",
    language: "da",
    buyer,
    reserved: "none",
    lots: [{ id: "LOT-0001", title: over.title, cpv: over.cpv ?? [] }],
    cpv: over.cpv ?? [],
    requirements: {},
    firstSeen: "2026-01-10T08:00:00.000Z",
    lastChanged: "2026-01-10T08:00:00.000Z",
    ...over,
  });
}

const planned = tender({
  id: "dk-aarhus-plan:rengoring-af-daginstitutioner",
  title: "Rengøring af daginstitutioner",
  expectedPublication: { date: "2026-04-01", precision: "quarter", raw: "Q2 2026" },
});

const notice = (over: Partial<Tender> = {}) =>
  tender({
    id: "eforms:4f2c",
    stage: "open",
    title: "Udbud af rengøringsydelser i daginstitutioner",
    cpv: ["90919200"],
    notice: { id: "n-1", kind: "competition", publishedAt: "2026-05-12" },
    ...over,
  });

describe("linking a planned item to the notice that publishes it", () => {
  it("links the plan's cleaning of day-care centres to the cleaning notice published in its quarter", () => {
    const decision = decideLink(planned, notice());
    expect(decision).toBeDefined();
    expect(decision?.reason).toContain("published 2026-05-12, expected Q2 2026");
  });

  it("does not link a notice of another buyer, however alike", () => {
    expect(
      decideLink(planned, notice({ buyer: { id: "dk-0101", name: "København Kommune", country: "DK" } })),
    ).toBeUndefined();
  });

  it("does not link a notice published long before the expected quarter", () => {
    expect(
      decideLink(planned, notice({ notice: { id: "n-0", kind: "competition", publishedAt: "2025-06-01" } })),
    ).toBeUndefined();
    expect(withinWindow(planned, "2026-01-15")).toBe(true); // up to 90 days before Q2
    expect(withinWindow(planned, "2025-12-01")).toBe(false);
    expect(withinWindow(planned, "2027-06-30")).toBe(true); // a year after the quarter ends
    expect(withinWindow(planned, "2027-08-01")).toBe(false);
  });

  it("does not link a notice for something else of the same buyer", () => {
    expect(
      decideLink(planned, notice({ title: "Levering af kontorartikler", cpv: ["30192000"] })),
    ).toBeUndefined();
  });

  it("weighs a shared CPV group when the plan states codes", () => {
    const withCpv = {
      ...planned,
      cpv: ["90910000"],
      lots: [{ ...planned.lots[0], id: "LOT-0001", title: planned.title, cpv: ["90910000"] }],
    };
    expect(cpvSimilarity(withCpv.cpv, ["90919200"])).toBe(1);
    expect(cpvSimilarity(["90910000"], ["90500000"])).toBe(0.5);
    expect(cpvSimilarity(["90910000"], ["30192000"])).toBe(0);
    expect(cpvSimilarity([], ["30192000"])).toBeUndefined();
    expect(decideLink(withCpv as Tender, notice())?.reason).toContain("same CPV group");
  });

  it("matches words across Danish compounds and ignores procurement filler words", () => {
    expect(titleSimilarity("Rengøring af skoler", "Udbud af rengøringsydelser på skoler")).toBeGreaterThan(
      0.6,
    );
    expect(titleSimilarity("Udbud af kontrakt", "Udbud af rammeaftale")).toBe(0);
  });

  it("never links a planned item to another planned item or to a withdrawn notice", () => {
    expect(decideLink(planned, notice({ stage: "planned" }))).toBeUndefined();
    expect(decideLink(planned, notice({ stage: "withdrawn" }))).toBeUndefined();
  });
});
