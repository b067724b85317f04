import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../routes/app-env.js";

/** A page as the response: the doctype, the rendered tree, not cached without a check. */
export async function render(
  c: Context<AppEnv>,
  node: Child,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const body = await Promise.resolve(node);
  c.header("Cache-Control", "no-cache");
  return c.html(`<!DOCTYPE html>${String(body)}`, status);
}

/** Browsers ask for HTML; API clients and feed readers do not. */
export function wantsHtml(c: Context<AppEnv>): boolean {
  return (c.req.header("accept") ?? "").includes("text/html");
}
