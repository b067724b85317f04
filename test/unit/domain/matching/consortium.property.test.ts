import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { covers } from "../../../../src/domain/cpv.js";
import { distanceKm } from "../../../../src/domain/geo.js";
import { toEur } from "../../../../src/domain/money.js";
import {
  art77Blocked,
  formConsortia,
  type GroupRule,
  type MatchEnterprise,
  type MatchOptions,
  type MatchTender,
  type PastAward,
} from "../../../../src/domain/matching/index.js";
import { NOW, ent, lot, tender } from "./fixtures.js";

/** Real CPV codes with hierarchy (division, group, class, category, finer). */
const CODES = [
  "90000000",
  "90900000",
  "90910000",
  "90911000",
  "90911200",
  "90919200",
  "77300000",
  "77310000",
  "77311000",
  "77314000",
  "55520000",
  "55521000",
] as const;

const code = fc.constantFrom(...CODES);
const denseCode = fc.constantFrom(
  "90900000",
  "90910000",
  "90911200",
  "90919200",
  "77300000",
  "77311000",
  "55521000",
);
/** Required codes: a smaller set, so that random enterprises often cover them. */
const requiredCode = fc.constantFrom("90911200", "90919200", "90910000", "77311000", "77310000", "55521000");
const point = fc.record({
  lat: fc.double({ min: 55.5, max: 56.5, noNaN: true }),
  lon: fc.double({ min: 9, max: 12.5, noNaN: true }),
});
const currency = fc.constantFrom(undefined, undefined, "DKK", "DKK", "EUR", "XYZ");

const candidate = (id: string, codes: fc.Arbitrary<string>) =>
  fc
    .record({
      cpv: fc.uniqueArray(codes, { minLength: 0, maxLength: 4 }),
      location: fc.option(point, { nil: undefined }),
      serviceRadiusKm: fc.integer({ min: 20, max: 300 }),
      annualTurnover: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      currency,
      employees: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      disadvantagedShare: fc.option(fc.constantFrom(0, 0.1, 0.2999, 0.3, 0.3, 0.5, 0.9), {
        nil: undefined,
        freq: 6,
      }),
      publicServiceMission: fc.boolean(),
      openToConsortia: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    })
    .map((f): MatchEnterprise => {
      const e = ent(id, { cpv: f.cpv, serviceRadiusKm: f.serviceRadiusKm });
      return {
        ...e,
        publicServiceMission: f.publicServiceMission,
        openToConsortia: f.openToConsortia,
        ...(f.location ? { location: f.location } : {}),
        ...(f.annualTurnover !== undefined ? { annualTurnover: f.annualTurnover } : {}),
        ...(f.currency !== undefined ? { currency: f.currency } : {}),
        ...(f.employees !== undefined ? { employees: f.employees } : {}),
        ...(f.disadvantagedShare !== undefined ? { disadvantagedShare: f.disadvantagedShare } : {}),
      };
    });

/**
 * Random small instances. `dense` draws enterprise codes from the required codes and their
 * ancestors and leaves the place and the maximum size open, so that most instances have
 * consortia of several members.
 */
const instance = (dense: boolean) =>
  fc
    .record({
      n: fc.integer({ min: 2, max: 8 }),
      lots: fc.array(fc.uniqueArray(requiredCode, { minLength: 0, maxLength: 3 }), {
        minLength: 1,
        maxLength: 3,
      }),
      reserved: fc.constantFrom("none", "none", "res-ws", "res-ws", "res-pub-ser", "unknown"),
      place: dense ? fc.constant(undefined) : fc.option(point, { nil: undefined, freq: 2 }),
      minTurnover: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined, freq: 2 }),
      currency,
      maxLots: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      maxSize: fc.integer({ min: dense ? 2 : 1, max: 4 }),
      limit: fc.integer({ min: 1, max: 12 }),
      groupRule: fc.constantFrom<GroupRule>("per-member", "combined"),
      awardDaysAgo: fc.array(fc.integer({ min: 0, max: 1500 }), { maxLength: 4 }),
    })
    .chain((spec) =>
      fc.tuple(
        fc.constant(spec),
        fc.tuple(...Array.from({ length: spec.n }, (_, i) => candidate(`e${i}`, dense ? denseCode : code))),
      ),
    )
    .map(([spec, candidates]) => {
      const t: MatchTender = tender(
        spec.lots.map((codes, i) => lot(`L${i + 1}`, codes)),
        {
          reserved: spec.reserved,
          ...(spec.place ? { place: spec.place } : {}),
          requirements: {
            ...(spec.minTurnover !== undefined ? { minTurnover: spec.minTurnover } : {}),
            ...(spec.currency !== undefined ? { currency: spec.currency } : {}),
            ...(spec.maxLots !== undefined ? { maxLotsPerBidder: spec.maxLots } : {}),
          },
        },
      );
      const pastAwards: PastAward[] = spec.awardDaysAgo.map((days, i) => ({
        enterpriseId: `e${i % spec.n}`,
        buyerId: i % 3 === 2 ? "odense-kommune" : "aarhus-kommune",
        reserved: "res-pub-ser",
        awardedAt: new Date(Date.parse(NOW) - days * 86_400_000).toISOString(),
      }));
      const options: MatchOptions = {
        now: NOW,
        maxSize: spec.maxSize,
        limit: spec.limit,
        groupRule: spec.groupRule,
        pastAwards,
      };
      return { tender: t, candidates, options };
    });

