import { randomToken } from "../domain/hash.js";
import type { Subscription } from "../domain/subscription.js";
import type { ServiceContext } from "../services/context.js";
import type { DeliveryRecord, StoredSubscription } from "../store/alerts.js";
import type { ChannelResult, OutgoingAlert } from "./channel.port.js";
import { type EnterpriseFanOutSummary, expandEnterpriseEvents } from "./enterprise-fanout.js";
import { type FanOutSummary, expandEvents } from "./fanout.js";
import { alertItemOf, unsubscribeUrl } from "./items.js";
import { afterFailure, digestKey } from "./schedule.js";

/**
 * The delivery run (`alerts:deliver`): plans the profile and group deliveries of new tender
 * events (fanout.ts) and the group deliveries of new enterprise events (enterprise-fanout.ts),
 * then sends what is due, batch by batch.
 *
 * A batch is claimed atomically with a lease (one UPDATE: pending, due, and not leased by a run
 * whose lease is still running), so two runs never send the same delivery while a lease holds.
 * Claimed deliveries become messages: one per delivery for an instant subscription, one digest
 * per daily subscription with all its due items. After the channel answers, the deliveries are
 * marked sent, or retried (30 s doubling up to 1 h, jittered) until 24 h after their first
 * attempt, then dead; a non-retryable answer is dead at once. A crash between sending and
 * marking leaves the deliveries leased: once the lease is over the next run sends them again,
 * with the same idempotency keys (at least once).
 */

export const DEFAULT_BATCH_SIZE = 20;
/** Longer than a batch of sends can take (20 webhooks at a 10 s timeout). */
export const DEFAULT_LEASE_MS = 10 * 60_000;
/** No message is started closer than this (or a quarter of a short lease) to the end of the lease. */
const LEASE_MARGIN_MS = 30_000;
/** A run stops claiming after this long; the next run (a minute later) goes on. */
const DEFAULT_MAX_RUN_MS = 45_000;
/** The claim of a daily subscription's remaining due items (the rest of its digest). */
const DIGEST_MAX_ITEMS = 500;

export interface DeliverOptions {
  batchSize?: number;
  leaseMs?: number;
  maxRunMs?: number;
  random?: () => number;
}

export interface DeliverySummary {
  at: string;
  fanOut: FanOutSummary;
  /** The group alerts of enterprises that registered or changed what matching reads. */
  enterpriseFanOut: EnterpriseFanOutSummary;
  /** False when the context has no alert channels: deliveries are planned, nothing is sent. */
  channels: boolean;
  claimed: number;
  messages: number;
  sent: number;
  retried: number;
  dead: number;
  note?: string;
}

interface Message {
  stored: StoredSubscription;
  records: DeliveryRecord[];
}

