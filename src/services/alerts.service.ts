import type { z } from "../domain/zod.js";
import type { AlertItem, ChannelResult } from "../alerts/channel.port.js";
import { alertItemOf, tenderLink, unsubscribeUrl } from "../alerts/items.js";
import type { Account, Actor } from "../domain/account.js";
import { AppError, fieldIssues } from "../domain/errors.js";
import { randomToken, sha256Hex } from "../domain/hash.js";
import { requireAccount } from "../domain/policy.js";
import {
  type DeliveryStatus,
  Subscription,
  SubscriptionInput,
  SubscriptionPatch,
  defaultTimeZone,
  publicSubscription,
} from "../domain/subscription.js";
import type { Tender } from "../domain/tender.js";
import type { DeliveryView, StoredSubscription } from "../store/alerts.js";
import type { ServiceContext } from "./context.js";

/**
 * Subscriptions and their alerts, as the HTTP routes (and the CLI) use them.
 *
 * Who may do what:
 * - Any signed-in account may subscribe; the subscription belongs to it. An account has at most
 *   `MAX_SUBSCRIPTIONS_PER_ACCOUNT`.
 * - `profile` and `group-opportunities` subscriptions are about one enterprise. An enterprise
 *   account subscribes for its own (the default; naming another is FORBIDDEN, and an account
 *   with no enterprise yet must register one first). An admin must name the enterprise. Buyer
 *   and coordinator accounts may not (FORBIDDEN): another enterprise's opportunities are its
 *   own business. A `filters` subscription names no enterprise.
 * - An owner reads, changes and deletes its own subscriptions, lists their deliveries and feed
 *   tokens; an admin does all of it for every subscription. For anyone else a subscription does
 *   not exist (NOT_FOUND, never FORBIDDEN), so that ids cannot be probed.
 * - Feeds and one-click unsubscribe need no account: the feed token (SHA-256 stored, shown once,
 *   rotated or revoked by the owner) or the unsubscribe token (in every message) is the
 *   permission.
 */

export const MAX_SUBSCRIPTIONS_PER_ACCOUNT = 100;
export const FEED_ITEMS = 100;
export const MAX_DELIVERIES_PAGE = 200;

/** A subscription as its owner sees it: the webhook secret is never shown back. */
export type SubscriptionView = ReturnType<typeof publicSubscription> & {
  /** Whether it has a feed token (the Atom and iCal feeds work). */
  feed: boolean;
};

function viewOf(stored: StoredSubscription): SubscriptionView {
  return { ...publicSubscription(stored.subscription), feed: stored.feed };
}

function invalid(error: z.ZodError): AppError {
  return new AppError("VALIDATION_FAILED", "the subscription is not valid", {
    fields: fieldIssues(error.issues),
  });
}

/** The subscription if the actor may see it; NOT_FOUND otherwise (others' ids are not told apart). */
async function visible(ctx: ServiceContext, actor: Actor, id: string): Promise<StoredSubscription> {
  const account = requireAccount(actor);
  const stored = await ctx.store.subscriptions.get(id);
  if (!stored || (account.role !== "admin" && stored.subscription.accountId !== account.id)) {
    throw new AppError("NOT_FOUND", `no subscription ${id}`);
  }
  return stored;
}

/** The enterprise a profile or group subscription is about, by the rules above. */
async function enterpriseFor(
  ctx: ServiceContext,
  account: Account,
  kind: Subscription["kind"],
  requested: string | undefined,
): Promise<string | undefined> {
  if (kind === "filters") {
    if (requested !== undefined) {
      throw new AppError("VALIDATION_FAILED", "a filters subscription names no enterprise", {
        fields: [{ path: "enterpriseId", message: "only for profile and group-opportunities" }],
      });
    }
    return undefined;
  }
  let id: string;
  if (account.role === "admin") {
    if (!requested) {
      throw new AppError("VALIDATION_FAILED", `an admin must name the enterprise of a ${kind} subscription`, {
        fields: [{ path: "enterpriseId", message: "required for admins" }],
      });
    }
    id = requested;
  } else if (account.role === "enterprise") {
    if (!account.enterpriseId) {
      throw new AppError("VALIDATION_FAILED", "register your enterprise before subscribing to its matches", {
        fields: [{ path: "enterpriseId", message: "this account has no enterprise yet" }],
      });
    }
    if (requested && requested !== account.enterpriseId) {
      throw new AppError(
        "FORBIDDEN",
        `this account acts for enterprise ${account.enterpriseId}, not ${requested}`,
      );
    }
    id = account.enterpriseId;
  } else {
    throw new AppError("FORBIDDEN", `only enterprise and admin accounts subscribe to ${kind} alerts`);
  }
  if (!(await ctx.store.enterprises.get(id))) {
    throw new AppError("VALIDATION_FAILED", `no enterprise ${id}`, {
      fields: [{ path: "enterpriseId", message: `no enterprise ${id}` }],
    });
  }
  return id;
}

