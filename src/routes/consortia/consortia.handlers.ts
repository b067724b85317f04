import type { RouteHandler } from "@hono/zod-openapi";
import {
  changeConsortium,
  consortiumSummary,
  createConsortium,
  getConsortium,
  inviteToConsortium,
  listConsortia,
  moveConsortium,
  respondToConsortium,
  summaryText,
} from "../../services/consortia.service.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./consortia.routes.js";

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const created = await createConsortium(c.var.deps, c.var.actor, {
    tenderId: body.tenderId,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.fromSuggestion !== undefined ? { fromSuggestion: body.fromSuggestion } : {}),
    ...(body.enterpriseIds ? { enterpriseIds: body.enterpriseIds } : {}),
    ...(body.lots ? { lots: body.lots } : {}),
  });
  c.header("Location", `/api/consortia/${encodeURIComponent(created.id)}`);
  return c.json(created, 201);
};

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) =>
  c.json({ items: await listConsortia(c.var.deps, c.var.actor) }, 200);

export const get: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  c.json(await getConsortium(c.var.deps, c.var.actor, c.req.valid("param").id), 200);

export const invite: RouteHandler<typeof routes.invite, AppEnv> = async (c) =>
  c.json(
    await inviteToConsortium(
      c.var.deps,
      c.var.actor,
      c.req.valid("param").id,
      c.req.valid("json").enterpriseIds,
    ),
    200,
  );

export const respond: RouteHandler<typeof routes.respond, AppEnv> = async (c) =>
  c.json(
    await respondToConsortium(c.var.deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").accept),
    200,
  );

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) =>
  c.json(await changeConsortium(c.var.deps, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200);

export const status: RouteHandler<typeof routes.status, AppEnv> = async (c) =>
  c.json(
    await moveConsortium(c.var.deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").status),
    200,
  );

export const summary: RouteHandler<typeof routes.summary, AppEnv> = async (c) => {
  const found = await consortiumSummary(c.var.deps, c.var.actor, c.req.valid("param").id);
  c.header("Cache-Control", "private, no-store");
  if (c.req.valid("query").format === "text") {
    // The route has two media types; the typed response covers the JSON one (as unsubscribe does).
    return c.body(summaryText(found), 200, { "Content-Type": "text/plain; charset=utf-8" }) as never;
  }
  return c.json(found, 200);
};
