import { covers, significant, uniqueCodes } from "../cpv.js";
import type { Enterprise } from "../enterprise.js";
import { toEur } from "../money.js";
import type { Tender } from "../tender.js";
import {
  combinedShare,
  effectiveReservation,
  isEligible,
  isGroupEligible,
  shareWeight,
  type EligibilityContext,
  type GroupRule,
  type PastAward,
} from "./eligibility.js";
import { distanceToPlace, servesPlace } from "./place.js";

/** The enterprise fields matching reads (an Enterprise, or its API JSON shape, fits). */
export type MatchEnterprise = Pick<
  Enterprise,
  | "id"
  | "cpv"
  | "location"
  | "serviceRadiusKm"
  | "annualTurnover"
  | "currency"
  | "employees"
  | "disadvantagedShare"
  | "publicServiceMission"
  | "openToConsortia"
>;

/** The tender fields matching reads. */
export type MatchTender = Pick<Tender, "reserved" | "place" | "lots" | "requirements"> & {
  buyer: Pick<Tender["buyer"], "id">;
};

export const DEFAULT_MAX_SIZE = 4;
export const DEFAULT_LIMIT = 10;

export type MatchOptions = {
  /** Largest consortium (default 4). */
  maxSize?: number;
  /** How many consortia to return (default 10). */
  limit?: number;
  /** Lot ids to bid for (default all, capped at `requirements.maxLotsPerBidder`). */
  lots?: readonly string[];
  groupRule?: GroupRule;
  pastAwards?: readonly PastAward[];
  /** ISO date-time; the clock is injected. */
  now: string;
};

export type CoverageLine = { lotId: string; code: string; memberId: string; memberCode: string };
export type MemberLine = { id: string; eligible: boolean; distanceKm?: number };
export type ConsortiumExplanation = {
  coverage: CoverageLine[];
  members: MemberLine[];
  /** In the requirement's currency (see `turnoverIn`). */
  turnover: { sum: number; required?: number; currency?: string };
  /** Present under the combined group rule for `res-ws`. */
  combinedShare?: number;
};
export type Consortium = {
  members: string[];
  lots: string[];
  score: number;
  explanation: ConsortiumExplanation;
  competitionFlag: boolean;
};
export type Single = { id: string; lots: string[]; score: number; explanation: ConsortiumExplanation };
export type LotSingles = { lotId: string; members: string[] };

export type InfeasibleReason =
  | { kind: "unknown-lot"; lotId: string }
  | { kind: "too-many-lots"; requested: number; maxLotsPerBidder: number }
  | { kind: "uncovered"; lotId: string; code: string }
  | { kind: "turnover-short"; required: number; best: number }
  | { kind: "no-consortium"; maxSize: number };
export type Closest = { id: string; covered: number; total: number; serves: boolean; eligible: boolean };

export type MatchResult = {
  /** The lots matched against. */
  lots: string[];
  /** True when the default lot set was cut to `maxLotsPerBidder` (the first lots in order). */
  lotsCapped: boolean;
  /** True when the tender's reservation is `unknown` (matched as `none`). */
  reservationUnknown: boolean;
  consortia: Consortium[];
  singles: Single[];
  lotSingles: LotSingles[];
  infeasible?: { reasons: InfeasibleReason[]; closest: Closest[] };
};

type Requirement = { lotId: string; code: string };

/** The fixed part of a question: tender, chosen lots, rules. */
type Problem = {
  tender: MatchTender;
  lotIds: string[];
  /** (lot, code) pairs of the chosen lots, in lot order. */
  requirements: Requirement[];
  /** Distinct codes of the chosen lots. */
  codes: string[];
  required?: number;
  currency?: string;
  maxSize: number;
  rule: GroupRule;
  ctx: EligibilityContext;
};

/**
 * Turnover in the requirement's currency. When either currency is missing they are assumed to
 * be the same; when both are known and differ, both go through `toEur`. A currency without a
 * rate (or no turnover) counts as 0: capacity is never guessed.
 */
export function turnoverIn(
  e: Pick<MatchEnterprise, "annualTurnover" | "currency">,
  currency?: string,
): number {
  const amount = e.annualTurnover ?? 0;
  if (amount === 0 || currency === undefined || e.currency === undefined) return amount;
  if (e.currency.toUpperCase() === currency.toUpperCase()) return amount;
  const eur = toEur(amount, e.currency);
  const unit = toEur(1, currency);
  return eur === undefined || unit === undefined ? 0 : eur / unit;
}

