import { covers, significant, uniqueCodes } from "../cpv.js";
import { coveringCodes } from "./candidates.js";
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
import { prepareGroupSearch } from "./search.js";

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
  /** Members' track record, for the score (absent: not scored). */
  record?: TrackRecord;
  /** ISO date-time; the clock is injected. */
  now: string;
};

/**
 * What is known of enterprises' past public contracts: how many each has won (any buyer), and
 * the groups that have won one together (a contract awarded to several of them).
 */
export type TrackRecord = {
  awards?: Readonly<Record<string, number>>;
  jointWins?: readonly (readonly string[])[];
};

export type CoverageLine = { lotId: string; code: string; memberId: string; memberCode: string };
export type MemberLine = {
  id: string;
  eligible: boolean;
  distanceKm?: number;
  /** Contracts won before, when the track record is known. */
  awards?: number;
};
export type ConsortiumExplanation = {
  coverage: CoverageLine[];
  members: MemberLine[];
  /** In the requirement's currency (see `turnoverIn`). */
  turnover: { sum: number; required?: number; currency?: string };
  /** Present under the combined group rule for `res-ws`. */
  combinedShare?: number;
  /** The track-record factor of the score (0..1), when the record is known. */
  record?: number;
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
  record?: TrackRecord;
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
    ...(options.record ? { record: options.record } : {}),
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

const WEIGHTS = { fit: 0.35, closeness: 0.2, headroom: 0.15, balance: 0.15, record: 0.15 } as const;

/** The score of a group from its factors (each 0..1), by `WEIGHTS`. */
function weighted(f: Record<keyof typeof WEIGHTS, number>): number {
  return (
    WEIGHTS.fit * f.fit +
    WEIGHTS.closeness * f.closeness +
    WEIGHTS.headroom * f.headroom +
    WEIGHTS.balance * f.balance +
    WEIGHTS.record * f.record
  );
}

/** Contracts won from which experience counts in full. */
const AWARDS_FOR_FULL_RECORD = 3;

/**
 * Track record of a group (0..1): for one member, its experience (contracts won, counted up to
 * three); for a group, half the members' mean experience and half the share of member pairs
 * that have won a contract together before. 0 when nothing is known.
 */
function recordScore(record: TrackRecord | undefined, ids: readonly string[]): number {
  if (!record || ids.length === 0) return 0;
  const awards = record.awards ?? {};
  const experience =
    ids.reduce((s, id) => s + Math.min(1, (awards[id] ?? 0) / AWARDS_FOR_FULL_RECORD), 0) / ids.length;
  if (ids.length === 1) return experience;
  let pairs = 0;
  let together = 0;
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      pairs++;
      const x = ids[a] ?? "";
      const y = ids[b] ?? "";
      if ((record.jointWins ?? []).some((g) => g.includes(x) && g.includes(y))) together++;
    }
  }
  return 0.5 * experience + 0.5 * (together / pairs);
}

/**
 * Explanation and score of a feasible group. The score (0..1, higher is better) ranks
 * suggestions of the same size:
 * - fit (0.35): mean over required codes of how specific the covering code is (significant
 *   digits of the member's code / of the required code; 1 when it is the code itself), so a
 *   cleaning firm registered for 90911200 beats one registered only for group 90900000;
 * - closeness (0.2): mean over members of 1 − distance / own radius (0.5 when unknown);
 * - headroom (0.15): turnover above the requirement, (sum − required) / required, capped at 1
 *   (1 when there is no requirement);
 * - balance (0.15): codes assigned per member, least / most (1 for a single); each code goes to
 *   its most specific coverer, ties to the member with less work so far. A member that covers
 *   nothing (there for turnover or share) makes it 0;
 * - record (0.15): the members' past awards and joint wins (`recordScore`), when known.
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
      ...(p.record ? { awards: p.record.awards?.[m.id] ?? 0 } : {}),
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
  const record = recordScore(
    p.record,
    members.map((m) => m.id),
  );
  const score = weighted({ fit: fitScore, closeness, headroom, balance, record });
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
      ...(p.record ? { record: Math.round(record * 1e4) / 1e4 } : {}),
    },
  };
}

/** Per required code, the enterprise codes that cover it and how specific each is (see `depth`). */
function coverIndex(codes: readonly string[]): Map<string, { c: number; depth: number }[]> {
  const index = new Map<string, { c: number; depth: number }[]>();
  codes.forEach((code, c) => {
    for (const own of coveringCodes(code)) {
      const list = index.get(own) ?? [];
      list.push({ c, depth: depth(own, code) });
      index.set(own, list);
    }
  });
  return index;
}

