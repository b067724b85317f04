import { significant, uniqueCodes } from "../cpv.js";
import type { Enterprise } from "../enterprise.js";
import type { Lot, Reservation, Tender } from "../tender.js";
import {
  DEFAULT_LIMIT,
  enterpriseCovers,
  type CoverageLine,
  type MatchEnterprise,
  type MatchTender,
  type MemberLine,
} from "./consortium.js";
import { isEligible, type EligibilityContext, type PastAward } from "./eligibility.js";
import { distanceToPlace, servesPlace } from "./place.js";

/**
 * Subcontracting leads (issue 5, item 4): enterprises, alone or in small complementary groups,
 * that could take part of the work as subcontractors to the lead bidder of an open tender or
 * to the winner of an awarded contract.
 *
 * Rules:
 * - `open` tenders: applicable unless every lot excludes subcontracting. Each lot's own
 *   statement wins over the tender's; an obligation (`required`, `minimum-share`) or
 *   `allowed: true` opens the lot, `allowed: false` closes it, and nothing stated counts as
 *   open: Art. 71 lets the buyer ask about subcontracting but does not forbid it, so a tender
 *   that says nothing allows it. The `reason` tells which case applies
 *   (`open-subcontracting-unstated` when no lot says anything).
 * - `awarded` contracts: applicable when the winner is known (`awardedTo` non-empty) and some lot
 *   does not exclude subcontracting; the winners are the lead partners and never suggested.
 * - Any other stage: not applicable.
 * - Candidates: open to subcontracting, serving the place, covering (`covers`) at least one
 *   required code of a lot open to subcontracting, and not the lead or winner (`excludeIds`, or
 *   the same `orgId` as a winner). Reservation eligibility is not required (a reservation binds
 *   the bidder, not its subcontractors) but is reported per member.
 * - Groups (up to `maxGroupSize`) are irredundant: every member covers a (lot, code) pair no
 *   other member covers, so the group covers strictly more than each member alone. Members are
 *   not asked to be open to consortia: each would contract with the lead on its own.
 */

export const DEFAULT_MAX_GROUP_SIZE = 2;

export type SubcontractEnterprise = MatchEnterprise &
  Pick<Enterprise, "openToSubcontracting"> & { orgId?: string; name?: string };

export type SubcontractTender = MatchTender & Pick<Tender, "stage" | "awardedTo">;

export type SubcontractingOptions = {
  /** ISO date-time; the clock is injected. */
  now: string;
  /** How many leads to return (default 10). */
  limit?: number;
  /** Largest group of subcontractors (default 2). */
  maxGroupSize?: number;
  /** Enterprise ids of the lead bidder or the winner: never suggested. */
  excludeIds?: readonly string[];
  /** Known Art. 77 awards, for the eligibility reported per member. */
  pastAwards?: readonly PastAward[];
};

/** Who the subcontractors would work for: the known winners, or whoever bids. */
export type SubcontractingLeadPartner =
  { kind: "winner"; name: string; orgId?: string; enterpriseId?: string } | { kind: "any-bidder" };

export const SUBCONTRACTING_REASONS = [
  "open-requires-subcontracting",
  "open-allows-subcontracting",
  "open-subcontracting-unstated",
  "awarded-with-winner",
  "not-open-or-awarded",
  "subcontracting-not-allowed",
  "no-known-winner",
] as const;
export type SubcontractingReason = (typeof SUBCONTRACTING_REASONS)[number];

/** What a lot says about subcontracting (its own statement, else the tender's). */
export type SubcontractingPermission = "required" | "allowed" | "forbidden" | "unstated";
export type LotPermission = { lotId: string; permission: SubcontractingPermission };

export type SubcontractMemberLine = MemberLine & {
  name?: string;
  orgId?: string;
  /** (lot, code) pairs this member covers on its own. */
  covers: number;
};

export type SubcontractExplanation = {
  members: SubcontractMemberLine[];
  /** Pairs of lots open to subcontracting that no member covers: left to the lead bidder. */
  uncovered: { lotId: string; code: string }[];
  /** Mean specificity of the covering codes (1 when each is the required code itself). */
  fit: number;
  /** Mean over members of 1 − distance / own radius (0.5 when unknown). */
  closeness: number;
  /** The tender's reservation: eligibility is reported, not required of subcontractors. */
  reserved: Reservation;
};

export type SubcontractLead = {
  role: "subcontractor";
  /** Enterprise ids. */
  members: string[];
  lead: SubcontractingLeadPartner[];
  /** Lots in which the members cover some code, in tender order. */
  lots: string[];
  /** Which member covers which (lot, code): the most specific coverer, ties to less work. */
  coverage: CoverageLine[];
  /** Covered (lot, code) pairs / all (lot, code) pairs of the tender, 0..1. */
  share: number;
  score: number;
  explanation: SubcontractExplanation;
};