/** The enterprise covers a code with one of its codes (`covers` of cpv.ts: ≥ 3 significant digits). */
export function enterpriseCovers(e: Pick<MatchEnterprise, "cpv">, code: string): boolean {
  return e.cpv.some((own) => covers(own, code));
}

function buildProblem(tender: MatchTender, lotIds: string[], options: MatchOptions): Problem {
  const chosen = tender.lots.filter((l) => lotIds.includes(l.id));
  const requirements = chosen.flatMap((l) => uniqueCodes(l.cpv).map((code) => ({ lotId: l.id, code })));
  const required = tender.requirements.minTurnover;
  return {
    tender,
    lotIds: chosen.map((l) => l.id),
    requirements,
    codes: uniqueCodes(requirements.map((r) => r.code)),
    ...(required !== undefined && required > 0 ? { required } : {}),
    ...(tender.requirements.currency !== undefined ? { currency: tender.requirements.currency } : {}),
    maxSize: options.maxSize ?? DEFAULT_MAX_SIZE,
    rule: options.groupRule ?? "per-member",
    ctx: {
      buyerId: tender.buyer.id,
      now: options.now,
      ...(options.pastAwards ? { pastAwards: options.pastAwards } : {}),
    },
  };
}

function feasibleIn(p: Problem, members: readonly MatchEnterprise[]): boolean {
  if (members.length === 0 || members.length > p.maxSize) return false;
  if (members.length > 1 && !members.every((m) => m.openToConsortia)) return false;
  if (!members.every((m) => servesPlace(m, p.tender.place))) return false;
  if (!p.codes.every((c) => members.some((m) => enterpriseCovers(m, c)))) return false;
  if (!isGroupEligible(members, p.tender.reserved, p.rule, p.ctx)) return false;
  if (p.required !== undefined) {
    const sum = members.reduce((s, m) => s + turnoverIn(m, p.currency), 0);
    if (sum < p.required) return false;
  }
  return true;
}

function irredundantIn(p: Problem, members: readonly MatchEnterprise[]): boolean {
  if (members.length <= 1) return true;
  return members.every(
    (_, i) =>
      !feasibleIn(
        p,
        members.filter((__, j) => j !== i),
      ),
  );
}

/** The lots a question is about: explicit, or all (capped at `maxLotsPerBidder`). */
function resolveLots(
  tender: MatchTender,
  lots: readonly string[] | undefined,
): { lotIds: string[]; capped: boolean; reasons: InfeasibleReason[] } {
  const max = tender.requirements.maxLotsPerBidder;
  if (lots === undefined) {
    const all = tender.lots.map((l) => l.id);
    const capped = max !== undefined && all.length > max;
    return { lotIds: capped ? all.slice(0, max) : all, capped, reasons: [] };
  }
  const known = new Set(tender.lots.map((l) => l.id));
  const wanted = uniqueCodes(lots);
  const reasons: InfeasibleReason[] = wanted
    .filter((id) => !known.has(id))
    .map((lotId) => ({ kind: "unknown-lot" as const, lotId }));
  if (max !== undefined && wanted.length > max) {
    reasons.push({ kind: "too-many-lots", requested: wanted.length, maxLotsPerBidder: max });
  }
  return { lotIds: wanted, capped: false, reasons };
}

/** Options a question about a given group needs (what-if checks). */
export type GroupCheckOptions = Omit<MatchOptions, "limit">;

/** The problem for the lots asked for; undefined when they cannot be asked for together. */
function problemOf(tender: MatchTender, options: GroupCheckOptions): Problem | undefined {
  const { lotIds, reasons } = resolveLots(tender, options.lots);
  return reasons.length > 0 ? undefined : buildProblem(tender, lotIds, options);
}

/** Whether `members` is a feasible consortium for the tender and lots (see the definition). */
export function isFeasibleConsortium(
  tender: MatchTender,
  members: readonly MatchEnterprise[],
  options: GroupCheckOptions,
): boolean {
  const p = problemOf(tender, options);
  return p !== undefined && feasibleIn(p, members);
}

/** Feasible, and no member can be removed with the rest still feasible. */
export function isIrredundantConsortium(
  tender: MatchTender,
  members: readonly MatchEnterprise[],
  options: GroupCheckOptions,
): boolean {
  const p = problemOf(tender, options);
  return p !== undefined && feasibleIn(p, members) && irredundantIn(p, members);
}

