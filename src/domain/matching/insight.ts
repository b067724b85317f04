import { art77Applicable, uniqueCodes } from "../cpv.js";
import type { Reservation } from "../tender.js";
import {
  DEFAULT_LIMIT,
  enterpriseCovers,
  formConsortia,
  type MatchEnterprise,
  type MatchTender,
} from "./consortium.js";
import { ART20_MIN_SHARE, isEligible, type GroupRule, type PastAward } from "./eligibility.js";
import { servesPlace } from "./place.js";

/**
 * Buyer insight (issue 5, item 5): for a planned tender, who within reach could bid if the buyer
 * reserved it under Art. 20 or Art. 77, and a recommendation.
 *
 * The recommendation, first branch that holds (MIN_BIDS = 2 independent bids; a bid is a
 * feasible single or a feasible irredundant consortium, and bids count as independent when no
 * enterprise takes part in two of them: see `independentBids`):
 * 0. Already reserved (`res-ws` or `res-pub-ser`): keep it (`reserve-art20` / `reserve-art77`)
 *    and say whether competition is adequate (≥ MIN_BIDS independent bids under it).
 * 1. `reserve-art77`: every CPV code allows Art. 77 and ≥ MIN_BIDS independent bids under
 *    `res-pub-ser`.
 * 2. `reserve-art20`: ≥ MIN_BIDS independent bids under `res-ws`.
 * 3. `reserve-lot` (tenders with at least two lots): the lots that alone have ≥ MIN_BIDS
 *    independent bids under `res-ws` (`lotIds`).
 * 4. `social-clause`: at least one enterprise within reach has a disadvantaged share ≥ 0.30 or
 *    a public-service mission (it could be hired or subcontracted under a clause).
 * 5. `none`.
 * An `unknown` reservation is treated as not reserved, and the reason says so.
 */

export const MIN_BIDS = 2;
export const DEFAULT_INSIGHT_CAP = DEFAULT_LIMIT;

export type InsightOptions = {
  /** ISO date-time; the clock is injected. */
  now: string;
  /** Largest consortium (default 4). */
  maxSize?: number;
  groupRule?: GroupRule;
  /** Known Art. 77 awards, for the three-year rule. */
  pastAwards?: readonly PastAward[];
  /** Consortia are counted up to this many per reservation (default 10). */
  cap?: number;
};

export type RecommendationKind = "reserve-art20" | "reserve-art77" | "reserve-lot" | "social-clause" | "none";

export const INSIGHT_RESERVATIONS = ["none", "res-ws", "res-pub-ser"] as const;
export type InsightReservation = (typeof INSIGHT_RESERVATIONS)[number];

export type ConsortiumCount = {
  /** Feasible irredundant consortia of two or more members, counted up to the cap. */
  count: number;
  /** True when the cap was reached (there may be more). */
  capped: boolean;
  /** Size of the smallest one, when there is one. */
  minSize?: number;
};

export type LotBids = { lotId: string; independentBids: number };

export type TenderInsight = {
  tenderId: string;
  title: string;
  reserved: Reservation;
  art77Possible: boolean;
  /** Candidates that serve the place and cover at least one of the tender's codes. */
  withinReach: number;
  /** Of those, eligible on their own for each reservation. */
  eligible: { "res-ws": number; "res-pub-ser": number };
  /** Of those, with a public-service mission but blocked by Art. 77's three-year rule. */
  art77Blocked: number;
  /** Of those, with a disadvantaged share ≥ 0.30 or a public-service mission. */
  socialEnterprises: number;
  /** Feasible singles if the tender were reserved that way. */
  singles: Record<InsightReservation, number>;
  consortia: Record<InsightReservation, ConsortiumCount>;
  /** Most bids that could compete with no enterprise in two of them. */
  independentBids: Record<InsightReservation, number>;
  /** Independent bids per lot under `res-ws` (tenders with at least two lots). */
  lots: LotBids[];
  recommendation: {
    kind: RecommendationKind;
    lotIds?: string[];
    reason: string;
    alreadyReserved: boolean;
    /** ≥ MIN_BIDS independent bids under what is recommended (unreserved for a clause or none). */
    adequateCompetition: boolean;
  };
};

