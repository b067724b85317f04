import { describe, expect, it } from "vitest";
import { covers } from "../../../../src/domain/cpv.js";
import { distanceKm } from "../../../../src/domain/geo.js";
import {
  art77Blocked,
  combinedShare,
  competitionFlag,
  enterpriseCovers,
  formConsortia,
  isEligible,
  isFeasibleConsortium,
  isGroupEligible,
  isIrredundantConsortium,
  servesPlace,
  turnoverIn,
  type PastAward,
} from "../../../../src/domain/matching/index.js";
import { NOW, ent, lot, tender } from "./fixtures.js";

const ctx = { buyerId: "aarhus-kommune", now: NOW };

describe("covers", () => {
  it("follows the definition's three examples", () => {
    expect(covers("90900000", "90911200")).toBe(true);
    expect(covers("90000000", "90000000")).toBe(true);
    expect(covers("90000000", "90911200")).toBe(false);
    expect(covers("90000000", "90900000")).toBe(false);
    expect(covers("90911200", "90910000")).toBe(false);
    expect(enterpriseCovers(ent("a", { cpv: ["77310000", "90900000"] }), "90911200")).toBe(true);
  });
});

describe("eligibility", () => {
  it("Art. 20: exactly 0.30 is eligible, 0.2999 and unknown are not", () => {
    expect(isEligible(ent("a", { disadvantagedShare: 0.3 }), "res-ws", ctx)).toBe(true);
    expect(isEligible(ent("a", { disadvantagedShare: 0.2999 }), "res-ws", ctx)).toBe(false);
    expect(isEligible(ent("a"), "res-ws", ctx)).toBe(false);
    expect(isEligible(ent("a"), "none", ctx)).toBe(true);
    expect(isEligible(ent("a"), "unknown", ctx)).toBe(true);
  });

  it("combined rule weighs shares by employees", () => {
    const a = ent("a", { disadvantagedShare: 0.5, employees: 10 });
    const b = ent("b", { disadvantagedShare: 0.1, employees: 10 });
    const bigB = ent("b", { disadvantagedShare: 0.1, employees: 11 });
    expect(combinedShare([a, b])).toBeCloseTo(0.3);
    expect(isGroupEligible([a, b], "res-ws", "combined", ctx)).toBe(true);
    expect(isGroupEligible([a, bigB], "res-ws", "combined", ctx)).toBe(false);
    expect(isGroupEligible([a, b], "res-ws", "per-member", ctx)).toBe(false);
    // Three members at exactly 0.30 stay eligible despite rounding.
    const thirty = [1, 3, 7].map((n) => ent(`m${n}`, { disadvantagedShare: 0.3, employees: n }));
    expect(isGroupEligible(thirty, "res-ws", "combined", ctx)).toBe(true);
    // The combined rule does not apply to Art. 77.
    const psm = ent("p", { publicServiceMission: true });
    expect(isGroupEligible([psm, ent("q")], "res-pub-ser", "combined", ctx)).toBe(false);
  });

  it("Art. 77: an award from the same buyer within three years blocks", () => {
    const e = ent("a", { publicServiceMission: true });
    const award = (awardedAt: string, buyerId = "aarhus-kommune"): PastAward => ({
      enterpriseId: "a",
      buyerId,
      reserved: "res-pub-ser",
      awardedAt,
    });
    const recent = [award("2023-06-16T12:00:00Z")]; // 2 years 364 days before NOW
    const old = [award("2023-06-14T12:00:00Z")]; // 3 years and a day before NOW
    const other = [award("2025-01-01T00:00:00Z", "odense-kommune")];
    expect(isEligible(e, "res-pub-ser", { ...ctx, pastAwards: recent })).toBe(false);
    expect(isEligible(e, "res-pub-ser", { ...ctx, pastAwards: old })).toBe(true);
    expect(isEligible(e, "res-pub-ser", { ...ctx, pastAwards: other })).toBe(true);
    expect(isEligible(e, "res-pub-ser", ctx)).toBe(true);
    expect(isEligible(ent("a"), "res-pub-ser", ctx)).toBe(false);
    expect(art77Blocked("a", "aarhus-kommune", [award("2023-06-16")], NOW)).toBe(true);
  });
});

describe("servesPlace", () => {
  const home = { lat: 56.1572, lon: 10.2107 };
  const place = { lat: 55.6761, lon: 12.5683 };
  const d = distanceKm(home, place);

  it("serves up to and including its radius", () => {
    expect(servesPlace({ location: home, serviceRadiusKm: d }, place)).toBe(true);
    expect(servesPlace({ location: home, serviceRadiusKm: d - 0.01 }, place)).toBe(false);
  });

  it("serves when either location is unknown", () => {
    expect(servesPlace({ serviceRadiusKm: 1 }, place)).toBe(true);
    expect(servesPlace({ location: home, serviceRadiusKm: 1 }, undefined)).toBe(true);
    expect(servesPlace({ location: home, serviceRadiusKm: 1 }, { nuts: "DK042" })).toBe(true);
  });
});

