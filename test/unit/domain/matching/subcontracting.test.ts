import { describe, expect, it } from "vitest";
import {
  subcontractingLeads,
  type SubcontractEnterprise,
  type SubcontractTender,
} from "../../../../src/domain/matching/index.js";
import type { Lot } from "../../../../src/domain/tender.js";
import { NOW, ent, lot, tender } from "./fixtures.js";

const AARHUS = { lat: 56.1572, lon: 10.2107 };
const RANDERS = { lat: 56.4607, lon: 10.0364 }; // about 36 km from Aarhus
const COPENHAGEN = { lat: 55.6761, lon: 12.5683 }; // about 155 km from Aarhus

function sub(id: string, fields: Partial<SubcontractEnterprise> = {}): SubcontractEnterprise {
  return { ...ent(id), openToSubcontracting: true, ...fields };
}

function open(lots: Lot[], fields: Partial<SubcontractTender> = {}): SubcontractTender {
  return {
    ...tender(lots, { place: AARHUS }),
    stage: "open",
    requirements: { subcontracting: { allowed: true } },
    ...fields,
  };
}

/** Lot 1: cleaning of buildings and windows; lot 2: green areas. */
const twoLots = [lot("1", ["90911200", "90911300"]), lot("2", ["77310000"])];
const cleaner = sub("cleaner", { cpv: ["90910000"], location: AARHUS });
const gardener = sub("gardener", { cpv: ["77310000"], location: AARHUS });

describe("subcontractingLeads: when it applies", () => {
  it("open tender that allows subcontracting: any bidder is the lead partner", () => {
    const r = subcontractingLeads(open(twoLots), [cleaner], { now: NOW });
    expect(r.applicable).toBe(true);
    expect(r.reason).toBe("open-allows-subcontracting");
    expect(r.partners).toEqual([{ kind: "any-bidder" }]);
    expect(r.leads[0]?.role).toBe("subcontractor");
    expect(r.leads[0]?.lead).toEqual([{ kind: "any-bidder" }]);
  });

  it("open tender whose lot requires a minimum share of subcontracting", () => {
    const t = open(
      [lot("1", ["90911200"], { subcontracting: { obligation: "minimum-share", minPercent: 10 } })],
      {
        requirements: {},
      },
    );
    const r = subcontractingLeads(t, [cleaner], { now: NOW });
    expect(r).toMatchObject({ applicable: true, reason: "open-requires-subcontracting" });
    expect(r.leads.map((l) => l.members)).toEqual([["cleaner"]]);
  });

  it("open tender that says nothing: subcontracting counts as allowed (Art. 71), and the reason says so", () => {
    const r = subcontractingLeads(open(twoLots, { requirements: {} }), [cleaner], { now: NOW });
    expect(r).toMatchObject({ applicable: true, reason: "open-subcontracting-unstated" });
    expect(r.lots).toEqual([
      { lotId: "1", permission: "unstated" },
      { lotId: "2", permission: "unstated" },
    ]);
    expect(r.leads).toHaveLength(1);
  });

  it("subcontracting excluded everywhere: no leads", () => {
    const t = open(twoLots, { requirements: { subcontracting: { allowed: false } } });
    const r = subcontractingLeads(t, [cleaner, gardener], { now: NOW });
    expect(r).toEqual({
      applicable: false,
      reason: "subcontracting-not-allowed",
      partners: [],
      lots: [
        { lotId: "1", permission: "forbidden" },
        { lotId: "2", permission: "forbidden" },
      ],
      leads: [],
      excluded: [],
    });
  });

  it("a lot's own statement wins over the tender's: only the open lot's work is offered", () => {
    const t = open([lot("1", ["90911200"]), lot("2", ["77310000"], { subcontracting: { allowed: true } })], {
      requirements: { subcontracting: { allowed: false } },
    });
    const r = subcontractingLeads(t, [cleaner, gardener], { now: NOW });
    expect(r.reason).toBe("open-allows-subcontracting");
    // The cleaner only covers lot 1, where subcontracting is excluded.
    expect(r.leads.map((l) => l.members)).toEqual([["gardener"]]);
    expect(r.leads[0]?.share).toBe(0.5);
    expect(r.leads[0]?.explanation.uncovered).toEqual([]);
  });

  it("planned, cancelled and withdrawn tenders are not for subcontracting", () => {
    for (const stage of ["planned", "cancelled", "withdrawn"] as const) {
      const r = subcontractingLeads(open(twoLots, { stage }), [cleaner], { now: NOW });
      expect(r).toMatchObject({ applicable: false, reason: "not-open-or-awarded", leads: [] });
    }
  });

  it("an awarded contract without a known winner has nobody to subcontract to", () => {
    const r = subcontractingLeads(open(twoLots, { stage: "awarded" }), [cleaner], { now: NOW });
    expect(r).toMatchObject({ applicable: false, reason: "no-known-winner", leads: [] });
    const empty = subcontractingLeads(open(twoLots, { stage: "awarded", awardedTo: [] }), [cleaner], {
      now: NOW,
    });
    expect(empty.reason).toBe("no-known-winner");
  });
});