/** The definition, written out again independently of the implementation. */
function feasible(t: MatchTender, set: readonly MatchEnterprise[], o: MatchOptions): boolean {
  const max = t.requirements.maxLotsPerBidder;
  const lots = max === undefined ? t.lots : t.lots.slice(0, max);
  const codes = lots.flatMap((l) => l.cpv);
  if (set.length === 0 || set.length > (o.maxSize ?? 4)) return false;
  if (set.length > 1 && set.some((m) => !m.openToConsortia)) return false;
  if (!codes.every((c) => set.some((m) => m.cpv.some((own) => covers(own, c))))) return false;
  const place = t.place;
  for (const m of set) {
    if (m.location && place?.lat !== undefined && place.lon !== undefined) {
      if (distanceKm(m.location, { lat: place.lat, lon: place.lon }) > m.serviceRadiusKm) return false;
    }
  }
  const eligibleAlone = (m: MatchEnterprise): boolean => {
    if (t.reserved === "res-ws") return (m.disadvantagedShare ?? 0) >= 0.3;
    if (t.reserved === "res-pub-ser") {
      return m.publicServiceMission && !art77Blocked(m.id, t.buyer.id, o.pastAwards ?? [], o.now);
    }
    return true;
  };
  if (t.reserved === "res-ws" && o.groupRule === "combined") {
    const w = set.map((m) => Math.max(m.employees ?? 1, 1));
    const total = w.reduce((a, b) => a + b, 0);
    const share = set.reduce((s, m, i) => s + (w[i] ?? 0) * (m.disadvantagedShare ?? 0), 0) / total;
    if (share < 0.3 - 1e-9) return false;
  } else if (!set.every(eligibleAlone)) return false;
  const required = t.requirements.minTurnover;
  if (required !== undefined && required > 0) {
    const cur = t.requirements.currency;
    const sum = set.reduce((s, m) => {
      const amount = m.annualTurnover ?? 0;
      if (cur === undefined || m.currency === undefined || cur === m.currency) return s + amount;
      const eur = toEur(amount, m.currency);
      const unit = toEur(1, cur);
      return s + (eur === undefined || unit === undefined ? 0 : eur / unit);
    }, 0);
    if (sum < required) return false;
  }
  return true;
}

function irredundant(t: MatchTender, set: readonly MatchEnterprise[], o: MatchOptions): boolean {
  return (
    set.length === 1 ||
    set.every(
      (_, i) =>
        !feasible(
          t,
          set.filter((__, j) => j !== i),
          o,
        ),
    )
  );
}

function subsets<T>(items: readonly T[], maxSize: number): T[][] {
  const out: T[][] = [];
  const go = (start: number, acc: T[]): void => {
    if (acc.length > 0) out.push(acc);
    if (acc.length === maxSize) return;
    for (let i = start; i < items.length; i++) {
      const item = items[i];
      if (item !== undefined) go(i + 1, [...acc, item]);
    }
  };
  go(0, []);
  return out;
}

const key = (ids: readonly string[]): string => [...ids].sort().join("+");

describe("formConsortia against exhaustive search", () => {
  it.each([
    ["sparse", false, 500],
    ["dense", true, 500],
  ] as const)(
    "%s instances: only feasible irredundant sets, smallest first, none missed",
    (_name, dense, numRuns) => {
      fc.assert(
        fc.property(instance(dense), ({ tender: t, candidates, options }) => {
          const byId = new Map(candidates.map((c) => [c.id, c]));
          const result = formConsortia(t, candidates, options);
          const all = subsets(candidates, options.maxSize ?? 4).filter((s) => feasible(t, s, options));
          const exact = all.filter((s) => irredundant(t, s, options)).sort((a, b) => a.length - b.length);
          const exactKeys = new Set(exact.map((s) => key(s.map((m) => m.id))));

          const got = result.consortia.map((c) => c.members);
          for (const ids of got) {
            const set = ids.flatMap((id) => byId.get(id) ?? []);
            expect(feasible(t, set, options)).toBe(true);
            expect(irredundant(t, set, options)).toBe(true);
            expect(exactKeys.has(key(ids))).toBe(true);
          }
          expect(new Set(got.map(key)).size).toBe(got.length);
          const sizes = got.map((ids) => ids.length);
          expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
          expect(result.consortia.every((c) => !c.competitionFlag)).toBe(true);

          const limit = options.limit ?? 10;
          // Same sizes as the exhaustive list cut at `limit`: every set of each smaller size is found.
          expect(sizes).toEqual(exact.slice(0, limit).map((s) => s.length));
          if (all.length > 0) {
            const min = Math.min(...all.map((s) => s.length));
            expect(got[0]?.length).toBe(min);
            expect(result.infeasible).toBeUndefined();
          } else {
            expect(got).toEqual([]);
            expect(result.infeasible?.reasons.length).toBeGreaterThan(0);
          }
          const singles = all.filter((s) => s.length === 1).map((s) => s[0]?.id ?? "");
          expect(result.singles.map((s) => s.id).sort()).toEqual(singles.sort());
        }),
        { numRuns, seed: 20260615 },
      );
    },
  );
});
