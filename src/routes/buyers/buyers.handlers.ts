import type { RouteHandler } from "@hono/zod-openapi";
import { AppError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./buyers.routes.js";

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const p = c.req.valid("query");
  const { items, total } = await c.var.deps.store.buyers.list({
    ...(p.country ? { country: p.country } : {}),
    ...(p.q?.trim() ? { q: p.q.trim() } : {}),
    limit: p.limit,
    offset: (p.page - 1) * p.limit,
  });
  return c.json({ items, total, page: p.page, limit: p.limit }, 200);
};

export const get: RouteHandler<typeof routes.get, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const buyer = await c.var.deps.store.buyers.get(id);
  if (!buyer) throw new AppError("NOT_FOUND", `no buyer ${id}`);
  return c.json(buyer, 200);
};