/**
 * `POST /api/subscriptions`. Returns the subscription and its feed token, shown this once (the
 * store keeps only its SHA-256).
 */
export async function createSubscription(
  ctx: ServiceContext,
  actor: Actor,
  input: z.input<typeof SubscriptionInput>,
): Promise<{ subscription: SubscriptionView; feedToken: string }> {
  const account = requireAccount(actor);
  const parsed = SubscriptionInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const data = parsed.data;
  if ((await ctx.store.subscriptions.countByAccount(account.id)) >= MAX_SUBSCRIPTIONS_PER_ACCOUNT) {
    throw new AppError(
      "CONFLICT",
      `an account has at most ${MAX_SUBSCRIPTIONS_PER_ACCOUNT} subscriptions; delete one first`,
    );
  }
  const enterpriseId = await enterpriseFor(ctx, account, data.kind, data.enterpriseId);
  const now = ctx.clock().toISOString();
  const candidate = {
    ...data,
    id: crypto.randomUUID(),
    accountId: account.id,
    timeZone: data.timeZone ?? defaultTimeZone(data.language),
    active: true,
    createdAt: now,
    updatedAt: now,
    enterpriseId,
  };
  const subscription = Subscription.safeParse(candidate);
  if (!subscription.success) throw invalid(subscription.error);
  const feedToken = randomToken();
  const stored = await ctx.store.subscriptions.create(subscription.data, {
    feedTokenHash: await sha256Hex(feedToken),
    unsubscribeToken: randomToken(),
  });
  return { subscription: viewOf(stored), feedToken };
}

/** `GET /api/subscriptions`: the account's own; an admin's lists every subscription. */
export async function listSubscriptions(ctx: ServiceContext, actor: Actor): Promise<SubscriptionView[]> {
  const account = requireAccount(actor);
  const list =
    account.role === "admin"
      ? await ctx.store.subscriptions.list()
      : await ctx.store.subscriptions.byAccount(account.id);
  return list.map(viewOf);
}

/** `GET /api/subscriptions/:id`. */
export async function getSubscription(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<SubscriptionView> {
  return viewOf(await visible(ctx, actor, id));
}

/**
 * `PATCH /api/subscriptions/:id`: fields present replace the current ones (`filters` and
 * `channel` as a whole); `active: false` stops it like an unsubscribe. CONFLICT when someone
 * changed it at the same moment.
 */
export async function patchSubscription(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: z.input<typeof SubscriptionPatch>,
): Promise<SubscriptionView> {
  const account = requireAccount(actor);
  const parsed = SubscriptionPatch.safeParse(patch);
  if (!parsed.success) throw invalid(parsed.error);
  const stored = await visible(ctx, actor, id);
  const current = stored.subscription;
  const changes = parsed.data;
  const kind = changes.kind ?? current.kind;
  let enterpriseId = current.enterpriseId;
  if (changes.kind !== undefined || changes.enterpriseId !== undefined) {
    // The rules are those of the owner's account, applied by the owner or an admin.
    const owner =
      account.id === current.accountId ? account : await ctx.store.accounts.get(current.accountId);
    const actingAs = account.role === "admin" ? account : owner;
    if (!actingAs) throw new AppError("NOT_FOUND", `no subscription ${id}`);
    const requested =
      changes.enterpriseId ?? (kind === "filters" ? undefined : (current.enterpriseId ?? undefined));
    enterpriseId = await enterpriseFor(
      ctx,
      actingAs,
      kind,
      kind === "filters" ? changes.enterpriseId : requested,
    );
  }
  const next = Subscription.safeParse({
    ...current,
    ...changes,
    kind,
    enterpriseId,
    updatedAt: ctx.clock().toISOString(),
  });
  if (!next.success) throw invalid(next.error);
  return viewOf(await ctx.store.subscriptions.update(next.data, stored.version));
}

/** `DELETE /api/subscriptions/:id`: the subscription and its deliveries. */
export async function deleteSubscription(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  await visible(ctx, actor, id);
  if (!(await ctx.store.subscriptions.delete(id))) throw new AppError("NOT_FOUND", `no subscription ${id}`);
}

/** `GET /api/subscriptions/:id/deliveries`: newest first, dead letters included (`status` narrows). */
export async function listDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  page: { limit?: number; offset?: number; status?: DeliveryStatus } = {},
): Promise<{ items: DeliveryView[]; total: number; limit: number; offset: number }> {
  await visible(ctx, actor, id);
  const limit = Math.min(Math.max(1, Math.trunc(page.limit ?? 50)), MAX_DELIVERIES_PAGE);
  const offset = Math.max(0, Math.trunc(page.offset ?? 0));
  const { items, total } = await ctx.store.alerts.bySubscription(id, {
    limit,
    offset,
    ...(page.status ? { status: page.status } : {}),
  });
  return { items, total, limit, offset };
}