/** `localeCompare` in the default locale, without building a collator per call. */
const collate = new Intl.Collator().compare;

const NO_HITS: readonly { c: number; depth: number }[] = [];

/**
 * The problem's codes an enterprise code covers, with their depth. An 8-character code covers
 * a code only as one of its `coveringCodes` (it must then be 8 digits); anything else is
 * checked with `covers`.
 */
function codeHits(
  p: Problem,
  index: Map<string, { c: number; depth: number }[]>,
  own: string,
): readonly { c: number; depth: number }[] {
  const hits = index.get(own);
  if (hits) return hits;
  if (own.length === 8) return NO_HITS;
  return p.codes.flatMap((code, c) => (covers(own, code) ? [{ c, depth: depth(own, code) }] : []));
}

/**
 * The candidates as numbers for the search and the scorer: coverage bitmask over the problem's
 * codes, best depth per code (as `bestDepth`: the first of the member's codes with the highest
 * depth), turnover in the requirement's currency, closeness, quality. Computed once per question.
 */
type Prepared = {
  /** Number of codes (the stride of `depths`). */
  codes: number;
  words: number;
  masks: Uint32Array;
  depths: Float64Array;
  turnover: Float64Array;
  closeness: Float64Array;
  quality: Float64Array;
  ids: readonly string[];
};

function prepare(
  p: Problem,
  pool: readonly MatchEnterprise[],
  distances: readonly (number | undefined)[],
): Prepared {
  const n = pool.length;
  const C = p.codes.length;
  const words = Math.max(1, Math.ceil(C / 32));
  const index = coverIndex(p.codes);
  const masks = new Uint32Array(n * words);
  const depths = new Float64Array(n * C);
  const turnover = new Float64Array(n);
  const closeness = new Float64Array(n);
  const quality = new Float64Array(n);
  pool.forEach((m, i) => {
    for (const own of m.cpv) {
      for (const { c, depth: d } of codeHits(p, index, own)) {
        if (d > (depths[i * C + c] ?? 0)) depths[i * C + c] = d;
        masks[i * words + (c >>> 5)] = (masks[i * words + (c >>> 5)] ?? 0) | (1 << (c & 31));
      }
    }
    turnover[i] = turnoverIn(m, p.currency);
    const d = distances[i];
    closeness[i] = d === undefined ? 0.5 : Math.max(0, 1 - d / m.serviceRadiusKm);
    let fit = 0;
    let covered = 0;
    for (let c = 0; c < C; c++) {
      const v = depths[i * C + c] ?? 0;
      if (v > 0) {
        fit += v;
        covered++;
      }
    }
    const head = p.required === undefined ? 0 : Math.min(1, (turnover[i] ?? 0) / p.required);
    quality[i] =
      WEIGHTS.fit * (covered === 0 ? 0 : fit / covered) +
      WEIGHTS.closeness * (closeness[i] ?? 0) +
      WEIGHTS.headroom * head;
  });
  return { codes: C, words, masks, depths, turnover, closeness, quality, ids: pool.map((m) => m.id) };
}

/** Whether the member's mask holds every bit of `need` (both `words` long; `need` at offset 0). */
function holds(pr: Prepared, i: number, need: Uint32Array): boolean {
  for (let w = 0; w < pr.words; w++) {
    const bits = need[w] ?? 0;
    if (((pr.masks[i * pr.words + w] ?? 0) & bits) !== bits) return false;
  }
  return true;
}

function maskOf(words: number, codeIdx: readonly number[]): Uint32Array {
  const mask = new Uint32Array(words);
  for (const c of codeIdx) mask[c >>> 5] = (mask[c >>> 5] ?? 0) | (1 << (c & 31));
  return mask;
}

/**
 * The score `describe` gives a group of pool members (same arithmetic, same order), from the
 * prepared numbers: used to rank many groups without building their explanations.
 */