describe("formConsortia", () => {
  const t = tender([lot("1", ["90911200", "90919200"]), lot("2", ["77310000"])]);

  it("puts together members that cover different lots, with an explanation", () => {
    const cleaner = ent("cleaner", { cpv: ["90910000"] });
    const gardener = ent("gardener", { cpv: ["77300000"] });
    const r = formConsortia(t, [cleaner, gardener, ent("nobody", { cpv: ["55520000"] })], { now: NOW });
    expect(r.consortia.map((c) => c.members)).toEqual([["cleaner", "gardener"]]);
    const [first] = r.consortia;
    expect(first?.lots).toEqual(["1", "2"]);
    expect(first?.competitionFlag).toBe(false);
    expect(first?.explanation.coverage).toEqual([
      { lotId: "1", code: "90911200", memberId: "cleaner", memberCode: "90910000" },
      { lotId: "1", code: "90919200", memberId: "cleaner", memberCode: "90910000" },
      { lotId: "2", code: "77310000", memberId: "gardener", memberCode: "77300000" },
    ]);
    expect(r.singles).toEqual([]);
    expect(r.lotSingles).toEqual([
      { lotId: "1", members: ["cleaner"] },
      { lotId: "2", members: ["gardener"] },
    ]);
    expect(r.infeasible).toBeUndefined();
  });

  it("puts the smallest consortia first and ranks specific codes higher", () => {
    const all = ent("all", { cpv: ["90900000", "77300000"] });
    const exact = ent("exact", { cpv: ["90911200", "90919200"] });
    const garden = ent("garden", { cpv: ["77310000"] });
    const r = formConsortia(t, [exact, garden, all], { now: NOW });
    expect(r.consortia.map((c) => c.members)).toEqual([["all"], ["exact", "garden"]]);
    expect(r.singles.map((s) => s.id)).toEqual(["all"]);
  });

  it("caps the default lots at maxLotsPerBidder and refuses more when asked", () => {
    const capped = tender([lot("1", ["90911200"]), lot("2", ["77310000"]), lot("3", ["55520000"])], {
      requirements: { maxLotsPerBidder: 2 },
    });
    const cands = [ent("c", { cpv: ["90911200"] }), ent("g", { cpv: ["77310000"] })];
    const r = formConsortia(capped, cands, { now: NOW });
    expect(r.lots).toEqual(["1", "2"]);
    expect(r.lotsCapped).toBe(true);
    expect(r.consortia.map((c) => c.members)).toEqual([["c", "g"]]);
    const tooMany = formConsortia(capped, cands, { now: NOW, lots: ["1", "2", "3"] });
    expect(tooMany.consortia).toEqual([]);
    expect(tooMany.infeasible?.reasons).toEqual([
      { kind: "too-many-lots", requested: 3, maxLotsPerBidder: 2 },
    ]);
    const chosen = formConsortia(capped, cands, { now: NOW, lots: ["2"] });
    expect(chosen.consortia.map((c) => c.members)).toEqual([["g"]]);
  });

  it("flags a group whose member could bid alone, and never suggests one", () => {
    const alone = ent("alone", { cpv: ["90900000", "77310000"] });
    const partner = ent("partner", { cpv: ["77310000"] });
    expect(competitionFlag(t, [alone, partner], { now: NOW })).toBe(true);
    expect(isFeasibleConsortium(t, [alone, partner], { now: NOW })).toBe(true);
    expect(isIrredundantConsortium(t, [alone, partner], { now: NOW })).toBe(false);
    expect(competitionFlag(t, [ent("x", { cpv: ["90900000"] }), partner], { now: NOW })).toBe(false);
    const r = formConsortia(t, [alone, partner], { now: NOW });
    expect(r.consortia.map((c) => [c.members, c.competitionFlag])).toEqual([[["alone"], false]]);
  });

  it("adds a partner for turnover, converting currencies", () => {
    const big = tender([lot("1", ["90911200"])], {
      requirements: { minTurnover: 1_000_000, currency: "DKK" },
    });
    const small = ent("small", { cpv: ["90911200"], annualTurnover: 500_000, currency: "DKK" });
    const euro = ent("euro", { cpv: ["77310000"], annualTurnover: 100_000, currency: "EUR" });
    expect(turnoverIn(euro, "DKK")).toBeCloseTo(747_000);
    const r = formConsortia(big, [small, euro], { now: NOW });
    expect(r.consortia.map((c) => c.members)).toEqual([["small", "euro"]]);
    expect(r.consortia[0]?.explanation.turnover).toEqual({
      sum: 1_247_000,
      required: 1_000_000,
      currency: "DKK",
    });
    const short = formConsortia(big, [small], { now: NOW });
    expect(short.infeasible?.reasons).toEqual([
      { kind: "turnover-short", required: 1_000_000, best: 500_000 },
    ]);
  });

  it("adds a partner for the combined share under the combined rule only", () => {
    const ws = tender([lot("1", ["90911200"])], { reserved: "res-ws" });
    const cleaner = ent("cleaner", { cpv: ["90911200"], disadvantagedShare: 0.1, employees: 10 });
    const workshop = ent("workshop", { cpv: [], disadvantagedShare: 0.9, employees: 10 });
    const combined = formConsortia(ws, [cleaner, workshop], { now: NOW, groupRule: "combined" });
    expect(combined.consortia.map((c) => c.members)).toEqual([["cleaner", "workshop"]]);
    expect(combined.consortia[0]?.explanation.combinedShare).toBe(0.5);
    const perMember = formConsortia(ws, [cleaner, workshop], { now: NOW });
    expect(perMember.consortia).toEqual([]);
    expect(perMember.infeasible?.reasons).toEqual([{ kind: "uncovered", lotId: "1", code: "90911200" }]);
    expect(perMember.infeasible?.closest).toEqual([
      { id: "cleaner", covered: 1, total: 1, serves: true, eligible: false },
    ]);
  });

  it("treats an unknown reservation as none and says so", () => {
    const r = formConsortia({ ...t, reserved: "unknown" }, [ent("a", { cpv: ["90900000", "77310000"] })], {
      now: NOW,
    });
    expect(r.reservationUnknown).toBe(true);
    expect(r.consortia).toHaveLength(1);
  });

  it("leaves out members out of reach and members closed to consortia", () => {
    const far = tender([lot("1", ["90911200", "77310000"])], { place: { lat: 55.6761, lon: 12.5683 } });
    const aarhus = { lat: 56.1572, lon: 10.2107 };
    const cands = [
      ent("near", { cpv: ["90911200"], location: { lat: 55.68, lon: 12.57 } }),
      ent("remote", { cpv: ["77310000"], location: aarhus, serviceRadiusKm: 50 }),
      ent("closed", { cpv: ["77310000"], openToConsortia: false }),
      ent("garden", { cpv: ["77310000"], location: aarhus, serviceRadiusKm: 300 }),
    ];
    const r = formConsortia(far, cands, { now: NOW });
    expect(r.consortia.map((c) => c.members)).toEqual([["near", "garden"]]);
    expect(r.consortia[0]?.explanation.members.map((m) => m.id)).toEqual(["near", "garden"]);
  });
});

