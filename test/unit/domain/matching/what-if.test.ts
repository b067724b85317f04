import { describe, expect, it } from "vitest";
import { checkGroup } from "../../../../src/domain/matching/index.js";
import { NOW, ent, lot, tender } from "./fixtures.js";

const AARHUS = { lat: 56.1567, lon: 10.2108 };
const options = { now: NOW };

describe("checkGroup (what-if)", () => {
  it("names every reason a group fails: reach, reservation, openness, turnover", () => {
    const t = tender([lot("1", ["90911200"]), lot("2", ["77310000"])], {
      reserved: "res-ws",
      place: AARHUS,
      requirements: { minTurnover: 5_000_000, currency: "DKK" },
    });
    const far = ent("far", {
      cpv: ["90900000"],
      location: { lat: 55.6761, lon: 12.5683 }, // Copenhagen, 157 km away
      serviceRadiusKm: 50,
      disadvantagedShare: 0.5,
      annualTurnover: 1_000_000,
      currency: "DKK",
    });
    const closed = ent("closed", {
      cpv: ["77310000"],
      location: AARHUS,
      disadvantagedShare: 0.1,
      openToConsortia: false,
      annualTurnover: 1_000_000,
      currency: "DKK",
    });
    const check = checkGroup(t, [far, closed], options);
    expect(check.feasible).toBe(false);
    expect(check.problems).toEqual(
      expect.arrayContaining([
        { kind: "closed-to-consortia", memberId: "closed" },
        { kind: "out-of-reach", memberId: "far" },
        { kind: "not-eligible", memberId: "closed", reservation: "res-ws" },
        { kind: "turnover-short", required: 5_000_000, sum: 2_000_000 },
      ]),
    );
    expect(check.problems.some((p) => p.kind === "uncovered")).toBe(false);
  });

  it("under the combined rule reports the group's weighted share, not each member", () => {
    const t = tender([lot("1", ["90911200"]), lot("2", ["77310000"])], { reserved: "res-ws" });
    const a = ent("a", { cpv: ["90911200"], employees: 90, disadvantagedShare: 0.2 });
    const b = ent("b", { cpv: ["77310000"], employees: 10, disadvantagedShare: 0.9 });
    const check = checkGroup(t, [a, b], { ...options, groupRule: "combined" });
    // (90 × 0.2 + 10 × 0.9) / 100 = 0.27 < 0.30
    expect(check.problems).toEqual([{ kind: "combined-share-short", share: 0.27, required: 0.3 }]);
    const enough = checkGroup(t, [a, { ...b, employees: 30 }], { ...options, groupRule: "combined" });
    // (18 + 27) / 120 = 0.375
    expect(enough).toMatchObject({ feasible: true, irredundant: true, problems: [] });
  });

  it("names the members a feasible group could do without, and flags one that could bid alone", () => {
    const t = tender([lot("1", ["90911200"])]);
    const all = ent("all", { cpv: ["90910000"] });
    const extra = ent("extra", { cpv: ["90911200"] });
    const check = checkGroup(t, [all, extra], options);
    expect(check).toMatchObject({ feasible: true, irredundant: false, competitionFlag: true });
    expect(check.redundant.sort()).toEqual(["all", "extra"]);
  });

  it("refuses an empty group and one above the maximum size", () => {
    const t = tender([lot("1", ["90911200"])]);
    expect(checkGroup(t, [], options).problems).toEqual([{ kind: "empty" }]);
    const five = ["a", "b", "c", "d", "e"].map((id) => ent(id, { cpv: ["90911200"] }));
    expect(checkGroup(t, five, options).problems).toContainEqual({ kind: "too-large", size: 5, maxSize: 4 });
  });
});
