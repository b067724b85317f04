/**
 * Exact search for feasible, irredundant groups of a given size over a prepared candidate pool.
 *
 * The pool arrives as numbers: a coverage bitmask per candidate over the required codes (bit `c`
 * of word `c >>> 5`), its turnover in the requirement's currency, its employee weight and
 * disadvantaged share (combined Art. 20 rule only) and a quality used to order candidates. The
 * caller has already dropped candidates that do not serve the place or are not eligible on their
 * own under the per-member rule; `searchGroups` only ever sees members open to consortia
 * (groups of one are handled by the caller).
 *
 * Method
 * 1. Candidates with the same mask form a class. A group is a multiset of classes (its pattern)
 *    plus a choice of members in each class.
 * 2. Patterns are searched depth first. While a code is uncovered, branch on the classes that
 *    cover the uncovered code with the fewest coverers (every feasible group holds one of them).
 *    Once covered, the only constraints adding members can still repair are turnover and the
 *    combined share; members added then ("helpers") are taken in one fixed order so that each
 *    multiset of helpers is built once, and only from classes with a member that could be
 *    essential for one of them (turnover > 0, or share ≥ 0.30). Without those constraints a
 *    covering pattern is complete (anything added would be redundant) and every class of a
 *    pattern must keep a code no other class covers.
 * 3. Bounds cut branches that cannot reach the required turnover or combined share even with the
 *    best members of the chosen classes and the best remaining candidates; a pattern that is
 *    feasible whatever members are chosen gets no helpers (they would be redundant).
 * 4. A complete pattern is expanded into member choices in order of quality; each is checked for
 *    turnover, group eligibility and irredundancy (a member is essential when it holds a code
 *    no other member covers, or removing it breaks turnover or the combined share).
 *
 * Exactness. Every feasible irredundant group is reached by steps 2–4 (the branching always
 * includes the group's coverer of the chosen code, helpers are the group's members outside a
 * covering part, and bounds only cut what no completion can satisfy), so on a pool searched in
 * full the result is every such group of the size.
 *
 * Large pools. When more than `LARGE_POOL` candidates are open to consortia, each class keeps
 * only its `CLASS_KEEP` best members by quality plus every member that fewer than `maxSize`
 * others of the class dominate in (turnover, share surplus). This keeps the minimum size exact
 * (the minimum over all sizes; groups of one are the caller's, who passes `minimumKnown` once a
 * smaller group exists): in a feasible group of minimum size, a member with `maxSize` dominators
 * in its class has one outside the group and can be swapped for it (same codes, no less turnover
 * or surplus) and the group stays feasible, and a group of minimum size is irredundant. Once the
 * minimum size is known (found at this size or a smaller one), the search of a size also stops
 * after `SCORED_PER_SIZE` groups, `PER_PATTERN` groups of one pattern, or `WORK_BUDGET` steps.
 * So the minimum size is exact and at least one group of it is returned; the ranking within a
 * size is over the best candidates per class. Pools up to `LARGE_POOL` are searched in full.
 */

export type SearchInput = {
  /** Number of required codes (mask bits). */
  codes: number;
  /** `codes` bits per candidate, `Math.ceil(codes / 32)` (at least 1) words each. */
  masks: Uint32Array;
  /** Turnover in the requirement's currency (0 when unknown). */
  turnover: Float64Array;
  /** Minimum summed turnover, when set. */
  required?: number;
  /** Combined share rule: employee weights and shares, and the exact group eligibility check. */
  shares?: {
    weight: Float64Array;
    share: Float64Array;
    eligible: (group: readonly number[]) => boolean;
  };
  /** Higher is better; orders members within a class and classes within a branching. */
  quality: Float64Array;
  /** Candidates that may take part (open to consortia). */
  members: readonly number[];
  /** Largest group size the caller will ask for. */
  maxSize: number;
};