export async function deliverAlerts(
  ctx: ServiceContext,
  now: Date,
  options: DeliverOptions = {},
): Promise<DeliverySummary> {
  const fanOut = await expandEvents(ctx);
  const enterpriseFanOut = await expandEnterpriseEvents(ctx);
  const summary: DeliverySummary = {
    at: now.toISOString(),
    fanOut,
    enterpriseFanOut,
    channels: ctx.alerts !== undefined,
    claimed: 0,
    messages: 0,
    sent: 0,
    retried: 0,
    dead: 0,
  };
  const alerts = ctx.alerts;
  if (!alerts) {
    summary.note = "no alert channels configured: deliveries are planned but nothing was sent";
    return summary;
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxRunMs = options.maxRunMs ?? DEFAULT_MAX_RUN_MS;
  const owner = `run-${randomToken(12)}`;
  const started = Date.now();
  const subscriptions = new Map<string, StoredSubscription | undefined>();
  const subscriptionOf = async (id: string) => {
    if (!subscriptions.has(id)) subscriptions.set(id, await ctx.store.subscriptions.get(id));
    return subscriptions.get(id);
  };

  try {
    while (Date.now() - started < maxRunMs) {
      const claimedAt = ctx.clock();
      const leaseUntil = new Date(claimedAt.getTime() + leaseMs);
      const claim = { owner, now: claimedAt.toISOString(), leaseUntil: leaseUntil.toISOString() };
      let records = await ctx.store.alerts.claim({ ...claim, limit: batchSize });
      if (records.length === 0) break;
      // A digest takes every due item of its subscription, not only those in this batch.
      const daily = new Set<string>();
      for (const r of records) {
        const s = await subscriptionOf(r.subscriptionId);
        if (s?.subscription.frequency === "daily") daily.add(r.subscriptionId);
      }
      for (const id of daily) {
        await ctx.store.alerts.claim({ ...claim, limit: DIGEST_MAX_ITEMS, subscriptionId: id });
      }
      if (daily.size > 0) records = await ctx.store.alerts.held(owner);
      summary.claimed += records.length;

      const { messages, orphans } = await group(records, subscriptionOf);
      if (orphans.length > 0) {
        await ctx.store.alerts.markDead(orphans, owner, "the subscription is inactive or gone");
        summary.dead += orphans.length;
      }
      for (const message of messages) {
        if (ctx.clock().getTime() > leaseUntil.getTime() - Math.min(LEASE_MARGIN_MS, leaseMs / 4)) break;
        await send(ctx, alerts, message, owner, summary, options.random);
      }
      // Whatever this batch did not get to (the lease ran short) goes back for the next run.
      await ctx.store.alerts.release(owner);
    }
  } finally {
    await ctx.store.alerts.release(owner).catch(() => undefined);
  }
  return summary;
}

async function group(
  records: readonly DeliveryRecord[],
  subscriptionOf: (id: string) => Promise<StoredSubscription | undefined>,
): Promise<{ messages: Message[]; orphans: number[] }> {
  const messages: Message[] = [];
  const digests = new Map<string, Message>();
  const orphans: number[] = [];
  for (const record of records) {
    const stored = await subscriptionOf(record.subscriptionId);
    if (!stored || !stored.subscription.active) {
      orphans.push(record.id);
      continue;
    }
    if (stored.subscription.frequency !== "daily") {
      messages.push({ stored, records: [record] });
      continue;
    }
    const digest = digests.get(record.subscriptionId);
    if (digest) digest.records.push(record);
    else {
      const message = { stored, records: [record] };
      digests.set(record.subscriptionId, message);
      messages.push(message);
    }
  }
  return { messages, orphans };
}

/** The message of a subscription's items, as the channel gets it. */
export async function outgoingAlert(
  subscription: Subscription,
  unsubscribeToken: string,
  records: readonly DeliveryRecord[],
  baseUrl: string,
  at: Date,
): Promise<OutgoingAlert> {
  const items = records.map((r) => alertItemOf(r, baseUrl));
  const first = items[0];
  const idempotencyKey =
    items.length === 1 && first ? first.idempotencyKey : await digestKey(items.map((i) => i.idempotencyKey));
  return {
    subscription,
    items,
    idempotencyKey,
    unsubscribeUrl: unsubscribeUrl(baseUrl, unsubscribeToken),
    deliveredAt: at.toISOString(),
    language: subscription.language,
  };
}

async function send(
  ctx: ServiceContext,
  alerts: NonNullable<ServiceContext["alerts"]>,
  message: Message,
  owner: string,
  summary: DeliverySummary,
  random: (() => number) | undefined,
): Promise<void> {
  const { subscription, unsubscribeToken } = message.stored;
  const alert = await outgoingAlert(
    subscription,
    unsubscribeToken,
    message.records,
    alerts.baseUrl,
    ctx.clock(),
  );
  const channel = alerts.channels[subscription.channel.type];
  let result: ChannelResult;
  try {
    result = await channel.send(alert);
  } catch (error) {
    result = { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
  }
  summary.messages++;
  const done = ctx.clock();
  const ids = message.records.map((r) => r.id);
  if (result.ok) {
    summary.sent += await ctx.store.alerts.markSent(ids, owner, done.toISOString());
    return;
  }
  const error = result.error;
  const failures = message.records.map((r) => {
    const firstAttemptAt = r.firstAttemptAt ?? alert.deliveredAt;
    const next = afterFailure({
      now: done,
      firstAttemptAt: new Date(firstAttemptAt),
      attempts: r.attempts + 1,
      retryable: result.ok ? false : result.retryable,
      ...(random ? { random } : {}),
    });
    if ("dead" in next) summary.dead++;
    else summary.retried++;
    return {
      id: r.id,
      firstAttemptAt,
      error,
      ...("retryAt" in next ? { retryAt: next.retryAt.toISOString() } : {}),
    };
  });
  await ctx.store.alerts.markFailed(failures, owner);
  ctx.logger.warn("alert not delivered", {
    subscription: subscription.id,
    channel: subscription.channel.type,
    error,
    retryable: result.retryable,
  });
}