describe("subcontractingLeads: awarded contracts", () => {
  const awarded = open(twoLots, {
    stage: "awarded",
    requirements: {},
    awardedTo: [{ name: "Nordic Facility A/S", orgId: "DK 1234 5678" }],
  });

  it("the winner is the lead partner, found among the candidates by orgId and never suggested", () => {
    const winner = sub("nordic-facility", { cpv: ["90910000", "77310000"], orgId: "DK12345678" });
    const r = subcontractingLeads(awarded, [winner, cleaner, gardener], { now: NOW });
    expect(r.reason).toBe("awarded-with-winner");
    expect(r.partners).toEqual([
      { kind: "winner", name: "Nordic Facility A/S", orgId: "DK 1234 5678", enterpriseId: "nordic-facility" },
    ]);
    expect(r.excluded).toEqual([{ id: "nordic-facility", reason: "winner" }]);
    expect(r.leads.flatMap((l) => l.members)).not.toContain("nordic-facility");
    expect(r.leads[0]?.members).toEqual(["cleaner", "gardener"]);
    expect(r.leads[0]?.lead).toEqual(r.partners);
  });

  it("a winner without an orgId is excluded through excludeIds", () => {
    const t = { ...awarded, awardedTo: [{ name: "Rengøring Øst ApS" }] };
    const winner = sub("rengoring-ost", { cpv: ["90911200"] });
    const r = subcontractingLeads(t, [winner, gardener], { now: NOW, excludeIds: ["rengoring-ost"] });
    expect(r.partners).toEqual([{ kind: "winner", name: "Rengøring Øst ApS" }]);
    expect(r.excluded).toEqual([{ id: "rengoring-ost", reason: "lead" }]);
    expect(r.leads.map((l) => l.members)).toEqual([["gardener"]]);
  });

  it("an award whose tender excluded subcontracting everywhere is not applicable", () => {
    const t = { ...awarded, requirements: { subcontracting: { allowed: false } } };
    expect(subcontractingLeads(t, [cleaner], { now: NOW }).reason).toBe("subcontracting-not-allowed");
  });
});

describe("subcontractingLeads: who is suggested", () => {
  it("only enterprises open to subcontracting, in reach, covering a required code", () => {
    const closed = sub("closed", { cpv: ["90911200"], openToSubcontracting: false });
    const far = sub("far", { cpv: ["90911200"], location: COPENHAGEN, serviceRadiusKm: 50 });
    const division = sub("division", { cpv: ["90000000"] }); // a division covers only itself
    const caterer = sub("caterer", { cpv: ["55520000"] });
    const r = subcontractingLeads(open(twoLots), [closed, far, division, caterer, gardener], { now: NOW });
    expect(r.leads.map((l) => l.members)).toEqual([["gardener"]]);
    // Those that cover something are listed with the reason; the others are simply not relevant.
    expect(r.excluded).toEqual([
      { id: "closed", reason: "not-open-to-subcontracting" },
      { id: "far", reason: "out-of-reach" },
    ]);
  });

  it("a more specific code does not cover a broader requirement", () => {
    const t = open([lot("1", ["90910000"])]);
    const r = subcontractingLeads(t, [sub("windows", { cpv: ["90911300"] })], { now: NOW });
    expect(r.leads).toEqual([]);
  });

  it("reservation eligibility is reported, not required: the reservation binds the bidder", () => {
    const t = open(twoLots, { reserved: "res-ws" });
    const ordinary = sub("ordinary", { cpv: ["77310000"], disadvantagedShare: 0.05, location: RANDERS });
    const workshop = sub("workshop", { cpv: ["77300000"], disadvantagedShare: 0.45, location: AARHUS });
    const r = subcontractingLeads(t, [ordinary, workshop], { now: NOW });
    const members = r.leads.map((l) => l.explanation.members[0]);
    expect(members.map((m) => [m?.id, m?.eligible])).toEqual([
      ["workshop", true],
      ["ordinary", false],
    ]);
    expect(r.leads[0]?.explanation.reserved).toBe("res-ws");
    expect(members[1]?.distanceKm).toBeGreaterThan(30);
    expect(members[1]?.distanceKm).toBeLessThan(40);
    expect(members[0]?.distanceKm).toBe(0);
  });

  it("explains which member covers which lot and code, and what is left to the lead", () => {
    const r = subcontractingLeads(open(twoLots), [cleaner], { now: NOW });
    const [only] = r.leads;
    expect(only?.members).toEqual(["cleaner"]);
    expect(only?.lots).toEqual(["1"]);
    expect(only?.coverage).toEqual([
      { lotId: "1", code: "90911200", memberId: "cleaner", memberCode: "90910000" },
      { lotId: "1", code: "90911300", memberId: "cleaner", memberCode: "90910000" },
    ]);
    expect(only?.share).toBeCloseTo(2 / 3, 4);
    expect(only?.explanation.uncovered).toEqual([{ lotId: "2", code: "77310000" }]);
    expect(only?.explanation.members).toEqual([{ id: "cleaner", eligible: true, distanceKm: 0, covers: 2 }]);
  });

  it("drops duplicate candidates (first kept)", () => {
    const r = subcontractingLeads(open(twoLots), [gardener, { ...gardener, cpv: ["90910000"] }], {
      now: NOW,
    });
    expect(r.leads.map((l) => l.members)).toEqual([["gardener"]]);
  });
});