/** Above this many candidates the pool counts as large (see the module comment). */
export const LARGE_POOL = 24;
/** Members kept per class on large pools, besides the turnover/share frontier. */
export const CLASS_KEEP = 8;
/** Groups of one size found (then scored by the caller) on large pools. */
export const SCORED_PER_SIZE = 400;
/** Groups taken from one pattern on large pools. */
export const PER_PATTERN = 24;
/**
 * Search steps (pattern nodes and member choices) per size on large pools, once the minimum size
 * is known (a group of a smaller size was found, or one of this size).
 */
export const WORK_BUDGET = 50_000;

/**
 * Art. 20 share as `isGroupEligible` applies it (0.30 less its rounding guard), so that a group
 * meets the combined rule exactly when its summed surplus w·(share − SHARE_LINE) is ≥ 0; bounds
 * leave a further slack for floating-point sums (the exact check is the caller's `eligible`).
 */
const SHARE_MIN = 0.3;
const SHARE_LINE = SHARE_MIN - 1e-9;
const SHARE_SLACK = 1e-6;

export type SearchTuning = {
  largePool: number;
  classKeep: number;
  scoredPerSize: number;
  perPattern: number;
  workBudget: number;
};

export const DEFAULT_TUNING: SearchTuning = {
  largePool: LARGE_POOL,
  classKeep: CLASS_KEEP,
  scoredPerSize: SCORED_PER_SIZE,
  perPattern: PER_PATTERN,
  workBudget: WORK_BUDGET,
};

type Klass = {
  mask: Uint32Array;
  /** Members in order of quality (best first), after truncation. */
  members: number[];
  /** Prefix sums of turnovers sorted high to low / low to high: best and worst sum of j members. */
  topT: Float64Array;
  lowT: Float64Array;
  /** The same for the share surplus w·(share − 0.30). */
  topU: Float64Array;
  lowU: Float64Array;
  /** Every member has a share ≥ 0.30 (any choice keeps the combined share). */
  allLift: boolean;
  /** Some member could be essential as a helper. */
  canHelp: boolean;
  pop: number;
  best: number;
};

export type GroupSearch = {
  /**
   * Feasible irredundant groups of exactly `k` members (sorted member indices). `minimumKnown`:
   * a smaller group was already found, so on a large pool this size is searched for ranking only
   * and the work budget applies even before a first group of this size.
   */
  ofSize: (k: number, minimumKnown?: boolean) => number[][];
  /** Whether the pool was treated as large (budgets may apply). */
  large: boolean;
};

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function prefix(values: readonly number[]): Float64Array {
  const out = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) out[i + 1] = (out[i] ?? 0) + (values[i] ?? 0);
  return out;
}

const at = (a: Float64Array, i: number): number => a[i] ?? 0;

/**
 * Members of a class that fewer than `limit` others dominate in (turnover, surplus); ties are
 * broken by index so that equal members do not eliminate each other.
 */
function frontier(members: readonly number[], t: Float64Array, u: Float64Array, limit: number): number[] {
  const order = [...members].sort((a, b) => at(t, b) - at(t, a) || at(u, b) - at(u, a) || a - b);
  const kept: number[] = [];
  for (const i of order) {
    let dominators = 0;
    for (const j of kept) if (at(u, j) >= at(u, i)) dominators++;
    if (dominators < limit) kept.push(i);
  }
  return kept;
}