export const EXCLUSION_REASONS = ["winner", "lead", "not-open-to-subcontracting", "out-of-reach"] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
/** A candidate that covers some required code but is not suggested, and why. */
export type ExcludedCandidate = { id: string; reason: ExclusionReason };

export type SubcontractingResult = {
  applicable: boolean;
  reason: SubcontractingReason;
  /** Who the leads would subcontract to (empty when not applicable). */
  partners: SubcontractingLeadPartner[];
  lots: LotPermission[];
  leads: SubcontractLead[];
  excluded: ExcludedCandidate[];
};

type SubcontractingStatement = NonNullable<Lot["subcontracting"]>;

/** An obligation opens, `allowed` opens or closes, anything else says nothing. */
export function subcontractingPermission(s: SubcontractingStatement | undefined): SubcontractingPermission {
  if (s?.obligation === "required" || s?.obligation === "minimum-share") return "required";
  if (s?.allowed === true) return "allowed";
  if (s?.allowed === false) return "forbidden";
  return "unstated";
}

/** Per lot: its own statement when it makes one, else the tender's. */
export function lotPermissions(tender: Pick<MatchTender, "lots" | "requirements">): LotPermission[] {
  const overall = subcontractingPermission(tender.requirements.subcontracting);
  return tender.lots.map((l) => {
    const own = subcontractingPermission(l.subcontracting);
    return { lotId: l.id, permission: own === "unstated" ? overall : own };
  });
}

/** Compares organisation numbers without spaces, dashes, dots or case ("DK-1234 5678" = "dk12345678"). */
function sameOrgId(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const norm = (s: string) => s.replace(/[\s.-]/g, "").toUpperCase();
  return norm(a) === norm(b);
}

function applicability(
  tender: SubcontractTender,
  lots: readonly LotPermission[],
): { applicable: boolean; reason: SubcontractingReason } {
  const permissions = lots.map((l) => l.permission);
  const open = permissions.some((p) => p !== "forbidden");
  if (tender.stage === "awarded") {
    if ((tender.awardedTo ?? []).length === 0) return { applicable: false, reason: "no-known-winner" };
    return open
      ? { applicable: true, reason: "awarded-with-winner" }
      : { applicable: false, reason: "subcontracting-not-allowed" };
  }
  if (tender.stage !== "open") return { applicable: false, reason: "not-open-or-awarded" };
  if (!open) return { applicable: false, reason: "subcontracting-not-allowed" };
  if (permissions.includes("required")) return { applicable: true, reason: "open-requires-subcontracting" };
  if (permissions.includes("allowed")) return { applicable: true, reason: "open-allows-subcontracting" };
  return { applicable: true, reason: "open-subcontracting-unstated" };
}

type Pair = { lotId: string; code: string };

/**
 * A candidate with the pairs it covers (indices into the open pairs, ascending), its best depth
 * per open pair (0 where it covers nothing) and its closeness.
 */
type Scored = {
  e: SubcontractEnterprise;
  pairs: number[];
  depths: number[];
  closeness: number;
  single: number;
};

/** Specificity of a covering code: significant digits of own / of the required code. */
function depth(own: string, code: string): number {
  return significant(own).length / significant(code).length;
}

function bestCover(e: MatchEnterprise, code: string): { depth: number; own: string } | undefined {
  let best: { depth: number; own: string } | undefined;
  for (const own of e.cpv) {
    if (!enterpriseCovers({ cpv: [own] }, code)) continue;
    const d = depth(own, code);
    if (!best || d > best.depth) best = { depth: d, own };
  }
  return best;
}

function closenessOf(e: MatchEnterprise, tender: MatchTender): number {
  const d = distanceToPlace(e, tender.place);
  return d === undefined ? 0.5 : Math.max(0, 1 - d / e.serviceRadiusKm);
}

const WEIGHTS = { share: 0.6, fit: 0.25, closeness: 0.15 } as const;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

type Context = {
  tender: SubcontractTender;
  /** Pairs of the lots open to subcontracting. */
  open: Pair[];
  /** Number of (lot, code) pairs of the whole tender. */
  total: number;
  partners: SubcontractingLeadPartner[];
  ctx: EligibilityContext;
};

/**
 * Score (0..1, higher first): share of the tender's work covered (0.6), depth of CPV fit over
 * the covered pairs (0.25), closeness of the members (0.15).
 */