describe("subcontractingLeads: groups and ranking", () => {
  it("pairs complementary enterprises and ranks the pair that covers all the work first", () => {
    const r = subcontractingLeads(open(twoLots), [gardener, cleaner], { now: NOW });
    expect(r.leads.map((l) => [l.members, l.share])).toEqual([
      [["cleaner", "gardener"], 1],
      [["cleaner"], 0.6667],
      [["gardener"], 0.3333],
    ]);
    expect(r.leads[0]?.lots).toEqual(["1", "2"]);
  });

  it("never groups enterprises that cover the same codes, nor a member the others make redundant", () => {
    const broad = sub("broad", { cpv: ["90910000"] });
    const windows = sub("windows", { cpv: ["90911300"] }); // covers one code broad already covers
    const twin = sub("twin", { cpv: ["90910000"] });
    const r = subcontractingLeads(open(twoLots), [broad, windows, twin], { now: NOW });
    expect(r.leads.every((l) => l.members.length === 1)).toBe(true);
    expect(r.leads.map((l) => l.members[0])).toEqual(["broad", "twin", "windows"]);
  });

  it("a group of three only when each member adds work, and only up to maxGroupSize", () => {
    const t = open([lot("1", ["90911200"]), lot("2", ["77310000"]), lot("3", ["55520000"])]);
    const caterer = sub("caterer", { cpv: ["55520000"], location: AARHUS });
    const cands = [cleaner, gardener, caterer];
    const two = subcontractingLeads(t, cands, { now: NOW });
    expect(Math.max(...two.leads.map((l) => l.members.length))).toBe(2);
    const three = subcontractingLeads(t, cands, { now: NOW, maxGroupSize: 3 });
    expect(three.leads[0]?.members).toHaveLength(3);
    expect(three.leads[0]?.share).toBe(1);
    const alone = subcontractingLeads(t, cands, { now: NOW, maxGroupSize: 1 });
    expect(alone.leads.map((l) => l.members.length)).toEqual([1, 1, 1]);
  });

  it("at the same share, the more specific code and then the closer enterprise rank higher", () => {
    const t = open([lot("1", ["90911200"])]);
    const exact = sub("exact", { cpv: ["90911200"], location: RANDERS, serviceRadiusKm: 80 });
    const group = sub("group", { cpv: ["90900000"], location: AARHUS, serviceRadiusKm: 80 });
    expect(subcontractingLeads(t, [group, exact], { now: NOW }).leads.map((l) => l.members[0])).toEqual([
      "exact",
      "group",
    ]);
    const near = sub("near", { cpv: ["90911200"], location: AARHUS });
    const farther = sub("farther", { cpv: ["90911200"], location: RANDERS, serviceRadiusKm: 80 });
    expect(subcontractingLeads(t, [farther, near], { now: NOW }).leads.map((l) => l.members[0])).toEqual([
      "near",
      "farther",
    ]);
  });

  it("returns at most `limit` leads, without duplicates", () => {
    const cands = [
      ...["c1", "c2", "c3"].map((id) => sub(id, { cpv: ["90911200", "90911300"] })),
      ...["g1", "g2", "g3"].map((id) => sub(id, { cpv: ["77310000"] })),
    ];
    const all = subcontractingLeads(open(twoLots), cands, { now: NOW, limit: 100 });
    expect(all.leads).toHaveLength(6 + 9);
    const keys = all.leads.map((l) => [...l.members].sort().join("+"));
    expect(new Set(keys).size).toBe(keys.length);
    const few = subcontractingLeads(open(twoLots), cands, { now: NOW, limit: 4 });
    expect(few.leads).toHaveLength(4);
    expect(few.leads.every((l) => l.members.length === 2 && l.share === 1)).toBe(true);
  });
});
