import { describe, expect, it } from "vitest";
import {
  independentBids,
  tenderInsight,
  type MatchEnterprise,
  type MatchTender,
  type PastAward,
} from "../../../../src/domain/matching/index.js";
import type { Lot } from "../../../../src/domain/tender.js";
import { NOW, ent, lot, tender } from "./fixtures.js";

const AARHUS = { lat: 56.1572, lon: 10.2107 };
const COPENHAGEN = { lat: 55.6761, lon: 12.5683 }; // about 155 km from Aarhus

function planned(lots: Lot[], fields: Partial<MatchTender> = {}) {
  return { ...tender(lots, { place: AARHUS, ...fields }), id: "api:aarhus-kommune.2026-17", title: "Drift" };
}

/** An Art. 20 enterprise (45 % disadvantaged workers). */
const workshop = (id: string, cpv: string[], fields: Partial<MatchEnterprise> = {}) =>
  ent(id, { cpv, disadvantagedShare: 0.45, location: AARHUS, ...fields });
/** An Art. 77 organisation (public-service mission). */
const mission = (id: string, cpv: string[], fields: Partial<MatchEnterprise> = {}) =>
  ent(id, { cpv, publicServiceMission: true, location: AARHUS, ...fields });
const ordinary = (id: string, cpv: string[]) => ent(id, { cpv, location: AARHUS });

describe("tenderInsight: counts", () => {
  it("counts enterprises within reach and those eligible for each reservation", () => {
    const t = planned([lot("1", ["90911200"])]);
    const cands = [
      workshop("ws", ["90910000"]),
      mission("psm", ["90911200"]),
      ordinary("plain", ["90900000"]),
      ordinary("division", ["90000000"]), // a division covers only itself: not within reach
      workshop("far", ["90911200"], { location: COPENHAGEN }),
      ordinary("caterer", ["55520000"]),
    ];
    const r = tenderInsight(t, cands, { now: NOW });
    expect(r).toMatchObject({
      tenderId: "api:aarhus-kommune.2026-17",
      title: "Drift",
      reserved: "none",
      withinReach: 3,
      eligible: { "res-ws": 1, "res-pub-ser": 1 },
      socialEnterprises: 2,
      singles: { none: 3, "res-ws": 1, "res-pub-ser": 1 },
      independentBids: { none: 3, "res-ws": 1, "res-pub-ser": 1 },
    });
    expect(r.consortia.none).toEqual({ count: 0, capped: false });
  });

  it("counts consortia up to the cap, after the singles, with the smallest size", () => {
    const t = planned([lot("1", ["90911200"]), lot("2", ["77310000"])]);
    const cands = [
      ordinary("all", ["90910000", "77310000"]),
      ...["c1", "c2", "c3"].map((id) => ordinary(id, ["90911200"])),
      ...["g1", "g2", "g3"].map((id) => ordinary(id, ["77310000"])),
    ];
    const full = tenderInsight(t, cands, { now: NOW });
    expect(full.singles.none).toBe(1);
    expect(full.consortia.none).toEqual({ count: 9, capped: false, minSize: 2 });
    // Nine cleaner-gardener pairs, but each enterprise can be in one bid only: 1 + 3.
    expect(full.independentBids.none).toBe(4);
    const capped = tenderInsight(t, cands, { now: NOW, cap: 2 });
    expect(capped.consortia.none).toEqual({ count: 2, capped: true, minSize: 2 });
  });

  it("Art. 77 is possible only when every code is one Art. 77 allows", () => {
    const social = planned([lot("1", ["85311000"])]); // social work with accommodation
    const mixed = planned([lot("1", ["85311000"]), lot("2", ["90911200"])]);
    const training = planned([lot("1", ["80530000"])]); // vocational training: not in Art. 77's list
    const noCodes = planned([lot("1", [])]);
    expect(tenderInsight(social, [], { now: NOW }).art77Possible).toBe(true);
    expect(tenderInsight(mixed, [], { now: NOW }).art77Possible).toBe(false);
    expect(tenderInsight(training, [], { now: NOW }).art77Possible).toBe(false);
    expect(tenderInsight(noCodes, [], { now: NOW }).art77Possible).toBe(false);
  });
});

