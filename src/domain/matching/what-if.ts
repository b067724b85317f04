import { uniqueCodes } from "../cpv.js";
import {
  type GroupCheckOptions,
  type MatchEnterprise,
  type MatchTender,
  DEFAULT_MAX_SIZE,
  competitionFlag,
  enterpriseCovers,
  isFeasibleConsortium,
  isIrredundantConsortium,
  turnoverIn,
} from "./consortium.js";
import { combinedShare, effectiveReservation, isEligible, isGroupEligible } from "./eligibility.js";
import { servesPlace } from "./place.js";

/** Why a group someone put together is not a feasible consortium; empty when it is. */
export type GroupProblem =
  | { kind: "empty" }
  | { kind: "too-large"; size: number; maxSize: number }
  | { kind: "closed-to-consortia"; memberId: string }
  | { kind: "out-of-reach"; memberId: string }
  | { kind: "not-eligible"; memberId: string; reservation: string }
  | { kind: "combined-share-short"; share: number; required: number }
  | { kind: "uncovered"; lotId: string; code: string }
  | { kind: "turnover-short"; required: number; sum: number }
  | { kind: "lots"; message: string };

export type GroupCheck = {
  members: string[];
  feasible: boolean;
  irredundant: boolean;
  /** Some member could bid alone for the same lots. */
  competitionFlag: boolean;
  /** Members the group does not need (present when feasible but not irredundant). */
  redundant: string[];
  problems: GroupProblem[];
};

/**
 * The what-if question "could exactly these enterprises bid together?": feasibility by the
 * definitions of consortium.ts, each reason it fails, which members it could do without, and
 * the competition flag.
 */
export function checkGroup(
  tender: MatchTender,
  members: readonly MatchEnterprise[],
  options: GroupCheckOptions,
): GroupCheck {
  const ids = members.map((m) => m.id);
  const feasible = isFeasibleConsortium(tender, members, options);
  const irredundant = feasible && isIrredundantConsortium(tender, members, options);
  const redundant =
    feasible && !irredundant
      ? members
          .filter((m) =>
            isFeasibleConsortium(
              tender,
              members.filter((o) => o !== m),
              options,
            ),
          )
          .map((m) => m.id)
      : [];
  return {
    members: ids,
    feasible,
    irredundant,
    competitionFlag: competitionFlag(tender, members, options),
    redundant,
    problems: feasible ? [] : groupProblems(tender, members, options),
  };
}

function groupProblems(
  tender: MatchTender,
  members: readonly MatchEnterprise[],
  options: GroupCheckOptions,
): GroupProblem[] {
  if (members.length === 0) return [{ kind: "empty" }];
  const problems: GroupProblem[] = [];
  const known = new Map(tender.lots.map((l) => [l.id, l]));
  const max = tender.requirements.maxLotsPerBidder;
  const asked = options.lots ? uniqueCodes(options.lots) : tender.lots.map((l) => l.id);
  const unknown = asked.filter((id) => !known.has(id));
  if (unknown.length > 0) problems.push({ kind: "lots", message: `unknown lots: ${unknown.join(", ")}` });
  if (options.lots && max !== undefined && asked.length > max)
    problems.push({ kind: "lots", message: `at most ${max} lots per bidder, ${asked.length} asked for` });
  const lotIds = options.lots ? asked : asked.slice(0, max ?? asked.length);
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  if (members.length > maxSize) problems.push({ kind: "too-large", size: members.length, maxSize });
  if (members.length > 1) {
    for (const m of members)
      if (!m.openToConsortia) problems.push({ kind: "closed-to-consortia", memberId: m.id });
  }
  for (const m of members)
    if (!servesPlace(m, tender.place)) problems.push({ kind: "out-of-reach", memberId: m.id });
  const ctx = {
    buyerId: tender.buyer.id,
    now: options.now,
    ...(options.pastAwards ? { pastAwards: options.pastAwards } : {}),
  };
  const rule = options.groupRule ?? "per-member";
  const reservation = effectiveReservation(tender.reserved);
  if (!isGroupEligible(members, tender.reserved, rule, ctx)) {
    if (reservation === "res-ws" && rule === "combined") {
      problems.push({
        kind: "combined-share-short",
        share: Math.round(combinedShare(members) * 1e4) / 1e4,
        required: 0.3,
      });
    } else {
      for (const m of members)
        if (!isEligible(m, tender.reserved, ctx))
          problems.push({ kind: "not-eligible", memberId: m.id, reservation });
    }
  }
  for (const lot of tender.lots.filter((l) => lotIds.includes(l.id))) {
    for (const code of uniqueCodes(lot.cpv))
      if (!members.some((m) => enterpriseCovers(m, code)))
        problems.push({ kind: "uncovered", lotId: lot.id, code });
  }
  const required = tender.requirements.minTurnover;
  if (required !== undefined && required > 0) {
    const sum = members.reduce((s, m) => s + turnoverIn(m, tender.requirements.currency), 0);
    if (sum < required) problems.push({ kind: "turnover-short", required, sum: Math.round(sum) });
  }
  return problems;
}
