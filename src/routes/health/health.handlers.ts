import type { RouteHandler } from "@hono/zod-openapi";
import { AppError } from "../../domain/errors.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./health.routes.js";

export const health: RouteHandler<typeof routes.health, AppEnv> = async (c) => {
  const { store, search, indexer, config } = c.var.deps;
  const [storeHealth, searchHealth] = await Promise.all([
    store.health(),
    search.health().catch((error: unknown) => ({
      ok: false,
      engine: search.kind,
      error: error instanceof Error ? error.message : String(error),
    })),
  ]);
  if (!storeHealth.ok)
    throw new AppError("STORE_UNAVAILABLE", `the store does not answer: ${storeHealth.error ?? "unknown"}`);
  c.header("Cache-Control", "no-store");
  return c.json(
    {
      status: searchHealth.ok ? ("ok" as const) : ("degraded" as const),
      version: config.version,
      store: storeHealth,
      search: { ...searchHealth, failedIndexWrites: indexer.pendingFailures },
    },
    200,
  );
};
