import type { RouteHandler } from "@hono/zod-openapi";
import { atomFeed, icalFeed } from "../../alerts/feeds.js";
import { feedUrls } from "../../alerts/items.js";
import { escapeXml } from "../../alerts/feeds.js";
import {
  createSubscription,
  deleteSubscription,
  feedItems,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  patchSubscription,
  revokeFeedToken,
  rotateFeedToken,
  sendTestAlert,
  unsubscribeByToken,
} from "../../services/alerts.service.js";
import type { AppEnv } from "../app-env.js";
import type * as routes from "./subscriptions.routes.js";

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const deps = c.var.deps;
  const { subscription, feedToken } = await createSubscription(deps, c.var.actor, c.req.valid("json"));
  c.header("Location", `/api/subscriptions/${encodeURIComponent(subscription.id)}`);
  return c.json({ subscription, feedToken, feeds: feedUrls(deps.config.publicBaseUrl, feedToken) }, 201);
};

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) =>
  c.json({ items: await listSubscriptions(c.var.deps, c.var.actor) }, 200);

export const get: RouteHandler<typeof routes.get, AppEnv> = async (c) =>
  c.json(await getSubscription(c.var.deps, c.var.actor, c.req.valid("param").id), 200);

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) =>
  c.json(await patchSubscription(c.var.deps, c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200);

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  await deleteSubscription(c.var.deps, c.var.actor, c.req.valid("param").id);
  return c.body(null, 204);
};

export const deliveries: RouteHandler<typeof routes.deliveries, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  return c.json(
    await listDeliveries(c.var.deps, c.var.actor, c.req.valid("param").id, {
      limit: q.limit,
      offset: q.offset,
      ...(q.status ? { status: q.status } : {}),
    }),
    200,
  );
};

export const test: RouteHandler<typeof routes.test, AppEnv> = async (c) =>
  c.json(await sendTestAlert(c.var.deps, c.var.actor, c.req.valid("param").id), 200);

export const rotateFeed: RouteHandler<typeof routes.rotateFeed, AppEnv> = async (c) => {
  const { feedToken } = await rotateFeedToken(c.var.deps, c.var.actor, c.req.valid("param").id);
  return c.json({ feedToken, feeds: feedUrls(c.var.deps.config.publicBaseUrl, feedToken) }, 200);
};

export const revokeFeed: RouteHandler<typeof routes.revokeFeed, AppEnv> = async (c) => {
  await revokeFeedToken(c.var.deps, c.var.actor, c.req.valid("param").id);
  return c.body(null, 204);
};

/** Feeds are private to whoever holds the token: never cached by shared caches, never indexed. */
function privateHeaders(c: { header(name: string, value: string): void }): void {
  c.header("Cache-Control", "private, max-age=300");
  c.header("X-Robots-Tag", "noindex");
}

export const atom: RouteHandler<typeof routes.atom, AppEnv> = async (c) => {
  const { token } = c.req.valid("param");
  const deps = c.var.deps;
  const { subscription, items } = await feedItems(deps, token);
  privateHeaders(c);
  return c.body(
    atomFeed({
      subscription,
      items,
      selfUrl: feedUrls(deps.config.publicBaseUrl, token).atom,
      now: deps.clock(),
    }),
    200,
    { "Content-Type": "application/atom+xml; charset=utf-8" },
  );
};

export const ical: RouteHandler<typeof routes.ical, AppEnv> = async (c) => {
  const { token } = c.req.valid("param");
  const deps = c.var.deps;
  const { subscription, items } = await feedItems(deps, token);
  privateHeaders(c);
  return c.body(icalFeed({ subscription, items, now: deps.clock() }), 200, {
    "Content-Type": "text/calendar; charset=utf-8",
  });
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeXml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5"><main><h1>${escapeXml(title)}</h1>${body}</main></body></html>`;
}

export const unsubscribePage: RouteHandler<typeof routes.unsubscribePage, AppEnv> = (c) => {
  const { token } = c.req.valid("query");
  const action = `/api/unsubscribe?token=${encodeURIComponent(token)}`;
  return c.html(
    page(
      "Unsubscribe from these alerts?",
      `<p>You will get no more alerts from this subscription. You can subscribe again at any time.</p><form method="post" action="${escapeXml(action)}"><button type="submit" style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>`,
    ),
    200,
  );
};

export const unsubscribe: RouteHandler<typeof routes.unsubscribe, AppEnv> = async (c) => {
  const done = await unsubscribeByToken(c.var.deps, c.req.valid("query").token);
  if ((c.req.header("accept") ?? "").includes("text/html")) {
    return c.html(
      page("Unsubscribed", `<p>You will get no more alerts from “${escapeXml(done.name)}”.</p>`),
      200,
    ) as never;
  }
  return c.json(done, 200);
};
