import { createRoute, z } from "@hono/zod-openapi";
import { Slug } from "../../domain/common.js";
import { OcdsReleasePackage } from "../../ocds/ocds-package.js";
import { errors, json } from "../openapi.js";

export const PlanningQuery = z.object({
  buyer: Slug.openapi({ description: "The buyer's id (see GET /api/buyers)", example: "dk-0751" }),
});

export const planning = createRoute({
  method: "get",
  path: "/api/ocds/planning",
  tags: ["OCDS"],
  summary: "A buyer's tender plan as an OCDS 1.1 release package",
  description:
    "One OCDS planning release (tag `planning`) per planned tender of the buyer, in an OCDS 1.1 " +
    "release package that validates against the official release-package schema: the buyer as " +
    "party, `planning.budget` and `tender.value` from the estimated value, one item per CPV code " +
    "(scheme CPV), lots (lots extension) when a tender has several, `tender.tenderPeriod.startDate` " +
    "from the expected publication and `tender.contractPeriod` from the contract period. A buyer " +
    "without planned tenders gives an empty `releases` list. The ocid prefix `ocds-jntbd0` is a " +
    "placeholder until the deployment registers its own.",
  request: { query: PlanningQuery },
  responses: {
    200: {
      ...json(OcdsReleasePackage, "The release package"),
      headers: {
        "Content-Disposition": {
          description: 'inline; filename="<buyer>-planning.json"',
          schema: { type: "string" },
        },
      },
    },
    ...errors(400, 401, 404),
  },
});