function describeLead(c: Context, group: readonly Scored[]): SubcontractLead {
  const work = new Map<string, number>(group.map((g) => [g.e.id, 0]));
  const coverage: CoverageLine[] = [];
  const uncovered: Pair[] = [];
  let fit = 0;
  for (const pair of c.open) {
    let pick: { e: SubcontractEnterprise; depth: number; own: string } | undefined;
    for (const g of group) {
      const b = bestCover(g.e, pair.code);
      if (!b) continue;
      const better =
        !pick ||
        b.depth > pick.depth ||
        (b.depth === pick.depth && (work.get(g.e.id) ?? 0) < (work.get(pick.e.id) ?? 0));
      if (better) pick = { e: g.e, ...b };
    }
    if (!pick) {
      uncovered.push(pair);
      continue;
    }
    work.set(pick.e.id, (work.get(pick.e.id) ?? 0) + 1);
    coverage.push({ lotId: pair.lotId, code: pair.code, memberId: pick.e.id, memberCode: pick.own });
    fit += pick.depth;
  }
  const share = c.total === 0 ? 0 : coverage.length / c.total;
  const fitScore = coverage.length === 0 ? 0 : fit / coverage.length;
  const closeness = group.reduce((s, g) => s + g.closeness, 0) / Math.max(1, group.length);
  const score = WEIGHTS.share * share + WEIGHTS.fit * fitScore + WEIGHTS.closeness * closeness;
  const covered = new Set(coverage.map((l) => l.lotId));
  const members: SubcontractMemberLine[] = group.map((g) => {
    const d = distanceToPlace(g.e, c.tender.place);
    return {
      id: g.e.id,
      ...(g.e.name !== undefined ? { name: g.e.name } : {}),
      ...(g.e.orgId !== undefined ? { orgId: g.e.orgId } : {}),
      eligible: isEligible(g.e, c.tender.reserved, c.ctx),
      ...(d !== undefined ? { distanceKm: Math.round(d * 10) / 10 } : {}),
      covers: g.pairs.length,
    };
  });
  return {
    role: "subcontractor",
    members: group.map((g) => g.e.id),
    lead: c.partners,
    lots: c.tender.lots.map((l) => l.id).filter((id) => covered.has(id)),
    coverage,
    share: round4(share),
    score: round4(score),
    explanation: {
      members,
      uncovered,
      fit: round4(fitScore),
      closeness: round4(closeness),
      reserved: c.tender.reserved,
    },
  };
}

/** The score `describeLead` gives a group, from the precomputed depths (cheap: no strings). */
function quickScore(c: Context, group: readonly Scored[]): number {
  let covered = 0;
  let fit = 0;
  for (let p = 0; p < c.open.length; p++) {
    let best = 0;
    for (const g of group) best = Math.max(best, g.depths[p] ?? 0);
    if (best > 0) {
      covered += 1;
      fit += best;
    }
  }
  const share = c.total === 0 ? 0 : covered / c.total;
  const fitScore = covered === 0 ? 0 : fit / covered;
  const closeness = group.reduce((s, g) => s + g.closeness, 0) / Math.max(1, group.length);
  return round4(WEIGHTS.share * share + WEIGHTS.fit * fitScore + WEIGHTS.closeness * closeness);
}

type Ranked = { group: Scored[]; score: number; key: string };

/** Score first, then fewer members, then member ids: the order leads are returned in. */
const byRank = (a: Ranked, b: Ranked): number =>
  b.score - a.score || a.group.length - b.group.length || a.key.localeCompare(b.key);

/** The best `limit` groups seen so far, in rank order. */
class TopGroups {
  readonly items: Ranked[] = [];
  constructor(private readonly limit: number) {}
  offer(c: Context, group: readonly Scored[]): void {
    if (this.limit <= 0) return;
    const item = { group: [...group], score: quickScore(c, group), key: group.map((g) => g.e.id).join(",") };
    const last = this.items[this.items.length - 1];
    if (this.items.length >= this.limit && last && byRank(item, last) >= 0) return;
    const at = this.items.findIndex((x) => byRank(item, x) < 0);
    this.items.splice(at === -1 ? this.items.length : at, 0, item);
    if (this.items.length > this.limit) this.items.pop();
  }
}

/**
 * Offers every irredundant group of 2..maxSize from the pool. A member joins only when it adds
 * a pair not yet covered (each member of an irredundant group does, in any order); `counts`
 * holds how many members cover each pair, so a group is irredundant when every member covers
 * some pair counted once.
 */
function searchGroups(c: Context, pool: readonly Scored[], maxSize: number, top: TopGroups): void {
  const counts = new Array<number>(c.open.length).fill(0);
  const group: Scored[] = [];
  const grow = (start: number): void => {
    if (group.length >= 2 && group.every((g) => g.pairs.some((p) => counts[p] === 1))) top.offer(c, group);
    if (group.length >= maxSize) return;
    for (let i = start; i < pool.length; i++) {
      const next = pool[i];
      if (!next || !next.pairs.some((p) => counts[p] === 0)) continue;
      for (const p of next.pairs) counts[p] = (counts[p] ?? 0) + 1;
      group.push(next);
      grow(i + 1);
      group.pop();
      for (const p of next.pairs) counts[p] = (counts[p] ?? 0) - 1;
    }
  };
  grow(0);
}

