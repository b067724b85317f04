import type { RouteHandler } from "@hono/zod-openapi";
import { AppError } from "../../domain/errors.js";
import { plannedTendersOfBuyer } from "../../ocds/planned-tenders.js";
import { planningReleasePackage } from "../../ocds/planning-export.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./ocds.routes.js";

export const planning: RouteHandler<typeof routes.planning, AppEnv> = async (c) => {
  const { buyer: buyerId } = c.req.valid("query");
  const deps = c.var.deps;
  const buyer = await deps.store.buyers.get(buyerId);
  if (!buyer) throw new AppError("NOT_FOUND", `no buyer ${buyerId}`);
  const tenders = await plannedTendersOfBuyer(deps, buyer.id);
  const body = planningReleasePackage(tenders, buyer, {
    publisherName: "jointbid",
    baseUrl: deps.config.publicBaseUrl,
    now: deps.clock().toISOString(),
  });
  c.header("Content-Disposition", `inline; filename="${buyer.id}-planning.json"`);
  return c.json(body, 200);
};