/**
 * The competition flag: some member is alone a feasible consortium of one for the same lots
 * (the members could bid alone). Note: a feasible consortium containing such a member is
 * always redundant (that member alone suffices), so suggestions of `formConsortia`, which are
 * irredundant, never carry the flag; it matters for groups people put together themselves.
 */
export function competitionFlag(
  tender: MatchTender,
  members: readonly MatchEnterprise[],
  options: GroupCheckOptions,
): boolean {
  const p = problemOf(tender, options);
  return p !== undefined && members.length > 1 && members.some((m) => feasibleIn(p, [m]));
}

/** How specific a covering code is relative to the required one: 1 for the code itself. */
function depth(own: string, code: string): number {
  return significant(own).length / significant(code).length;
}

function bestDepth(e: MatchEnterprise, code: string): { depth: number; own: string } | undefined {
  let best: { depth: number; own: string } | undefined;
  for (const own of e.cpv) {
    if (!covers(own, code)) continue;
    const d = depth(own, code);
    if (!best || d > best.depth) best = { depth: d, own };
  }
  return best;
}

const WEIGHTS = { fit: 0.4, closeness: 0.2, headroom: 0.2, balance: 0.2 } as const;

/**
 * Explanation and score of a feasible group. The score (0..1, higher is better) ranks
 * suggestions of the same size:
 * - fit (0.4): mean over required codes of how specific the covering code is (significant
 *   digits of the member's code / of the required code; 1 when it is the code itself), so a
 *   cleaning firm registered for 90911200 beats one registered only for group 90900000;
 * - closeness (0.2): mean over members of 1 − distance / own radius (0.5 when unknown);
 * - headroom (0.2): turnover above the requirement, (sum − required) / required, capped at 1
 *   (1 when there is no requirement);
 * - balance (0.2): codes assigned per member, least / most (1 for a single); each code goes to
 *   its most specific coverer, ties to the member with less work so far. A member that covers
 *   nothing (there for turnover or share) makes it 0.
 * Members' past joint bids and awards are not known to the domain yet and are not scored.
 */
function describe(
  p: Problem,
  members: readonly MatchEnterprise[],
): { score: number; explanation: ConsortiumExplanation } {
  const work = new Map<string, number>(members.map((m) => [m.id, 0]));
  const coverage: CoverageLine[] = [];
  let fit = 0;
  for (const r of p.requirements) {
    let pick: { m: MatchEnterprise; depth: number; own: string } | undefined;
    for (const m of members) {
      const b = bestDepth(m, r.code);
      if (!b) continue;
      const better =
        !pick ||
        b.depth > pick.depth ||
        (b.depth === pick.depth && (work.get(m.id) ?? 0) < (work.get(pick.m.id) ?? 0));
      if (better) pick = { m, ...b };
    }
    if (!pick) continue;
    work.set(pick.m.id, (work.get(pick.m.id) ?? 0) + 1);
    coverage.push({ lotId: r.lotId, code: r.code, memberId: pick.m.id, memberCode: pick.own });
    fit += pick.depth;
  }
  const fitScore = p.requirements.length === 0 ? 1 : fit / p.requirements.length;
  const memberLines: MemberLine[] = members.map((m) => {
    const d = distanceToPlace(m, p.tender.place);
    return {
      id: m.id,
      eligible: isEligible(m, p.tender.reserved, p.ctx),
      ...(d !== undefined ? { distanceKm: Math.round(d * 10) / 10 } : {}),
    };
  });
  const closeness =
    members.reduce((s, m) => {
      const d = distanceToPlace(m, p.tender.place);
      return s + (d === undefined ? 0.5 : Math.max(0, 1 - d / m.serviceRadiusKm));
    }, 0) / members.length;
  const sum = members.reduce((s, m) => s + turnoverIn(m, p.currency), 0);
  const headroom = p.required === undefined ? 1 : Math.min(1, Math.max(0, (sum - p.required) / p.required));
  const counts = [...work.values()];
  const balance = members.length === 1 ? 1 : Math.min(...counts) / Math.max(1, ...counts);
  const score =
    WEIGHTS.fit * fitScore +
    WEIGHTS.closeness * closeness +
    WEIGHTS.headroom * headroom +
    WEIGHTS.balance * balance;
  const combined =
    effectiveReservation(p.tender.reserved) === "res-ws" && p.rule === "combined"
      ? { combinedShare: Math.round(combinedShare(members) * 1e4) / 1e4 }
      : {};
  return {
    score: Math.round(score * 1e4) / 1e4,
    explanation: {
      coverage,
      members: memberLines,
      turnover: {
        sum: Math.round(sum),
        ...(p.required !== undefined ? { required: p.required } : {}),
        ...(p.currency !== undefined ? { currency: p.currency } : {}),
      },
      ...combined,
    },
  };
}