function fastScore(p: Problem, pr: Prepared, reqCodes: readonly number[], group: readonly number[]): number {
  const C = pr.codes;
  const work = new Array<number>(group.length).fill(0);
  let fit = 0;
  for (const c of reqCodes) {
    let pick = -1;
    let pickDepth = 0;
    for (let j = 0; j < group.length; j++) {
      const d = pr.depths[(group[j] ?? 0) * C + c] ?? 0;
      if (d <= 0) continue;
      const better = pick < 0 || d > pickDepth || (d === pickDepth && (work[j] ?? 0) < (work[pick] ?? 0));
      if (better) {
        pick = j;
        pickDepth = d;
      }
    }
    if (pick < 0) continue;
    work[pick] = (work[pick] ?? 0) + 1;
    fit += pickDepth;
  }
  const fitScore = reqCodes.length === 0 ? 1 : fit / reqCodes.length;
  const closeness = group.reduce((s, i) => s + (pr.closeness[i] ?? 0), 0) / group.length;
  const sum = group.reduce((s, i) => s + (pr.turnover[i] ?? 0), 0);
  const headroom = p.required === undefined ? 1 : Math.min(1, Math.max(0, (sum - p.required) / p.required));
  const balance = group.length === 1 ? 1 : Math.min(...work) / Math.max(1, ...work);
  const record = p.record
    ? recordScore(
        p.record,
        group.map((i) => pr.ids[i] ?? ""),
      )
    : 0;
  return Math.round(weighted({ fit: fitScore, closeness, headroom, balance, record }) * 1e4) / 1e4;
}

