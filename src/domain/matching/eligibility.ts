import { z } from "../zod.js";
import { IsoDate, IsoDateTime } from "../common.js";
import type { Enterprise } from "../enterprise.js";
import type { Reservation } from "../tender.js";

/**
 * How a group meets a reservation: `per-member` (every member eligible) or `combined` (the UK
 * reading of Art. 20: the employee-weighted disadvantaged share of the whole group ≥ 0.30).
 * `combined` only changes `res-ws`; Art. 77 is always judged per member.
 */
export const GROUP_RULES = ["per-member", "combined"] as const;
export const GroupRule = z.enum(GROUP_RULES);
export type GroupRule = z.infer<typeof GroupRule>;

/** A known Art. 77 award, for the three-year rule of Art. 77(3). */
export const PastAward = z.object({
  enterpriseId: z.string().trim().min(1),
  buyerId: z.string().trim().min(1),
  reserved: z.literal("res-pub-ser"),
  awardedAt: z.union([IsoDateTime, IsoDate]),
});
export type PastAward = z.infer<typeof PastAward>;

/** Art. 20: at least 30 % of the employees are disabled or disadvantaged. */
export const ART20_MIN_SHARE = 0.3;
/** Art. 77(3): no Art. 77 award from the same buyer within the past three years. */
export const ART77_COOLDOWN_YEARS = 3;

/** Guards the weighted mean against rounding (three members at exactly 0.30 stay eligible). */
const EPSILON = 1e-9;

export type EligibilityFields = Pick<
  Enterprise,
  "id" | "disadvantagedShare" | "publicServiceMission" | "employees"
>;

export type EligibilityContext = {
  buyerId: string;
  pastAwards?: readonly PastAward[];
  /** ISO date-time; the clock is injected. */
  now: string;
};

/**
 * The reservation matching is done against. `unknown` (a reservation we could not read) is
 * treated as `none`, so nobody is excluded on a guess; results carry a `reservationUnknown`
 * flag so the reader knows the eligibility check was not applied.
 */
export function effectiveReservation(reserved: Reservation): Exclude<Reservation, "unknown"> {
  return reserved === "unknown" ? "none" : reserved;
}

/**
 * True when the enterprise won an Art. 77 contract from this buyer within the past three
 * calendar years: `now − 3 years ≤ awardedAt ≤ now` (the boundary day itself still blocks;
 * awards dated after `now` are ignored).
 */
export function art77Blocked(
  enterpriseId: string,
  buyerId: string,
  pastAwards: readonly PastAward[],
  now: string,
): boolean {
  const nowMs = Date.parse(now);
  const cutoff = new Date(nowMs);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - ART77_COOLDOWN_YEARS);
  const cutoffMs = cutoff.getTime();
  return pastAwards.some((a) => {
    if (a.enterpriseId !== enterpriseId || a.buyerId !== buyerId || a.reserved !== "res-pub-ser")
      return false;
    const at = Date.parse(a.awardedAt);
    return at >= cutoffMs && at <= nowMs;
  });
}

/** Whether one enterprise is eligible for a reservation on its own. */
export function isEligible(e: EligibilityFields, reserved: Reservation, ctx: EligibilityContext): boolean {
  switch (effectiveReservation(reserved)) {
    case "none":
      return true;
    case "res-ws":
      return (e.disadvantagedShare ?? 0) >= ART20_MIN_SHARE;
    case "res-pub-ser":
      return e.publicServiceMission && !art77Blocked(e.id, ctx.buyerId, ctx.pastAwards ?? [], ctx.now);
  }
}

/**
 * Weight of a member in the combined share: its employees, counting at least one person (an
 * enterprise with unknown or zero employees counts as one). An unknown share counts as 0 (not
 * shown to be disadvantaged). Every member thus has a positive weight and the combined share is
 * a plain weighted mean, which the consortium search relies on.
 */
export function shareWeight(e: EligibilityFields): number {
  return Math.max(e.employees ?? 1, 1);
}

/** Employee-weighted disadvantaged share of a group (0 for an empty group). */
export function combinedShare(members: readonly EligibilityFields[]): number {
  let weighted = 0;
  let total = 0;
  for (const m of members) {
    const w = shareWeight(m);
    weighted += w * (m.disadvantagedShare ?? 0);
    total += w;
  }
  return total === 0 ? 0 : weighted / total;
}

/** Whether a group is eligible for a reservation under a group rule. */
export function isGroupEligible(
  members: readonly EligibilityFields[],
  reserved: Reservation,
  rule: GroupRule,
  ctx: EligibilityContext,
): boolean {
  if (members.length === 0) return false;
  const r = effectiveReservation(reserved);
  if (r === "res-ws" && rule === "combined") return combinedShare(members) >= ART20_MIN_SHARE - EPSILON;
  return members.every((m) => isEligible(m, r, ctx));
}
