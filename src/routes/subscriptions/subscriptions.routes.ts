import { createRoute, z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES, SubscriptionInput, SubscriptionPatch } from "../../domain/subscription.js";
import { requireSignedIn } from "../middleware/auth.js";
import { bearerAuth, errors, json, jsonBody } from "../openapi.js";

const tags = ["Subscriptions"];

const SubscriptionView = z
  .object({
    id: z.string(),
    accountId: z.string(),
    name: z.string(),
    kind: z.string(),
    filters: z.record(z.string(), z.unknown()),
    enterpriseId: z.string().optional(),
    channel: z.union([
      z.object({ type: z.literal("email"), address: z.string() }),
      z.object({ type: z.literal("webhook"), url: z.string() }),
    ]),
    frequency: z.string(),
    digestHour: z.number(),
    timeZone: z.string(),
    language: z.string(),
    active: z.boolean(),
    feed: z.boolean().openapi({ description: "Whether the Atom and iCal feeds are on (a token exists)" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Subscription", { description: "The webhook secret is never shown back." });

const Feeds = z.object({
  atom: z.string().openapi({ description: "Atom feed URL (with the secret token)" }),
  ical: z.string().openapi({ description: "iCal feed URL: deadlines and expected publications" }),
});

const Created = z
  .object({
    subscription: SubscriptionView,
    feedToken: z.string().openapi({ description: "Shown this once; the store keeps only its hash" }),
    feeds: Feeds,
  })
  .openapi("SubscriptionCreated");

const Delivery = z
  .object({
    id: z.number(),
    subscriptionId: z.string(),
    tender: z.object({ id: z.string(), title: z.string() }),
    event: z.string(),
    version: z.number(),
    idempotencyKey: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number(),
    nextAttemptAt: z.string(),
    firstAttemptAt: z.string().optional(),
    lastError: z.string().optional(),
    createdAt: z.string(),
    sentAt: z.string().optional(),
    occurredAt: z.string(),
  })
  .catchall(z.unknown())
  .openapi("Delivery");

const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});
const TokenParam = z.object({
  token: z
    .string()
    .min(10)
    .max(200)
    .openapi({ param: { name: "token", in: "path" } }),
});

export const create = createRoute({
  method: "post",
  path: "/api/subscriptions",
  tags,
  summary: "Subscribe to tender alerts (e-mail or webhook, instant or a daily digest)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { body: jsonBody(SubscriptionInput.openapi("SubscriptionInput")) },
  responses: { 201: json(Created, "Subscribed"), ...errors(400, 401, 403, 409, 413, 415, 429) },
});

export const list = createRoute({
  method: "get",
  path: "/api/subscriptions",
  tags,
  summary: "The account's subscriptions (an admin's: all)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  responses: { 200: json(z.object({ items: z.array(SubscriptionView) }), "Subscriptions"), ...errors(401) },
});

export const get = createRoute({
  method: "get",
  path: "/api/subscriptions/{id}",
  tags,
  summary: "A subscription (its owner or an admin; 404 for anyone else)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: { 200: json(SubscriptionView, "The subscription"), ...errors(401, 404) },
});

export const patch = createRoute({
  method: "patch",
  path: "/api/subscriptions/{id}",
  tags,
  summary: "Change a subscription; `active: false` pauses it",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam, body: jsonBody(SubscriptionPatch.openapi("SubscriptionPatch")) },
  responses: { 200: json(SubscriptionView, "Changed"), ...errors(400, 401, 403, 404, 409, 413, 415, 429) },
});

export const remove = createRoute({
  method: "delete",
  path: "/api/subscriptions/{id}",
  tags,
  summary: "Delete a subscription and its deliveries",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...errors(401, 404, 429) },
});

export const deliveries = createRoute({
  method: "get",
  path: "/api/subscriptions/{id}/deliveries",
  tags,
  summary: "Deliveries of a subscription, newest first, dead letters included",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: {
    params: IdParam,
    query: z.object({
      status: z.enum(DELIVERY_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(Delivery), total: z.number(), limit: z.number(), offset: z.number() }),
      "A page of deliveries",
    ),
    ...errors(400, 401, 404),
  },
});

export const test = createRoute({
  method: "post",
  path: "/api/subscriptions/{id}/test",
  tags,
  summary: "Send a test message through the subscription's channel now (not stored, not retried)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: {
    200: json(
      z
        .object({ ok: z.boolean(), idempotencyKey: z.string(), error: z.string().optional() })
        .catchall(z.unknown()),
      "What the channel answered",
    ),
    ...errors(401, 404, 429),
  },
});

export const rotateFeed = createRoute({
  method: "post",
  path: "/api/subscriptions/{id}/feed-token",
  tags,
  summary: "A new feed token (the old feed URLs stop working)",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: {
    200: json(z.object({ feedToken: z.string(), feeds: Feeds }), "The new token and feed URLs"),
    ...errors(401, 404, 429),
  },
});

export const revokeFeed = createRoute({
  method: "delete",
  path: "/api/subscriptions/{id}/feed-token",
  tags,
  summary: "Turn the subscription's feeds off",
  security: bearerAuth,
  middleware: [requireSignedIn] as const,
  request: { params: IdParam },
  responses: { 204: { description: "Feeds off" }, ...errors(401, 404, 429) },
});

export const atom = createRoute({
  method: "get",
  path: "/api/feeds/{token}/atom",
  tags,
  summary: "Atom feed of a subscription's alerts (the token is the key; no sign-in)",
  request: { params: TokenParam },
  responses: {
    200: { description: "Atom 1.0", content: { "application/atom+xml": { schema: z.string() } } },
    ...errors(404),
  },
});

export const ical = createRoute({
  method: "get",
  path: "/api/feeds/{token}/ical",
  tags,
  summary: "iCal feed of a subscription's tenders: deadlines and expected publication dates",
  request: { params: TokenParam },
  responses: {
    200: { description: "iCalendar (RFC 5545)", content: { "text/calendar": { schema: z.string() } } },
    ...errors(404),
  },
});

const UnsubscribeQuery = z.object({ token: z.string().min(10).max(200) });

export const unsubscribePage = createRoute({
  method: "get",
  path: "/api/unsubscribe",
  tags,
  summary: "The unsubscribe link of a message: a page with one button (a GET changes nothing)",
  request: { query: UnsubscribeQuery },
  responses: {
    200: { description: "A confirmation page", content: { "text/html": { schema: z.string() } } },
    ...errors(400, 404),
  },
});

export const unsubscribe = createRoute({
  method: "post",
  path: "/api/unsubscribe",
  tags,
  summary: "One-click unsubscribe (RFC 8058), without signing in",
  description: "Mail clients POST `List-Unsubscribe=One-Click`; the body is not needed.",
  request: { query: UnsubscribeQuery },
  responses: {
    200: json(
      z.object({ subscriptionId: z.string(), name: z.string(), wasActive: z.boolean() }),
      "Unsubscribed (repeating it is harmless)",
    ),
    ...errors(400, 404, 429),
  },
});