describe("formConsortia input checks", () => {
  it("reports unknown lots and drops duplicate candidates", () => {
    const t = tender([lot("1", ["90911200"])]);
    const unknown = formConsortia(t, [], { now: NOW, lots: ["9"] });
    expect(unknown.infeasible?.reasons).toEqual([{ kind: "unknown-lot", lotId: "9" }]);
    const a = ent("a", { cpv: ["90911200"] });
    const twice = formConsortia(t, [a, { ...a, cpv: [] }], { now: NOW });
    expect(twice.consortia.map((c) => c.members)).toEqual([["a"]]);
  });

  it("says who comes closest when nobody in reach covers a code", () => {
    const t = tender([lot("1", ["90911200", "77310000"])]);
    const r = formConsortia(t, [ent("a", { cpv: ["90911200"] })], { now: NOW });
    expect(r.infeasible).toEqual({
      reasons: [{ kind: "uncovered", lotId: "1", code: "77310000" }],
      closest: [{ id: "a", covered: 1, total: 2, serves: true, eligible: true }],
    });
  });
});

describe("track record in the score", () => {
  const t = tender([lot("1", ["90911200"]), lot("2", ["77310000"])]);
  const cleaners = ["c1", "c2"].map((id) => ent(id, { cpv: ["90911200"] }));
  const gardeners = ["g1", "g2"].map((id) => ent(id, { cpv: ["77310000"] }));
  const pool = [...cleaners, ...gardeners];

  it("ranks a pair that has won together before above equal pairs, and explains it", () => {
    const plain = formConsortia(t, pool, { now: NOW });
    expect(plain.consortia[0]?.members).toEqual(["c1", "g1"]); // ties broken by id
    const withRecord = formConsortia(t, pool, { now: NOW, record: { jointWins: [["g2", "c2", "x"]] } });
    expect(withRecord.consortia[0]?.members.slice().sort()).toEqual(["c2", "g2"]);
    expect(withRecord.consortia[0]?.explanation.record).toBe(0.5);
    expect(withRecord.consortia[1]?.explanation.record).toBe(0);
  });

  it("counts experience up to three contracts won, and never changes who is feasible", () => {
    const r = formConsortia(t, pool, { now: NOW, record: { awards: { c2: 7, g1: 1 } } });
    expect(r.consortia[0]?.members).toEqual(["c2", "g1"]);
    expect(r.consortia[0]?.explanation.members.map((m) => m.awards)).toEqual([7, 1]);
    // (min(1, 7/3) + 1/3) / 2 = 2/3, halved for a group without joint wins
    expect(r.consortia[0]?.explanation.record).toBeCloseTo(1 / 3, 4);
    expect(r.consortia.map((c) => c.members.join("+")).sort()).toEqual(
      formConsortia(t, pool, { now: NOW })
        .consortia.map((c) => c.members.join("+"))
        .sort(),
    );
  });
});