/** A tender to show in a test message when the subscription has had no alert yet and the store is empty. */
function sampleTender(now: string): Tender {
  return {
    id: "sample:test-alert",
    stage: "open",
    title: "Test alert: cleaning of municipal buildings",
    description: "This is a test message. Real alerts look like this one.",
    language: "en",
    buyer: { id: "sample", name: "Sample Municipality", country: "DK" },
    reserved: "none",
    lots: [{ id: "LOT-0001", title: "Cleaning", cpv: ["90910000"] }],
    cpv: ["90910000"],
    requirements: {},
    firstSeen: now,
    lastChanged: now,
  };
}

/**
 * `POST /api/subscriptions/:id/test`: sends one message through the subscription's channel now,
 * marked `test`, with its latest alert (or a tender from the store, or a sample). It is not
 * stored as a delivery and not retried; its idempotency key is new every time (`test-…`), so a
 * receiver never takes it for a real alert. Sent even when the subscription is inactive.
 */
export async function sendTestAlert(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<{ idempotencyKey: string } & ChannelResult> {
  const stored = await visible(ctx, actor, id);
  const idempotencyKey = `test-${randomToken(12)}`;
  const alerts = ctx.alerts;
  if (!alerts)
    return { ok: false, retryable: false, error: "alert channels are not configured", idempotencyKey };
  const now = ctx.clock().toISOString();
  const [latest] = await ctx.store.alerts.recent(id, 1);
  const base: AlertItem = latest
    ? alertItemOf(latest, alerts.baseUrl)
    : await (async () => {
        const [tender = sampleTender(now)] = await ctx.store.tenders.page(undefined, 1);
        return {
          event: "tender.new" as const,
          tender,
          version: 1,
          idempotencyKey,
          occurredAt: now,
          link: tenderLink(alerts.baseUrl, tender.id),
        };
      })();
  const item: AlertItem = { ...base, idempotencyKey };
  const channel = alerts.channels[stored.subscription.channel.type];
  try {
    const result = await channel.send({
      subscription: stored.subscription,
      items: [item],
      idempotencyKey,
      unsubscribeUrl: unsubscribeUrl(alerts.baseUrl, stored.unsubscribeToken),
      deliveredAt: now,
      language: stored.subscription.language,
      test: true,
    });
    return { ...result, idempotencyKey };
  } catch (error) {
    return {
      ok: false,
      retryable: true,
      error: error instanceof Error ? error.message : String(error),
      idempotencyKey,
    };
  }
}

/** A new feed token for the subscription (the old one stops working); shown this once. */
export async function rotateFeedToken(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<{ feedToken: string }> {
  await visible(ctx, actor, id);
  const feedToken = randomToken();
  await ctx.store.subscriptions.setFeedTokenHash(id, await sha256Hex(feedToken));
  return { feedToken };
}

/** Turns the subscription's feeds off until a new token is made. */
export async function revokeFeedToken(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  await visible(ctx, actor, id);
  await ctx.store.subscriptions.setFeedTokenHash(id, null);
}

/**
 * The Atom and iCal feeds' content: the subscription's latest alerts (up to 100, newest first,
 * whatever their delivery status; one item per alert, so a tender can appear once per event),
 * for a feed token. NOT_FOUND for an unknown or revoked token. Links use the alert base URL
 * (relative without one).
 */
export async function feedItems(
  ctx: ServiceContext,
  token: string,
): Promise<{ subscription: Subscription; items: AlertItem[] }> {
  const stored = token ? await ctx.store.subscriptions.byFeedTokenHash(await sha256Hex(token)) : undefined;
  if (!stored) throw new AppError("NOT_FOUND", "no feed for this token (it may have been revoked)");
  const baseUrl = ctx.alerts?.baseUrl ?? "";
  const records = await ctx.store.alerts.recent(stored.subscription.id, FEED_ITEMS);
  return { subscription: stored.subscription, items: records.map((r) => alertItemOf(r, baseUrl)) };
}

/**
 * One-click unsubscribe (RFC 8058) from a message's link, without signing in: the subscription
 * becomes inactive and its pending deliveries end. Repeating it is harmless. NOT_FOUND for an
 * unknown token.
 */
export async function unsubscribeByToken(
  ctx: ServiceContext,
  token: string,
): Promise<{ subscriptionId: string; name: string; wasActive: boolean }> {
  const stored = token ? await ctx.store.subscriptions.byUnsubscribeToken(token) : undefined;
  if (!stored) throw new AppError("NOT_FOUND", "no subscription for this unsubscribe link");
  const wasActive = await ctx.store.subscriptions.deactivate(stored.subscription.id);
  return { subscriptionId: stored.subscription.id, name: stored.subscription.name, wasActive };
}