/**
 * Feasible, irredundant consortia for a tender, smallest first (the first has the minimum size
 * of any feasible consortium, found exactly), then by score; plus singles and, when nothing is
 * feasible, why. Candidates are taken as given (the caller narrows them with the search index);
 * duplicates by id are dropped, the first kept. Groups of one are read off the pool directly;
 * larger groups come from the exact search of search.ts (see its comment for the method and
 * for the budgets that apply to the ranking, never to the minimum size, on large pools).
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
  const combined = effectiveReservation(tender.reserved) === "res-ws" && p.rule === "combined";
  // One pass over the candidates (there can be thousands): drop duplicate ids, measure the
  // distance, and keep in the pool those that serve the place and, under the per-member rule,
  // are eligible on their own.
  const ids = new Set<string>();
  const unique: MatchEnterprise[] = [];
  const serves: boolean[] = [];
  const pool: MatchEnterprise[] = [];
  const poolDistances: (number | undefined)[] = [];
  for (const c of candidates) {
    const before = ids.size;
    ids.add(c.id);
    if (ids.size === before) continue;
    unique.push(c);
    const d = distanceToPlace(c, tender.place);
    const inReach = d === undefined || d <= c.serviceRadiusKm;
    serves.push(inReach);
    if (inReach && (combined || isEligible(c, tender.reserved, p.ctx))) {
      pool.push(c);
      poolDistances.push(d);
    }
  }
  const pr = prepare(p, pool, poolDistances);
  const codeIdx = new Map(p.codes.map((c, i) => [c, i]));
  const reqCodes = p.requirements.map((r) => codeIdx.get(r.code) ?? 0);
  const full = maskOf(
    pr.words,
    p.codes.map((_, i) => i),
  );
  const eligibleGroup = (group: readonly number[]): boolean =>
    isGroupEligible(
      group.flatMap((i) => pool[i] ?? []),
      tender.reserved,
      p.rule,
      p.ctx,
    );
  const turnoverOk = (i: number): boolean => p.required === undefined || (pr.turnover[i] ?? 0) >= p.required;
  const aloneOk = (i: number, need: Uint32Array): boolean =>
    p.maxSize >= 1 && holds(pr, i, need) && turnoverOk(i) && (!combined || eligibleGroup([i]));
  const singleOk = pool.map((_, i) => aloneOk(i, full));

  const groups: number[][] = [];
  const rank = (sets: number[][]): number[][] =>
    sets
      .map((set) => ({ set, score: fastScore(p, pr, reqCodes, set), key: set.join(",") }))
      .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
      .map((r) => r.set);
  groups.push(...rank(pool.flatMap((_, i) => (singleOk[i] ? [[i]] : []))));
  if (groups.length < limit && p.maxSize >= 2) {
    const search = prepareGroupSearch({
      codes: p.codes.length,
      masks: pr.masks,
      turnover: pr.turnover,
      ...(p.required !== undefined ? { required: p.required } : {}),
      ...(combined
        ? {
            shares: {
              weight: Float64Array.from(pool, (m) => shareWeight(m)),
              share: Float64Array.from(pool, (m) => m.disadvantagedShare ?? 0),
              eligible: eligibleGroup,
            },
          }
        : {}),
      quality: pr.quality,
      members: pool.flatMap((m, i) => (m.openToConsortia ? [i] : [])),
      maxSize: p.maxSize,
    });
    // Once a smaller group is found the minimum size is known: larger sizes only fill the list.
    for (let k = 2; k <= p.maxSize && groups.length < limit; k++) {
      groups.push(...rank(search.ofSize(k, groups.length > 0)));
    }
  }
  const consortia: Consortium[] = groups.slice(0, limit).map((set) => {
    const group = set.flatMap((i) => pool[i] ?? []);
    const { score, explanation } = describe(p, group);
    return {
      members: group.map((m) => m.id),
      lots: p.lotIds,
      score,
      explanation,
      competitionFlag: group.length > 1 && set.some((i) => singleOk[i] === true),
    };
  });

  const singles: Single[] = pool
    .filter((_, i) => singleOk[i])
    .map((m) => ({ id: m.id, lots: p.lotIds, ...describe(p, [m]) }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const lotSingles: LotSingles[] = p.lotIds.map((lotId) => {
    const one = buildProblem(tender, [lotId], options);
    const lotCodes = one.requirements.map((r) => codeIdx.get(r.code) ?? 0);
    const need = maskOf(pr.words, lotCodes);
    return {
      lotId,
      members: pool
        .flatMap((m, i) => (aloneOk(i, need) ? [{ id: m.id, score: fastScore(one, pr, lotCodes, [i]) }] : []))
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .map((s) => s.id),
    };
  });

  const result: MatchResult = { ...base, consortia, singles, lotSingles };
  if (consortia.length === 0) result.infeasible = explainInfeasible(p, unique, serves, pr, pool);
  return result;
}

function explainInfeasible(
  p: Problem,
  all: readonly MatchEnterprise[],
  serves: readonly boolean[],
  pr: Prepared,
  pool: readonly MatchEnterprise[],
): { reasons: InfeasibleReason[]; closest: Closest[] } {
  const union = new Uint32Array(pr.words);
  for (let i = 0; i < pool.length; i++) {
    for (let w = 0; w < pr.words; w++) union[w] = (union[w] ?? 0) | (pr.masks[i * pr.words + w] ?? 0);
  }
  const codeIdx = new Map(p.codes.map((c, i) => [c, i]));
  const reasons: InfeasibleReason[] = p.requirements
    .filter((r) => {
      const c = codeIdx.get(r.code) ?? 0;
      return ((union[c >>> 5] ?? 0) & (1 << (c & 31))) === 0;
    })
    .map((r) => ({ kind: "uncovered" as const, lotId: r.lotId, code: r.code }));
  if (reasons.length === 0 && p.required !== undefined) {
    const best = [...pr.turnover]
      .sort((a, b) => b - a)
      .slice(0, p.maxSize)
      .reduce((s, t) => s + t, 0);
    if (best < p.required)
      reasons.push({ kind: "turnover-short", required: p.required, best: Math.round(best) });
  }
  if (reasons.length === 0) reasons.push({ kind: "no-consortium", maxSize: p.maxSize });
  // The five closest, by codes covered, then in reach and eligible, then id (a partial selection:
  // the candidate list can hold thousands).
  const index = coverIndex(p.codes);
  const order = (a: Closest, b: Closest): number =>
    b.covered - a.covered ||
    Number(b.serves && b.eligible) - Number(a.serves && a.eligible) ||
    collate(a.id, b.id);
  const closest: Closest[] = [];
  const stamp = new Int32Array(p.codes.length);
  all.forEach((m, i) => {
    let covered = 0;
    for (const own of m.cpv) {
      for (const { c } of codeHits(p, index, own)) {
        if (stamp[c] === i + 1) continue;
        stamp[c] = i + 1;
        covered++;
      }
    }
    if (covered === 0) return;
    const last = closest[4];
    if (last && covered < last.covered) return;
    const entry: Closest = {
      id: m.id,
      covered,
      total: p.codes.length,
      serves: serves[i] ?? false,
      eligible: isEligible(m, p.tender.reserved, p.ctx),
    };
    if (last && order(entry, last) >= 0) return;
    closest.push(entry);
    closest.sort(order);
    if (closest.length > 5) closest.pop();
  });
  return { reasons, closest };
}