/**
 * The candidates groups are drawn from, best single first: for each open (lot, code) pair, its
 * best `perPair` coverers (most specific code, then closest), and of candidates with the same
 * coverage (interchangeable in a group, never together in one) only the best `perPair`. This
 * bounds the search (singles are always all considered); a group of lesser coverers is passed
 * over, which at worst leaves a group of better ones that covers the same work.
 */
function groupPool(c: Context, scored: readonly Scored[], perPair: number): Scored[] {
  const bySingle = (a: Scored, b: Scored): number => b.single - a.single || a.e.id.localeCompare(b.e.id);
  const chosen = new Set<Scored>();
  for (let p = 0; p < c.open.length; p++) {
    scored
      .filter((s) => (s.depths[p] ?? 0) > 0)
      .sort((a, b) => (b.depths[p] ?? 0) - (a.depths[p] ?? 0) || b.closeness - a.closeness || bySingle(a, b))
      .slice(0, perPair)
      .forEach((s) => chosen.add(s));
  }
  const byPattern = new Map<string, Scored[]>();
  for (const s of chosen) {
    const key = s.pairs.join(",");
    byPattern.set(key, [...(byPattern.get(key) ?? []), s]);
  }
  return [...byPattern.values()].flatMap((list) => list.sort(bySingle).slice(0, perPair)).sort(bySingle);
}

/**
 * Subcontracting leads for a tender: who could take part of the work, alone or in small
 * complementary groups, as subcontractors to the lead bidder or the winner. See the rules at
 * the top of this module. Candidates are taken as given; duplicates by id are dropped, the
 * first kept.
 */
export function subcontractingLeads(
  tender: SubcontractTender,
  candidates: readonly SubcontractEnterprise[],
  options: SubcontractingOptions,
): SubcontractingResult {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const maxGroupSize = options.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE;
  const lots = lotPermissions(tender);
  const { applicable, reason } = applicability(tender, lots);
  if (!applicable) return { applicable, reason, partners: [], lots, leads: [], excluded: [] };

  const ids = new Set<string>();
  const unique = candidates.filter((c) => !ids.has(c.id) && Boolean(ids.add(c.id)));
  const winners = tender.stage === "awarded" ? (tender.awardedTo ?? []) : [];
  const partners: SubcontractingLeadPartner[] =
    winners.length === 0
      ? [{ kind: "any-bidder" }]
      : winners.map((w) => {
          const match = w.orgId !== undefined ? unique.find((c) => sameOrgId(c.orgId, w.orgId)) : undefined;
          return {
            kind: "winner",
            name: w.name,
            ...(w.orgId !== undefined ? { orgId: w.orgId } : {}),
            ...(match ? { enterpriseId: match.id } : {}),
          };
        });

  const openLots = new Set(lots.filter((l) => l.permission !== "forbidden").map((l) => l.lotId));
  const allPairs: Pair[] = tender.lots.flatMap((l) =>
    uniqueCodes(l.cpv).map((code) => ({ lotId: l.id, code })),
  );
  const c: Context = {
    tender,
    open: allPairs.filter((p) => openLots.has(p.lotId)),
    total: allPairs.length,
    partners,
    ctx: {
      buyerId: tender.buyer.id,
      now: options.now,
      ...(options.pastAwards ? { pastAwards: options.pastAwards } : {}),
    },
  };

  const excludeIds = new Set(options.excludeIds ?? []);
  const excluded: ExcludedCandidate[] = [];
  const scored: Scored[] = [];
  for (const e of unique) {
    const depths = c.open.map((p) => bestCover(e, p.code)?.depth ?? 0);
    const pairs = depths.flatMap((d, i) => (d > 0 ? [i] : []));
    if (pairs.length === 0) continue;
    const why: ExclusionReason | undefined = winners.some((w) => sameOrgId(w.orgId, e.orgId))
      ? "winner"
      : excludeIds.has(e.id)
        ? "lead"
        : !e.openToSubcontracting
          ? "not-open-to-subcontracting"
          : !servesPlace(e, tender.place)
            ? "out-of-reach"
            : undefined;
    if (why) {
      excluded.push({ id: e.id, reason: why });
      continue;
    }
    const s: Scored = { e, pairs, depths, closeness: closenessOf(e, tender), single: 0 };
    s.single = quickScore(c, [s]);
    scored.push(s);
  }

  const top = new TopGroups(limit);
  for (const s of scored) top.offer(c, [s]);
  if (maxGroupSize >= 2) searchGroups(c, groupPool(c, scored, limit), maxGroupSize, top);
  const leads = top.items.map((r) => describeLead(c, r.group));

  return { applicable, reason, partners, lots, leads, excluded };
}