describe("independentBids", () => {
  it("counts bids that share no enterprise", () => {
    expect(
      independentBids(
        ["a"],
        [
          ["b", "c"],
          ["b", "d"],
          ["e", "f"],
        ],
      ),
    ).toBe(3);
    expect(
      independentBids(
        [],
        [
          ["a", "b"],
          ["b", "c"],
          ["c", "d"],
        ],
      ),
    ).toBe(2);
    // A consortium that uses a single is worth it only when it does not cost a bid.
    expect(independentBids(["a", "b"], [["a", "b"]])).toBe(2);
    expect(independentBids([], [])).toBe(0);
  });
});

describe("tenderInsight: recommendation", () => {
  const care = planned([lot("1", ["85311000"])]);
  const psm = [mission("bo-1", ["85310000"]), mission("bo-2", ["85311000"])];

  it("reserve under Art. 77 when the codes allow it and two independent bids are feasible", () => {
    const r = tenderInsight(care, [...psm, ordinary("care-co", ["85311000"])], { now: NOW });
    expect(r.art77Possible).toBe(true);
    expect(r.independentBids["res-pub-ser"]).toBe(2);
    expect(r.recommendation).toMatchObject({
      kind: "reserve-art77",
      alreadyReserved: false,
      adequateCompetition: true,
    });
    expect(r.recommendation.reason).toContain("Every CPV code of the tender allows an Art. 77 reservation");
    expect(r.recommendation.reason).toContain(
      "2 organisations with a public-service mission (Art. 77) within reach",
    );
    expect(r.recommendation.reason).toContain("2 independent bids");
  });

  it("the three-year rule takes a recent Art. 77 winner out, and Art. 77 is no longer recommended", () => {
    const pastAwards: PastAward[] = [
      { enterpriseId: "bo-1", buyerId: "aarhus-kommune", reserved: "res-pub-ser", awardedAt: "2025-01-01" },
    ];
    const r = tenderInsight(care, psm, { now: NOW, pastAwards });
    expect(r.eligible["res-pub-ser"]).toBe(1);
    expect(r.art77Blocked).toBe(1);
    expect(r.independentBids["res-pub-ser"]).toBe(1);
    expect(r.recommendation.kind).toBe("social-clause");
    expect(r.recommendation.reason).toContain("Art. 77 would leave 1 independent bid");
    // An award from another buyer, or older than three years, does not count.
    const older = tenderInsight(care, psm, {
      now: NOW,
      pastAwards: [{ ...pastAwards[0], awardedAt: "2023-01-01" } as PastAward],
    });
    expect(older.recommendation.kind).toBe("reserve-art77");
  });

  it("reserve under Art. 20 when two independent bids are feasible and Art. 77 is not possible", () => {
    const cleaning = planned([lot("1", ["90911200"])]);
    const r = tenderInsight(cleaning, [workshop("ws-1", ["90911200"]), workshop("ws-2", ["90910000"])], {
      now: NOW,
    });
    expect(r.art77Possible).toBe(false);
    expect(r.recommendation).toMatchObject({ kind: "reserve-art20", adequateCompetition: true });
    expect(r.recommendation.reason).toBe(
      "2 enterprises with at least 30 % disadvantaged workers (Art. 20) within reach; 2 could bid alone and " +
        "no consortium could be formed, 2 independent bids in all. Reserve it under Art. 20 (not every CPV code " +
        "of the tender allows Art. 77).",
    );
  });

  it("consortia that share a member count as one bid: competition must be real", () => {
    const t = planned([lot("1", ["90911200", "77310000"])]);
    const shared = [
      workshop("clean-1", ["90911200"]),
      workshop("green-1", ["77310000"]),
      workshop("green-2", ["77310000"]),
    ];
    const thin = tenderInsight(t, shared, { now: NOW });
    expect(thin.consortia["res-ws"].count).toBe(2);
    expect(thin.independentBids["res-ws"]).toBe(1);
    expect(thin.recommendation.kind).toBe("social-clause");
    const real = tenderInsight(t, [...shared, workshop("clean-2", ["90910000"])], { now: NOW });
    expect(real.independentBids["res-ws"]).toBe(2);
    expect(real.recommendation.kind).toBe("reserve-art20");
    expect(real.recommendation.reason).toContain("4 consortia could be formed (smallest of 2)");
  });

  it("reserve a lot when only that lot would see competition among Art. 20 enterprises", () => {
    const t = planned([lot("1", ["90911200"]), lot("2", ["77310000"]), lot("3", ["55520000"])]);
    const cands = [
      workshop("ws-clean-1", ["90911200"]),
      workshop("ws-clean-2", ["90910000"]),
      workshop("ws-green", ["77310000"]),
      ordinary("caterer", ["55520000"]),
    ];
    const r = tenderInsight(t, cands, { now: NOW });
    expect(r.independentBids["res-ws"]).toBe(0);
    expect(r.lots).toEqual([
      { lotId: "1", independentBids: 2 },
      { lotId: "2", independentBids: 1 },
      { lotId: "3", independentBids: 0 },
    ]);
    expect(r.recommendation).toMatchObject({ kind: "reserve-lot", lotIds: ["1"] });
    expect(r.recommendation.reason).toContain("lot 1: 2 independent bids");
    // A single-lot tender never gets a lot reservation.
    const one = tenderInsight(planned([lot("1", ["90911200"])]), [workshop("ws", ["90911200"])], {
      now: NOW,
    });
    expect(one.lots).toEqual([]);
  });

  it("a social clause when someone within reach would benefit but a reservation would stifle competition", () => {
    const t = planned([lot("1", ["77310000"])]);
    const r = tenderInsight(
      t,
      [workshop("ws", ["77310000"]), ordinary("a", ["77310000"]), ordinary("b", ["77300000"])],
      {
        now: NOW,
      },
    );
    expect(r.recommendation).toMatchObject({ kind: "social-clause", adequateCompetition: true });
    expect(r.recommendation.reason).toContain(
      "1 enterprise within reach has at least 30 % disadvantaged workers",
    );
  });

  it("no recommendation when nobody within reach has a social profile", () => {
    const t = planned([lot("1", ["77310000"])]);
    const far = workshop("far", ["77310000"], { location: COPENHAGEN });
    const r = tenderInsight(t, [ordinary("a", ["77310000"]), far], { now: NOW });
    expect(r.recommendation).toMatchObject({ kind: "none", adequateCompetition: false });
    expect(r.recommendation.reason).toBe(
      "Of the 1 enterprise within reach, none has at least 30 % disadvantaged workers or a public-service " +
        "mission: no reservation or social clause is recommended.",
    );
    expect(tenderInsight(t, [], { now: NOW }).recommendation.reason).toContain(
      "No enterprise is within reach",
    );
  });

  it("respects a reservation already made and says whether competition is adequate", () => {
    const t = planned([lot("1", ["90911200"])], { reserved: "res-ws" });
    const two = [workshop("ws-1", ["90911200"]), workshop("ws-2", ["90911200"]), ordinary("a", ["90911200"])];
    const adequate = tenderInsight(t, two, { now: NOW });
    expect(adequate.recommendation).toMatchObject({
      kind: "reserve-art20",
      alreadyReserved: true,
      adequateCompetition: true,
    });
    expect(adequate.recommendation.reason).toMatch(
      /^Already reserved under Art\. 20: .*Competition is adequate\.$/,
    );
    const thin = tenderInsight(t, two.slice(1), { now: NOW });
    expect(thin.recommendation).toMatchObject({ kind: "reserve-art20", adequateCompetition: false });
    expect(thin.recommendation.reason).toContain(
      "Competition is thin (2 independent bids without the reservation)",
    );
    // Reserved under Art. 77 for codes Art. 77 does not allow: kept, with a note.
    const odd = tenderInsight({ ...t, reserved: "res-pub-ser" }, [mission("p", ["90911200"])], { now: NOW });
    expect(odd.recommendation.kind).toBe("reserve-art77");
    expect(odd.recommendation.reason).toContain("not every CPV code of the tender is one Art. 77 allows");
  });

  it("an unreadable reservation is treated as none, and the reason says so", () => {
    const t = planned([lot("1", ["90911200"])], { reserved: "unknown" });
    const r = tenderInsight(t, [workshop("ws-1", ["90911200"]), workshop("ws-2", ["90911200"])], {
      now: NOW,
    });
    expect(r.recommendation.kind).toBe("reserve-art20");
    expect(r.recommendation.reason).toMatch(/^The reservation could not be read, so none is assumed\. /);
  });
});