export function prepareGroupSearch(input: SearchInput, tuning: SearchTuning = DEFAULT_TUNING): GroupSearch {
  const W = Math.max(1, Math.ceil(input.codes / 32));
  const full = new Uint32Array(W);
  for (let c = 0; c < input.codes; c++) full[c >>> 5] = (full[c >>> 5] ?? 0) | (1 << (c & 31));
  const t = input.turnover;
  const R = input.required;
  const shares = input.shares;
  const u = new Float64Array(t.length);
  if (shares) {
    for (const i of input.members) u[i] = at(shares.weight, i) * (at(shares.share, i) - SHARE_LINE);
  }
  const capacity = R !== undefined || shares !== undefined;
  const large = input.members.length > tuning.largePool;

  // Classes by mask.
  const byMask = new Map<string, number[]>();
  for (const i of input.members) {
    const key = Array.from(input.masks.subarray(i * W, i * W + W)).join(",");
    const list = byMask.get(key);
    if (list) list.push(i);
    else byMask.set(key, [i]);
  }
  const byQuality = (a: number, b: number): number => at(input.quality, b) - at(input.quality, a) || a - b;
  const classes: Klass[] = [];
  for (const list of byMask.values()) {
    const first = list[0] ?? 0;
    let members = [...list].sort(byQuality);
    if (large && members.length > tuning.classKeep) {
      const keep = new Set(members.slice(0, tuning.classKeep));
      if (capacity) {
        const tt = R !== undefined ? t : new Float64Array(t.length);
        const uu = shares ? u : new Float64Array(t.length);
        for (const i of frontier(members, tt, uu, input.maxSize)) keep.add(i);
      }
      members = members.filter((i) => keep.has(i));
    }
    const ts = members.map((i) => at(t, i));
    const us = members.map((i) => at(u, i));
    const mask = input.masks.slice(first * W, first * W + W);
    let pop = 0;
    for (const w of mask) pop += popcount32(w);
    classes.push({
      mask,
      members,
      topT: prefix([...ts].sort((a, b) => b - a)),
      lowT: prefix([...ts].sort((a, b) => a - b)),
      topU: prefix([...us].sort((a, b) => b - a)),
      lowU: prefix([...us].sort((a, b) => a - b)),
      allLift: shares ? members.every((i) => at(shares.share, i) >= SHARE_MIN) : true,
      canHelp: members.some(
        (i) =>
          (R !== undefined && at(t, i) > 0) ||
          (shares !== undefined && at(shares.share, i) >= SHARE_MIN - SHARE_SLACK),
      ),
      pop,
      best: at(input.quality, members[0] ?? first),
    });
  }
  // Broad classes and good members first: the first groups found are likely good ones.
  classes.sort((a, b) => b.pop - a.pop || b.best - a.best);
  const C = classes.length;
  const klass = (x: number): Klass => {
    const k = classes[x];
    if (!k) throw new Error(`no class ${x}`);
    return k;
  };
  const hasBit = (mask: Uint32Array, c: number): boolean => ((mask[c >>> 5] ?? 0) & (1 << (c & 31))) !== 0;
  const coverers: number[][] = Array.from({ length: input.codes }, (_, c) =>
    classes.flatMap((k, x) => (hasBit(k.mask, c) ? [x] : [])),
  );
  // Upper bounds for r more members of the whole (truncated) pool.
  const allMembers = classes.flatMap((k) => k.members);
  const topTAll = prefix(allMembers.map((i) => at(t, i)).sort((a, b) => b - a));
  const topUAll = prefix(allMembers.map((i) => at(u, i)).sort((a, b) => b - a));
  const weightBound = shares
    ? prefix(allMembers.map((i) => at(shares.weight, i)).sort((a, b) => b - a))
    : new Float64Array(1);
  /** Could be essential for turnover or the combined share (see the module comment). */
  const mayHelp = (i: number): boolean =>
    (R !== undefined && at(t, i) > 0) ||
    (shares !== undefined && at(shares.share, i) >= SHARE_MIN - SHARE_SLACK);
  // Helpers in a fixed order: by best turnover (when required), else by best surplus.
  const helperKey = (x: number): number => (R !== undefined ? at(klass(x).topT, 1) : at(klass(x).topU, 1));
  const helpers = classes
    .map((_, x) => x)
    .filter((x) => klass(x).canHelp)
    .sort((a, b) => helperKey(b) - helperKey(a) || a - b);

  const ofSize = (k: number, minimumKnown = false): number[][] => {
    const found: number[][] = [];
    if (k < 2 || k > input.maxSize || C === 0) return found;
    const counts = new Int32Array(C);
    /** Whether a picked member holds a code no other class of the pattern covers. */
    const essentialMember = new Uint8Array(t.length);
    const chosen: number[] = [];
    const seen = new Set<string>();
    const done = new Set<string>();
    let work = 0;
    const stop = (): boolean =>
      large &&
      (found.length > 0 || minimumKnown) &&
      (found.length >= tuning.scoredPerSize || work > tuning.workBudget);
    const coverOf = (): Uint32Array => {
      const cov = new Uint32Array(W);
      for (const x of chosen) {
        const m = klass(x).mask;
        for (let w = 0; w < W; w++) cov[w] = (cov[w] ?? 0) | (m[w] ?? 0);
      }
      return cov;
    };
    const sumOver = (pick: (k: Klass) => Float64Array): number => {
      let s = 0;
      for (let x = 0; x < C; x++) {
        const n = counts[x] ?? 0;
        if (n > 0) s += at(pick(klass(x)), n);
      }
      return s;
    };
    const patternKey = (): string => [...chosen].sort((a, b) => a - b).join(",");
    /** In a pattern with one member per class, every class keeps a code of its own. */
    const allPrivate = (): boolean => {
      for (const x of chosen) {
        const m = klass(x).mask;
        let own = false;
        for (let w = 0; w < W && !own; w++) {
          let others = 0;
          for (const y of chosen) if (y !== x) others |= klass(y).mask[w] ?? 0;
          if (((m[w] ?? 0) & ~others) !== 0) own = true;
        }
        if (!own) return false;
      }
      return true;
    };
    const boundsFail = (r: number): boolean => {
      if (R !== undefined && sumOver((c) => c.topT) + at(topTAll, r) < R) return true;
      if (shares && sumOver((c) => c.topU) + at(topUAll, r) < -SHARE_SLACK * at(weightBound, k)) return true;
      return false;
    };
    const surelyFeasible = (): boolean =>
      (R === undefined || sumOver((c) => c.lowT) >= R * (1 + 1e-9) + 1e-9) &&
      (!shares || chosen.every((x) => klass(x).allLift));

    const visit = (minHelper: number): void => {
      work++;
      if (stop()) return;
      const r = k - chosen.length;
      const inHelpers = minHelper >= 0;
      const key = `${patternKey()}|${minHelper}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (capacity && boundsFail(r)) return;
      const cov = coverOf();
      let best = -1;
      let bestCount = Infinity;
      for (let c = 0; c < input.codes; c++) {
        if (hasBit(cov, c)) continue;
        const n = coverers[c]?.length ?? 0;
        if (n < bestCount) {
          best = c;
          bestCount = n;
        }
      }
      if (best >= 0) {
        if (r === 0 || bestCount === 0) return;
        for (const x of coverers[best] ?? []) {
          const kx = klass(x);
          if (r === 1) {
            let all = true;
            for (let w = 0; w < W; w++) {
              const missing = (full[w] ?? 0) & ~(cov[w] ?? 0);
              if ((missing & ~(kx.mask[w] ?? 0)) !== 0) all = false;
            }
            if (!all) continue;
          }
          chosen.push(x);
          counts[x] = (counts[x] ?? 0) + 1;
          if (capacity || allPrivate()) visit(-1);
          counts[x] = (counts[x] ?? 0) - 1;
          chosen.pop();
          if (stop()) return;
        }
        return;
      }
      if (r === 0) {
        const pk = patternKey();
        if (!done.has(pk)) {
          done.add(pk);
          expand();
        }
        return;
      }
      if (!capacity || (chosen.length > 0 && surelyFeasible())) return;
      const base = R !== undefined ? sumOver((c) => c.topT) : sumOver((c) => c.topU);
      for (let h = inHelpers ? minHelper : 0; h < helpers.length; h++) {
        const x = helpers[h] ?? 0;
        const kx = klass(x);
        if ((counts[x] ?? 0) >= kx.members.length) continue;
        const bound = base + r * helperKey(x);
        if (R !== undefined ? bound < R : bound < -SHARE_SLACK * at(weightBound, k)) break;
        chosen.push(x);
        counts[x] = (counts[x] ?? 0) + 1;
        visit(h);
        counts[x] = (counts[x] ?? 0) - 1;
        chosen.pop();
        if (stop()) return;
      }
    };

    /** Member choices for the current pattern. */
    const expand = (): void => {
      const parts: { x: number; n: number; essential: boolean }[] = [];
      const distinct = [...new Set(chosen)].sort((a, b) => a - b);
      for (const x of distinct) {
        const n = counts[x] ?? 0;
        let essential = false;
        if (n === 1) {
          const m = klass(x).mask;
          for (let w = 0; w < W && !essential; w++) {
            let others = 0;
            for (const y of distinct) if (y !== x) others |= klass(y).mask[w] ?? 0;
            if (((m[w] ?? 0) & ~others) !== 0) essential = true;
          }
        }
        parts.push({ x, n, essential });
      }
      // Best turnover / surplus still reachable from part j on.
      const restT = new Float64Array(parts.length + 1);
      const restU = new Float64Array(parts.length + 1);
      for (let j = parts.length - 1; j >= 0; j--) {
        const part = parts[j];
        if (!part) continue;
        restT[j] = at(restT, j + 1) + at(klass(part.x).topT, part.n);
        restU[j] = at(restU, j + 1) + at(klass(part.x).topU, part.n);
      }
      const picked: number[] = [];
      let fromPattern = 0;
      let sumT = 0;
      let sumU = 0;
      const check = (): void => {
        work++;
        const group = picked.slice().sort((a, b) => a - b);
        // Sums in member order, as the feasibility check of the definition adds them up.
        const total = (skip: number): number => {
          let sum = 0;
          for (const i of group) if (i !== skip) sum += at(t, i);
          return sum;
        };
        if (R !== undefined && total(-1) < R) return;
        if (shares && !shares.eligible(group)) return;
        for (const i of group) {
          if (essentialMember[i] === 1) continue;
          // Without this member the codes stay covered: it must be needed for turnover or share.
          const turnoverOk = R === undefined || total(i) >= R;
          const shareOk = !shares || shares.eligible(group.filter((j) => j !== i));
          if (turnoverOk && shareOk) return;
        }
        found.push(group);
        fromPattern++;
      };
      const choose = (j: number, start: number, left: number): void => {
        if (stop() || (large && fromPattern >= tuning.perPattern)) return;
        const part = parts[j];
        if (!part) {
          check();
          return;
        }
        if (left === 0) {
          choose(j + 1, 0, parts[j + 1]?.n ?? 0);
          return;
        }
        const members = klass(part.x).members;
        for (let s = start; s <= members.length - left; s++) {
          work++;
          const i = members[s] ?? 0;
          const ti = at(t, i);
          const ui = at(u, i);
          // A member whose codes others cover must be needed for turnover or the share.
          if (!part.essential && !mayHelp(i)) continue;
          // Bound: the remaining choices of this part and the later parts at their best.
          if (R !== undefined) {
            const rest = at(restT, j + 1) + at(klass(part.x).topT, left - 1);
            if (sumT + ti + rest < R) continue;
          }
          if (shares) {
            const rest = at(restU, j + 1) + at(klass(part.x).topU, left - 1);
            if (sumU + ui + rest < -SHARE_SLACK * at(weightBound, k)) continue;
          }
          picked.push(i);
          essentialMember[i] = part.essential ? 1 : 0;
          sumT += ti;
          sumU += ui;
          choose(j, s + 1, left - 1);
          sumT -= ti;
          sumU -= ui;
          picked.pop();
          if (stop() || (large && fromPattern >= tuning.perPattern)) return;
        }
      };
      choose(0, 0, parts[0]?.n ?? 0);
    };

    visit(-1);
    return found;
  };

  return { ofSize, large };
}
