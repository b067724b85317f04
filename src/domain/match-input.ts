import { z } from "./zod.js";
import { Enterprise } from "./enterprise.js";
import { CpvCode } from "./cpv.js";
import { AppError, fieldIssues } from "./errors.js";
import { AwardedTo, Lot, Place, Requirements, Reservation, TenderStage, normaliseLots } from "./tender.js";
import type { SubcontractEnterprise, SubcontractTender } from "./matching/subcontracting.js";

/**
 * What a what-if question (`POST /api/match`, `cli match`) may send as a tender: the API's
 * Tender shape, of which only the fields matching reads are needed; unknown fields are ignored.
 * A tender without lots is one lot carrying `cpv`.
 */
export const MatchTenderInput = z
  .object({
    id: z.string().trim().min(1).max(300).optional(),
    title: z.string().trim().min(1).max(500).default("Tender"),
    stage: TenderStage.default("open"),
    buyer: z.object({ id: z.string().trim().min(1).max(200) }).optional(),
    buyerId: z.string().trim().min(1).max(200).optional(),
    reserved: Reservation.default("none"),
    place: Place.optional(),
    lots: z.array(Lot).min(1).max(500).optional(),
    cpv: z.array(CpvCode).max(200).optional(),
    requirements: Requirements.default({}),
    awardedTo: z.array(AwardedTo).optional(),
  })
  .refine((t) => (t.lots?.length ?? 0) > 0 || (t.cpv?.length ?? 0) > 0, {
    message: "a tender needs lots, or cpv codes for its one lot",
    path: ["lots"],
  })
  .refine((t) => new Set((t.lots ?? []).map((l) => l.id)).size === (t.lots ?? []).length, {
    message: "lot ids must be unique",
    path: ["lots"],
  });
export type MatchTenderInput = z.infer<typeof MatchTenderInput>;

/** The enterprise fields matching reads, in the API's Enterprise shape; the rest is ignored. */
export const MatchEnterpriseInput = Enterprise.pick({
  name: true,
  orgId: true,
  location: true,
  serviceRadiusKm: true,
  cpv: true,
  annualTurnover: true,
  currency: true,
  employees: true,
  disadvantagedShare: true,
  publicServiceMission: true,
  openToConsortia: true,
  openToSubcontracting: true,
})
  .partial({ name: true })
  .extend({ id: z.string().trim().min(1).max(200) });
export type MatchEnterpriseInput = z.infer<typeof MatchEnterpriseInput>;

export const MatchEnterprisesInput = z
  .array(MatchEnterpriseInput)
  .max(100_000)
  .refine((list) => new Set(list.map((e) => e.id)).size === list.length, "enterprise ids must be unique");

export type MatchTenderOf = SubcontractTender & { id: string; title: string };

/** The tender a what-if question is about, with its lots normalised. */
export function matchTenderOf(input: MatchTenderInput): MatchTenderOf {
  const { lots } = normaliseLots(input.title, input.lots, input.cpv);
  return {
    id: input.id ?? "what-if",
    title: input.title,
    stage: input.stage,
    buyer: { id: input.buyer?.id ?? input.buyerId ?? "unknown" },
    reserved: input.reserved,
    ...(input.place ? { place: input.place } : {}),
    lots,
    requirements: input.requirements,
    ...(input.awardedTo ? { awardedTo: input.awardedTo } : {}),
  };
}

/** The enterprises of a what-if question, as matching reads them. */
export function matchEnterprisesOf(list: readonly MatchEnterpriseInput[]): SubcontractEnterprise[] {
  return list.map((e) => ({ ...e }));
}

/** A zod failure as the error the API and the CLI report (field paths under `prefix`). */
export function invalidMatchInput(prefix: string, error: z.ZodError): AppError {
  return new AppError("VALIDATION_FAILED", `invalid ${prefix}`, {
    fields: fieldIssues(error.issues.map((i) => ({ path: [prefix, ...i.path], message: i.message }))),
  });
}