/**
 * Exact search for feasible irredundant groups of exactly `k` members, over the candidate pool.
 *
 * Phase 1 is classic exact set-cover branching: take the first required code no member covers
 * and branch only on the candidates that cover it. Every feasible group contains such a chain
 * (a subset `T` that covers all codes). Phase 2: when `T` covers everything but is not feasible,
 * the only constraints that can still be repaired by adding members are turnover (add someone
 * with turnover > 0) and the combined share (add someone with a share above the group's). Each
 * irredundant feasible `S ⊇ T` is reached through such additions, and no search goes past a
 * feasible set: if `T ⊊ S` are both feasible then `S` is redundant (coverage, place, per-member
 * eligibility and turnover only get easier when members are added; for the weighted share, a
 * member of `S \ T` at or below the mean can go, and if all are above it any one can go).
 * Sets already seen are skipped, so each set is evaluated once per size.
 */
function searchSize(
  p: Problem,
  pool: readonly MatchEnterprise[],
  index: { coverers: readonly number[][]; coveredBy: readonly Set<number>[]; helpers: readonly number[] },
  k: number,
): number[][] {
  const seen = new Set<string>();
  const found: number[][] = [];
  const { coverers, coveredBy, helpers } = index;
  const shareRule = effectiveReservation(p.tender.reserved) === "res-ws" && p.rule === "combined";
  const firstUncovered = (set: readonly number[]): number => {
    for (let c = 0; c < p.codes.length; c++) {
      if (!set.some((i) => coveredBy[i]?.has(c) === true)) return c;
    }
    return -1;
  };
  const members = (set: readonly number[]): MatchEnterprise[] =>
    set.flatMap((i) => {
      const m = pool[i];
      return m ? [m] : [];
    });
  const canJoin = (set: readonly number[], i: number): boolean => {
    if (set.includes(i)) return false;
    if (set.length === 0) return true;
    const all = members([...set, i]);
    return all.every((m) => m.openToConsortia);
  };
  const visit = (set: number[]): void => {
    const key = [...set].sort((a, b) => a - b).join(",");
    if (seen.has(key)) return;
    seen.add(key);
    const c = firstUncovered(set);
    if (c !== -1) {
      if (set.length >= k) return;
      for (const i of coverers[c] ?? []) if (canJoin(set, i)) visit([...set, i]);
      return;
    }
    const group = members(set);
    if (group.length > 0 && feasibleIn(p, group)) {
      if (group.length === k && irredundantIn(p, group)) found.push([...set].sort((a, b) => a - b));
      return;
    }
    if (set.length >= k) return;
    // Covered but not feasible (or empty, when the lots have no codes): add a helper that can repair it.
    const sum = group.reduce((s, m) => s + turnoverIn(m, p.currency), 0);
    const turnoverShort = p.required !== undefined && sum < p.required;
    const mean = group.length === 0 ? -1 : combinedShare(group);
    const shareShort = shareRule && !isGroupEligible(group, p.tender.reserved, p.rule, p.ctx);
    for (const i of helpers) {
      const m = pool[i];
      if (!m || !canJoin(set, i)) continue;
      const helps =
        group.length === 0 ||
        (turnoverShort && turnoverIn(m, p.currency) > 0) ||
        (shareShort && shareWeight(m) > 0 && (m.disadvantagedShare ?? 0) > mean);
      if (helps) visit([...set, i]);
    }
  };
  visit([]);
  return found;
}

/**
 * Feasible, irredundant consortia for a tender, smallest first (the first has the minimum size
 * of any feasible consortium, found exactly), then by score; plus singles and, when nothing is
 * feasible, why. Candidates are taken as given (the caller narrows them with the search index);
 * duplicates by id are dropped, the first kept.
 */
