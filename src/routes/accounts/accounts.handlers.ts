import type { RouteHandler } from "@hono/zod-openapi";
import { requireAccount } from "../../domain/policy.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./accounts.routes.js";

export const me: RouteHandler<typeof routes.me, AppEnv> = async (c) =>
  c.json(requireAccount(c.var.actor), 200);
