import { z } from "@hono/zod-openapi";
import { GROUP_RULES } from "../../domain/matching/index.js";
import { MatchTenderInput } from "../../domain/match-input.js";
import { Reservation, TenderStage } from "../../domain/tender.js";

/** Response shapes of the matching endpoints (the domain's MatchResult and friends). */

const CoverageLine = z.object({
  lotId: z.string(),
  code: z.string().openapi({ description: "A required CPV code of the lot" }),
  memberId: z.string(),
  memberCode: z.string().openapi({ description: "The member's own code that covers it" }),
});
const MemberLine = z.object({
  id: z.string(),
  eligible: z.boolean().openapi({ description: "Eligible on its own for the tender's reservation" }),
  distanceKm: z.number().optional(),
});
const Explanation = z
  .object({
    coverage: z.array(CoverageLine),
    members: z.array(MemberLine),
    turnover: z.object({ sum: z.number(), required: z.number().optional(), currency: z.string().optional() }),
    combinedShare: z.number().optional(),
  })
  .openapi("MatchExplanation");
export const Consortium = z
  .object({
    members: z.array(z.string()),
    lots: z.array(z.string()),
    score: z.number(),
    explanation: Explanation,
    competitionFlag: z.boolean(),
  })
  .openapi("Consortium");
const Single = z
  .object({ id: z.string(), lots: z.array(z.string()), score: z.number(), explanation: Explanation })
  .openapi("Single");
const Open = z.object({ kind: z.string() }).catchall(z.unknown());
const Infeasible = z.object({
  reasons: z.array(Open).openapi({
    description:
      "unknown-lot, too-many-lots, uncovered (lotId, code: nobody eligible in reach covers it), turnover-short (required, best), no-consortium (maxSize)",
  }),
  closest: z.array(
    z.object({
      id: z.string(),
      covered: z.number(),
      total: z.number(),
      serves: z.boolean(),
      eligible: z.boolean(),
    }),
  ),
});
const SubcontractLead = z
  .object({ role: z.literal("subcontractor"), members: z.array(z.string()) })
  .catchall(z.unknown())
  .openapi("SubcontractLead");
const Subcontracting = z
  .object({
    applicable: z.boolean(),
    reason: z.string().openapi({
      description:
        "open-requires-subcontracting, open-allows-subcontracting, open-subcontracting-unstated (Art. 71: allowed unless excluded), awarded-with-winner, not-open-or-awarded, subcontracting-not-allowed, no-known-winner",
    }),
    partners: z.array(z.object({ kind: z.string() }).catchall(z.unknown())).openapi({
      description: "Who the subcontractors would work for: the winners of an awarded contract, or any bidder",
    }),
    lots: z.array(z.object({ lotId: z.string(), permission: z.string() })),
    leads: z.array(SubcontractLead),
    excluded: z.array(z.object({ id: z.string(), reason: z.string() })),
  })
  .openapi("SubcontractingLeads");
const GroupCheck = z
  .object({
    members: z.array(z.string()),
    feasible: z.boolean(),
    irredundant: z.boolean(),
    competitionFlag: z.boolean(),
    redundant: z.array(z.string()),
    problems: z.array(Open),
  })
  .openapi("GroupCheck");
const EnterpriseRef = z.object({
  id: z.string(),
  name: z.string(),
  municipality: z.string().optional(),
  country: z.string(),
});

export const TenderMatches = z
  .object({
    tenderId: z.string(),
    lots: z.array(z.string()).openapi({ description: "The lots matched against" }),
    lotsCapped: z.boolean().openapi({ description: "All lots were asked but cut to maxLotsPerBidder" }),
    reservationUnknown: z.boolean(),
    consortia: z.array(Consortium).openapi({ description: "Smallest size first, then by score" }),
    singles: z.array(Single).openapi({ description: "Enterprises that can bid alone for these lots" }),
    lotSingles: z.array(z.object({ lotId: z.string(), members: z.array(z.string()) })),
    infeasible: Infeasible.optional(),
    subcontracting: Subcontracting,
    candidates: z.object({ count: z.number(), total: z.number(), truncated: z.boolean() }),
    enterprises: z.record(z.string(), EnterpriseRef),
    group: GroupCheck.optional(),
  })
  .openapi("TenderMatches");

export const MatchQuery = z.object({
  lots: z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .optional()
    .openapi({
      description: "Lot ids to bid for (default all, capped at maxLotsPerBidder)",
      type: "array",
      items: { type: "string" },
    }),
  maxSize: z.coerce.number().int().min(1).max(6).default(4).openapi({ description: "Largest consortium" }),
  limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ description: "Consortia to return" }),
  groupRule: z
    .enum(GROUP_RULES)
    .optional()
    .openapi({ description: "per-member (default) or combined (employee-weighted share ≥ 0.30 for res-ws)" }),
});

export const MatchBody = z
  .object({
    tenderId: z.string().min(3).max(300).optional(),
    tender: MatchTenderInput.optional().openapi({
      description: "A tender in the API's shape (only matching's fields are read)",
    }),
    enterpriseIds: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Only these enterprises are considered, and this exact group is checked" }),
    lots: z.array(z.string().min(1).max(60)).max(500).optional(),
    maxSize: z.number().int().min(1).max(6).optional(),
    limit: z.number().int().min(1).max(50).optional(),
    groupRule: z.enum(GROUP_RULES).optional(),
  })
  .refine((b) => (b.tenderId === undefined) !== (b.tender === undefined), {
    message: "give exactly one of tender and tenderId",
    path: ["tender"],
  })
  .openapi("MatchQuestion");

const TenderSummary = z.object({
  id: z.string(),
  title: z.string(),
  stage: TenderStage,
  reserved: Reservation,
  buyer: z.object({ id: z.string(), name: z.string(), country: z.string() }),
  expectedPublication: z
    .object({ date: z.string(), precision: z.string(), raw: z.string().optional() })
    .optional(),
  deadline: z.string().optional(),
  estimatedValue: z.object({ amount: z.number(), currency: z.string() }).catchall(z.unknown()).optional(),
});

export const Opportunities = z
  .object({
    enterpriseId: z.string(),
    opportunities: z.array(
      z.object({
        tender: TenderSummary,
        alone: z.boolean().openapi({ description: "Can bid alone for all the lots" }),
        aloneLots: z.array(z.string()).openapi({ description: "Lots it can bid for alone" }),
        consortia: z.array(Consortium).openapi({ description: "Suggested consortia it is a member of" }),
        enterprises: z.record(z.string(), EnterpriseRef),
      }),
    ),
    tendersConsidered: z.number(),
    truncated: z.boolean(),
  })
  .openapi("Opportunities");

export const BuyerInsight = z
  .object({
    buyerId: z.string(),
    name: z.string(),
    tenders: z.array(
      z
        .object({
          tenderId: z.string(),
          title: z.string(),
          art77Possible: z.boolean(),
          withinReach: z.number(),
          recommendation: z.object({
            kind: z.enum(["reserve-art20", "reserve-art77", "reserve-lot", "social-clause", "none"]),
            lotIds: z.array(z.string()).optional(),
            reason: z.string(),
          }),
        })
        .catchall(z.unknown()),
    ),
  })
  .openapi("BuyerInsight");