export function formConsortia(
  tender: MatchTender,
  candidates: readonly MatchEnterprise[],
  options: MatchOptions,
): MatchResult {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const resolved = resolveLots(tender, options.lots);
  const reservationUnknown = tender.reserved === "unknown";
  const base = { lots: resolved.lotIds, lotsCapped: resolved.capped, reservationUnknown };
  if (resolved.reasons.length > 0) {
    return {
      ...base,
      consortia: [],
      singles: [],
      lotSingles: [],
      infeasible: { reasons: resolved.reasons, closest: [] },
    };
  }
  const p = buildProblem(tender, resolved.lotIds, options);
  const ids = new Set<string>();
  const unique = candidates.filter((c) => !ids.has(c.id) && Boolean(ids.add(c.id)));
  const perMember = !(effectiveReservation(tender.reserved) === "res-ws" && p.rule === "combined");
  // Prefilter: serves the place, and eligible on its own when the rule is per member.
  const pool = unique.filter(
    (c) => servesPlace(c, tender.place) && (!perMember || isEligible(c, tender.reserved, p.ctx)),
  );
  const coverers = p.codes.map((code) => pool.flatMap((m, i) => (enterpriseCovers(m, code) ? [i] : [])));
  const helpers = pool.map((_, i) => i);
  const coveredBy = pool.map(
    (m) => new Set(p.codes.flatMap((code, c) => (enterpriseCovers(m, code) ? [c] : []))),
  );

  const groups: number[][] = [];
  for (let k = 1; k <= p.maxSize && groups.length < limit; k++) {
    const ofSize = searchSize(p, pool, { coverers, coveredBy, helpers }, k);
    const ranked = ofSize
      .map((set) => ({
        set,
        ...describe(
          p,
          set.flatMap((i) => (pool[i] ? [pool[i]] : [])),
        ),
      }))
      .sort((a, b) => b.score - a.score || a.set.join(",").localeCompare(b.set.join(",")));
    groups.push(...ranked.map((r) => r.set));
  }
  const consortia: Consortium[] = groups.slice(0, limit).map((set) => {
    const group = set.flatMap((i) => (pool[i] ? [pool[i]] : []));
    const { score, explanation } = describe(p, group);
    return {
      members: group.map((m) => m.id),
      lots: p.lotIds,
      score,
      explanation,
      competitionFlag: group.length > 1 && group.some((m) => feasibleIn(p, [m])),
    };
  });

  const singles: Single[] = pool
    .filter((m) => feasibleIn(p, [m]))
    .map((m) => ({ id: m.id, lots: p.lotIds, ...describe(p, [m]) }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const lotSingles: LotSingles[] = p.lotIds.map((lotId) => {
    const one = buildProblem(tender, [lotId], options);
    return {
      lotId,
      members: pool
        .filter((m) => feasibleIn(one, [m]))
        .map((m) => ({ id: m.id, ...describe(one, [m]) }))
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .map((s) => s.id),
    };
  });

  const result: MatchResult = { ...base, consortia, singles, lotSingles };
  if (consortia.length === 0) result.infeasible = explainInfeasible(p, unique, pool);
  return result;
}

function explainInfeasible(
  p: Problem,
  all: readonly MatchEnterprise[],
  pool: readonly MatchEnterprise[],
): { reasons: InfeasibleReason[]; closest: Closest[] } {
  const reasons: InfeasibleReason[] = p.requirements
    .filter((r) => !pool.some((m) => enterpriseCovers(m, r.code)))
    .map((r) => ({ kind: "uncovered" as const, lotId: r.lotId, code: r.code }));
  if (reasons.length === 0 && p.required !== undefined) {
    const best = pool
      .map((m) => turnoverIn(m, p.currency))
      .sort((a, b) => b - a)
      .slice(0, p.maxSize)
      .reduce((s, t) => s + t, 0);
    if (best < p.required)
      reasons.push({ kind: "turnover-short", required: p.required, best: Math.round(best) });
  }
  if (reasons.length === 0) reasons.push({ kind: "no-consortium", maxSize: p.maxSize });
  const closest: Closest[] = all
    .map((m) => ({
      id: m.id,
      covered: p.codes.filter((c) => enterpriseCovers(m, c)).length,
      total: p.codes.length,
      serves: servesPlace(m, p.tender.place),
      eligible: isEligible(m, p.tender.reserved, p.ctx),
    }))
    .filter((c) => c.covered > 0)
    .sort(
      (a, b) =>
        b.covered - a.covered ||
        Number(b.serves && b.eligible) - Number(a.serves && a.eligible) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, 5);
  return { reasons, closest };
}
