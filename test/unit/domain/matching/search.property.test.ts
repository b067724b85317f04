import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TUNING,
  prepareGroupSearch,
  type SearchInput,
  type SearchTuning,
} from "../../../../src/domain/matching/search.js";

/**
 * The group search on numeric instances against every subset: pools with many equivalent
 * candidates (few distinct masks), turnover requirements and the combined share.
 */
type Instance = {
  codes: number;
  masks: number[];
  turnover: number[];
  weight: number[];
  share: number[];
  required?: number;
  combined: boolean;
  maxSize: number;
};

const instance = (maxPool: number): fc.Arbitrary<Instance> =>
  fc
    .record({
      codes: fc.integer({ min: 0, max: 6 }),
      n: fc.integer({ min: 2, max: maxPool }),
      kinds: fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 5 }),
      required: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined, freq: 2 }),
      combined: fc.boolean(),
      maxSize: fc.integer({ min: 2, max: 4 }),
      seed: fc.integer(),
    })
    .chain((spec) =>
      fc.record({
        spec: fc.constant(spec),
        picks: fc.array(fc.nat(spec.kinds.length - 1), { minLength: spec.n, maxLength: spec.n }),
        turnover: fc.array(fc.constantFrom(0, 1, 2, 5, 8, 13), { minLength: spec.n, maxLength: spec.n }),
        weight: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: spec.n, maxLength: spec.n }),
        share: fc.array(fc.constantFrom(0, 0.1, 0.2999, 0.3, 0.5, 0.9), {
          minLength: spec.n,
          maxLength: spec.n,
        }),
      }),
    )
    .map(({ spec, picks, turnover, weight, share }) => {
      const all = (1 << spec.codes) - 1;
      return {
        codes: spec.codes,
        masks: picks.map((p) => (spec.kinds[p] ?? 0) & all),
        turnover,
        weight,
        share,
        ...(spec.required !== undefined ? { required: spec.required } : {}),
        combined: spec.combined,
        maxSize: spec.maxSize,
      };
    });

/** The combined rule as `isGroupEligible` computes it. */
function eligible(inst: Instance, group: readonly number[]): boolean {
  let weighted = 0;
  let total = 0;
  for (const i of group) {
    weighted += (inst.weight[i] ?? 1) * (inst.share[i] ?? 0);
    total += inst.weight[i] ?? 1;
  }
  return (total === 0 ? 0 : weighted / total) >= 0.3 - 1e-9;
}

function feasible(inst: Instance, group: readonly number[]): boolean {
  if (group.length === 0) return false;
  const all = (1 << inst.codes) - 1;
  if (group.reduce((m, i) => m | (inst.masks[i] ?? 0), 0) !== all) return false;
  if (inst.required !== undefined && group.reduce((s, i) => s + (inst.turnover[i] ?? 0), 0) < inst.required)
    return false;
  return !inst.combined || eligible(inst, group);
}

function irredundant(inst: Instance, group: readonly number[]): boolean {
  return group.every(
    (x) =>
      !feasible(
        inst,
        group.filter((i) => i !== x),
      ),
  );
}

/** Every feasible irredundant group of size k, as sorted keys. */
function exhaustive(inst: Instance, k: number): string[] {
  const out: string[] = [];
  const n = inst.masks.length;
  const go = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      if (feasible(inst, acc) && irredundant(inst, acc)) out.push(acc.join(","));
      return;
    }
    for (let i = start; i < n; i++) go(i + 1, [...acc, i]);
  };
  go(0, []);
  return out.sort();
}

function input(inst: Instance): SearchInput {
  const n = inst.masks.length;
  return {
    codes: inst.codes,
    masks: Uint32Array.from(inst.masks),
    turnover: Float64Array.from(inst.turnover),
    ...(inst.required !== undefined ? { required: inst.required } : {}),
    ...(inst.combined
      ? {
          shares: {
            weight: Float64Array.from(inst.weight),
            share: Float64Array.from(inst.share),
            eligible: (group: readonly number[]) => eligible(inst, group),
          },
        }
      : {}),
    quality: Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 13) / 13),
    members: Array.from({ length: n }, (_, i) => i),
    maxSize: inst.maxSize,
  };
}

/** Large-pool mode on every pool, with the tightest budgets. */
const TIGHT: SearchTuning = { largePool: 0, classKeep: 1, scoredPerSize: 1, perPattern: 1, workBudget: 0 };

describe("group search against every subset", () => {
  it("finds exactly the feasible irredundant groups of each size on small pools", () => {
    fc.assert(
      fc.property(instance(DEFAULT_TUNING.largePool), (inst) => {
        const search = prepareGroupSearch(input(inst));
        expect(search.large).toBe(false);
        for (let k = 2; k <= inst.maxSize; k++) {
          const got = search.ofSize(k).map((g) => g.join(","));
          expect(new Set(got).size).toBe(got.length);
          expect(got.sort()).toEqual(exhaustive(inst, k));
        }
      }),
      { numRuns: 300, seed: 20260615 },
    );
  });

  it("keeps the minimum size exact under the large-pool truncation and budgets", () => {
    fc.assert(
      fc.property(instance(14), (inst) => {
        const search = prepareGroupSearch(input(inst), TIGHT);
        expect(search.large).toBe(true);
        // Groups of one are the caller's; when one exists the minimum size is known.
        let known = inst.masks.some((_, i) => feasible(inst, [i]));
        for (let k = 2; k <= inst.maxSize; k++) {
          const exact = new Set(exhaustive(inst, k));
          const got = search.ofSize(k, known).map((g) => g.join(","));
          for (const key of got) expect(exact.has(key)).toBe(true);
          // Until the minimum size is known, a size has a group exactly when one exists.
          if (!known) expect(got.length > 0).toBe(exact.size > 0);
          if (got.length > 0) known = true;
        }
      }),
      { numRuns: 400, seed: 20260616 },
    );
  });
});