type Bids = { singles: number; consortia: ConsortiumCount; independent: number };

/**
 * The most bids that can compete at once when no enterprise is in two of them: the singles
 * plus a best packing of pairwise disjoint consortia (exact; exponential only in the number of
 * consortia, which the cap bounds). A consortium that uses a single's member takes its place.
 */
export function independentBids(
  singles: readonly string[],
  consortia: readonly (readonly string[])[],
): number {
  const alone = new Set(singles);
  let best = 0;
  const visit = (i: number, used: Set<string>, taken: number): void => {
    const free = [...alone].filter((id) => !used.has(id)).length;
    if (taken + free + (consortia.length - i) <= best) return;
    if (i === consortia.length) {
      best = Math.max(best, taken + free);
      return;
    }
    const group = consortia[i] ?? [];
    if (group.every((m) => !used.has(m))) visit(i + 1, new Set([...used, ...group]), taken + 1);
    visit(i + 1, used, taken);
  };
  visit(0, new Set(), 0);
  return best;
}

function bidsUnder(
  tender: MatchTender,
  candidates: readonly MatchEnterprise[],
  reserved: InsightReservation,
  options: InsightOptions,
  lots?: string[],
): Bids {
  const cap = options.cap ?? DEFAULT_INSIGHT_CAP;
  const t: MatchTender = { ...tender, reserved };
  const ask = (limit: number) =>
    formConsortia(t, candidates, {
      now: options.now,
      limit,
      ...(options.maxSize !== undefined ? { maxSize: options.maxSize } : {}),
      ...(options.groupRule !== undefined ? { groupRule: options.groupRule } : {}),
      ...(options.pastAwards !== undefined ? { pastAwards: options.pastAwards } : {}),
      ...(lots !== undefined ? { lots } : {}),
    });
  let limit = cap;
  let result = ask(limit);
  const multi = () => result.consortia.filter((c) => c.members.length > 1);
  // Consortia come smallest first, so singles may fill the list: ask again with room for them.
  if (result.consortia.length >= limit && multi().length < cap) {
    limit = result.singles.length + cap;
    result = ask(limit);
  }
  const groups = multi().slice(0, cap);
  const minSize = groups.reduce<number | undefined>(
    (m, g) => (m === undefined ? g.members.length : Math.min(m, g.members.length)),
    undefined,
  );
  const singles = result.singles.map((s) => s.id);
  return {
    singles: singles.length,
    consortia: {
      count: groups.length,
      capped: result.consortia.length >= limit && groups.length >= cap,
      ...(minSize !== undefined ? { minSize } : {}),
    },
    independent: independentBids(
      singles,
      groups.map((g) => g.members),
    ),
  };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function bidsPhrase(b: Bids): string {
  const groups =
    b.consortia.count === 0
      ? "no consortium could be formed"
      : `${plural(b.consortia.count, "consortium", "consortia")}${b.consortia.capped ? " or more" : ""} could be formed` +
        ` (smallest of ${b.consortia.minSize ?? 0})`;
  return (
    `${plural(b.singles, "could bid alone", "could bid alone")} and ${groups}, ` +
    `${plural(b.independent, "independent bid", "independent bids")} in all`
  );
}

const ART20_GROUP = {
  one: "enterprise with at least 30 % disadvantaged workers (Art. 20)",
  many: "enterprises with at least 30 % disadvantaged workers (Art. 20)",
};
const ART77_GROUP = {
  one: "organisation with a public-service mission (Art. 77)",
  many: "organisations with a public-service mission (Art. 77)",
};
const bidsCount = (n: number): string => plural(n, "independent bid", "independent bids");

/**
 * What the buyer would get for a tender: enterprises within reach, feasible singles and
 * consortia if it reserved the tender under Art. 20 or Art. 77 (or not at all), whether Art. 77
 * applies to its codes, and a recommendation (see the rule at the top of this module).
 */
export function tenderInsight(
  tender: MatchTender & { id: string; title: string },
  candidates: readonly MatchEnterprise[],
  options: InsightOptions,
): TenderInsight {
  const ids = new Set<string>();
  const unique = candidates.filter((c) => !ids.has(c.id) && Boolean(ids.add(c.id)));
  const codes = uniqueCodes(tender.lots.flatMap((l) => l.cpv));
  const art77Possible = codes.length > 0 && codes.every(art77Applicable);
  const ctx = {
    buyerId: tender.buyer.id,
    now: options.now,
    ...(options.pastAwards ? { pastAwards: options.pastAwards } : {}),
  };
  const reach = unique.filter(
    (e) => servesPlace(e, tender.place) && codes.some((code) => enterpriseCovers(e, code)),
  );
  const eligible = {
    "res-ws": reach.filter((e) => isEligible(e, "res-ws", ctx)).length,
    "res-pub-ser": reach.filter((e) => isEligible(e, "res-pub-ser", ctx)).length,
  };
  const art77Blocked = reach.filter(
    (e) => e.publicServiceMission && !isEligible(e, "res-pub-ser", ctx),
  ).length;
  const socialEnterprises = reach.filter(
    (e) => (e.disadvantagedShare ?? 0) >= ART20_MIN_SHARE || e.publicServiceMission,
  ).length;

  const under = {
    none: bidsUnder(tender, unique, "none", options),
    "res-ws": bidsUnder(tender, unique, "res-ws", options),
    "res-pub-ser": bidsUnder(tender, unique, "res-pub-ser", options),
  } satisfies Record<InsightReservation, Bids>;
  const lots: LotBids[] =
    tender.lots.length < 2
      ? []
      : tender.lots.map((l) => ({
          lotId: l.id,
          independentBids: bidsUnder(tender, unique, "res-ws", options, [l.id]).independent,
        }));

  const recommendation = recommend({
    tender,
    art77Possible,
    codes: codes.length,
    withinReach: reach.length,
    eligible,
    art77Blocked,
    socialEnterprises,
    under,
    lots,
  });

  return {
    tenderId: tender.id,
    title: tender.title,
    reserved: tender.reserved,
    art77Possible,
    withinReach: reach.length,
    eligible,
    art77Blocked,
    socialEnterprises,
    singles: {
      none: under.none.singles,
      "res-ws": under["res-ws"].singles,
      "res-pub-ser": under["res-pub-ser"].singles,
    },
    consortia: {
      none: under.none.consortia,
      "res-ws": under["res-ws"].consortia,
      "res-pub-ser": under["res-pub-ser"].consortia,
    },
    independentBids: {
      none: under.none.independent,
      "res-ws": under["res-ws"].independent,
      "res-pub-ser": under["res-pub-ser"].independent,
    },
    lots,
    recommendation,
  };
}

type Facts = {
  tender: MatchTender;
  art77Possible: boolean;
  codes: number;
  withinReach: number;
  eligible: { "res-ws": number; "res-pub-ser": number };
  art77Blocked: number;
  socialEnterprises: number;
  under: Record<InsightReservation, Bids>;
  lots: LotBids[];
};

function recommend(f: Facts): TenderInsight["recommendation"] {
  const ws = f.under["res-ws"];
  const ps = f.under["res-pub-ser"];
  const open = f.under.none;
  const blocked =
    f.art77Blocked > 0
      ? ` (${plural(f.art77Blocked, "more is", "more are")} barred by the three-year rule)`
      : "";
  const art77Figures = `${plural(f.eligible["res-pub-ser"], ART77_GROUP.one, ART77_GROUP.many)} within reach${blocked}; ${bidsPhrase(ps)}`;
  const art20Figures = `${plural(f.eligible["res-ws"], ART20_GROUP.one, ART20_GROUP.many)} within reach; ${bidsPhrase(ws)}`;

  // 0. Respect a reservation already made.
  if (f.tender.reserved === "res-ws" || f.tender.reserved === "res-pub-ser") {
    const art77 = f.tender.reserved === "res-pub-ser";
    const bids = art77 ? ps : ws;
    const adequate = bids.independent >= MIN_BIDS;
    const verdict = adequate
      ? "Competition is adequate."
      : `Competition is thin (${bidsCount(open.independent)} without the reservation).`;
    const codesNote =
      art77 && !f.art77Possible ? " Note: not every CPV code of the tender is one Art. 77 allows." : "";
    return {
      kind: art77 ? "reserve-art77" : "reserve-art20",
      reason: `Already reserved under ${art77 ? "Art. 77" : "Art. 20"}: ${art77 ? art77Figures : art20Figures}. ${verdict}${codesNote}`,
      alreadyReserved: true,
      adequateCompetition: adequate,
    };
  }
  const prefix =
    f.tender.reserved === "unknown" ? "The reservation could not be read, so none is assumed. " : "";
  const base = { alreadyReserved: false } as const;

  // 1. Art. 77 when its codes allow it and competition stays real.
  if (f.art77Possible && ps.independent >= MIN_BIDS) {
    return {
      ...base,
      kind: "reserve-art77",
      reason: `${prefix}Every CPV code of the tender allows an Art. 77 reservation, and ${art77Figures}. Reserve it under Art. 77 (for at most three years).`,
      adequateCompetition: true,
    };
  }
  const art77Note = f.art77Possible
    ? `Art. 77 would leave ${bidsCount(ps.independent)}`
    : f.codes === 0
      ? "the tender has no CPV code, so Art. 77 cannot be checked"
      : "not every CPV code of the tender allows Art. 77";

  // 2. Art. 20 for the whole tender.
  if (ws.independent >= MIN_BIDS) {
    return {
      ...base,
      kind: "reserve-art20",
      reason: `${prefix}${capitalise(art20Figures)}. Reserve it under Art. 20 (${art77Note}).`,
      adequateCompetition: true,
    };
  }

  // 3. Art. 20 for the lots that alone would see competition.
  const reservable = f.lots.filter((l) => l.independentBids >= MIN_BIDS);
  if (reservable.length > 0) {
    const figures = reservable.map((l) => `lot ${l.lotId}: ${bidsCount(l.independentBids)}`).join(", ");
    return {
      ...base,
      kind: "reserve-lot",
      lotIds: reservable.map((l) => l.lotId),
      reason:
        `${prefix}Reserved as a whole under Art. 20 the tender would get ${bidsCount(ws.independent)}, ` +
        `but ${plural(reservable.length, "lot", "lots")} alone would see competition among Art. 20 enterprises (${figures}). ` +
        `Reserve ${reservable.length === 1 ? "that lot" : "those lots"} under Art. 20.`,
      adequateCompetition: true,
    };
  }

  const competition = open.independent >= MIN_BIDS;
  // 4. A social clause when there is someone it would help.
  if (f.socialEnterprises > 0) {
    return {
      ...base,
      kind: "social-clause",
      reason:
        `${prefix}Too few bids for a reservation (Art. 20: ${bidsCount(ws.independent)}; ${art77Note}), ` +
        `but ${plural(f.socialEnterprises, "enterprise", "enterprises")} within reach ${f.socialEnterprises === 1 ? "has" : "have"} ` +
        "at least 30 % disadvantaged workers or a public-service mission. Add a social clause.",
      adequateCompetition: competition,
    };
  }

  // 5. Nothing to recommend.
  const who =
    f.withinReach === 0
      ? "No enterprise is within reach"
      : `Of the ${plural(f.withinReach, "enterprise", "enterprises")} within reach, none has at least 30 % disadvantaged workers or a public-service mission`;
  return {
    ...base,
    kind: "none",
    reason: `${prefix}${who}: no reservation or social clause is recommended.`,
    adequateCompetition: competition,
  };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
