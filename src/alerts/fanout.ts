import type { Subscription } from "../domain/subscription.js";
import { Tender } from "../domain/tender.js";
import type { ServiceContext } from "../services/context.js";
import { type TenderMatches, whatIf } from "../services/matching.service.js";
import type { PendingEvent, PlannedDelivery } from "../store/alerts.js";
import type { ConsortiumJoined } from "../store/schema.js";
import { matchesFilters } from "./matcher.js";
import { deliveryKey, firstDueAt } from "./schedule.js";

/**
 * The fan-out of outbox events to `profile` and `group-opportunities` subscriptions. The
 * matching engine decides those (it reads the search index), so they are planned by the delivery
 * job rather than inside the tender write: per event, in one transaction, the deliveries
 * (insert-or-ignore by idempotency key) and the event marked expanded. A crash in between plans
 * the event again, and the keys make that harmless.
 *
 * `profile`: the subscription's enterprise can bid alone (for all lots or some) or is a member
 * of a suggested consortium, and the tender passes the subscription's filters.
 * `group-opportunities`: on `tender.new` and `tender.changed`, each suggested consortium of two
 * or more with the enterprise in it (the best `MAX_GROUPS_PER_EVENT`); the delivery's event is
 * `consortium.opportunity`, keyed by the sorted member ids, so the same group is alerted once
 * however often the tender changes, and a new group ("newly feasible") is alerted anew.
 */

export const MAX_GROUPS_PER_EVENT = 3;
const EVENT_PAGE = 50;
const GROUP_EVENTS: ReadonlySet<string> = new Set(["tender.new", "tender.changed"]);

export interface FanOutSummary {
  events: number;
  planned: number;
  failed: number;
}

/** Plans the profile and group deliveries of every unexpanded event. Never throws for one event. */
export async function expandEvents(
  ctx: ServiceContext,
  options: { maxEvents?: number } = {},
): Promise<FanOutSummary> {
  const maxEvents = options.maxEvents ?? 1_000;
  const subs = await ctx.store.subscriptions.active(["profile", "group-opportunities"]);
  const summary: FanOutSummary = { events: 0, planned: 0, failed: 0 };
  let after = 0;
  while (summary.events + summary.failed < maxEvents) {
    const events = await ctx.store.alerts.unexpanded(after, EVENT_PAGE);
    const last = events[events.length - 1];
    if (!last) break;
    after = last.id;
    if (subs.length === 0) {
      summary.events += await ctx.store.alerts.expandAllUpTo(last.id);
      continue;
    }
    for (const event of events) {
      try {
        const planned = await planEvent(ctx, event, subs);
        await ctx.store.alerts.expand(event.id, planned);
        summary.events++;
        summary.planned += planned.length;
      } catch (error) {
        summary.failed++;
        ctx.logger.warn("could not plan the alerts of an event; the next run tries again", {
          event: event.id,
          tender: event.tenderId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  return summary;
}

/** The profile and group deliveries one event causes. */
export async function planEvent(
  ctx: ServiceContext,
  event: PendingEvent,
  subs: readonly Subscription[],
): Promise<PlannedDelivery[]> {
  if (event.event === "consortium.opportunity") return [];
  const tender = Tender.parse(event.payload.tender);
  const relevant = subs.filter(
    (s) =>
      s.enterpriseId !== undefined &&
      (s.kind === "profile" || (s.kind === "group-opportunities" && GROUP_EVENTS.has(event.event))) &&
      matchesFilters(s.filters, tender),
  );
  if (relevant.length === 0) return [];
  const m: TenderMatches = await whatIf(ctx, { tender });
  const now = ctx.clock();
  const planned: PlannedDelivery[] = [];
  for (const sub of relevant) {
    const enterpriseId = sub.enterpriseId ?? "";
    const nextAttemptAt = firstDueAt(sub, now).toISOString();
    if (sub.kind === "profile") {
      const fits =
        m.singles.some((s) => s.id === enterpriseId) ||
        m.lotSingles.some((l) => l.members.includes(enterpriseId)) ||
        m.consortia.some((c) => c.members.includes(enterpriseId));
      if (!fits) continue;
      planned.push({
        subscriptionId: sub.id,
        event: event.event,
        idempotencyKey: await deliveryKey(sub.id, event.tenderId, event.event, event.version),
        nextAttemptAt,
      });
      continue;
    }
    const groups = m.consortia
      .filter((c) => c.members.length >= 2 && c.members.includes(enterpriseId))
      .slice(0, MAX_GROUPS_PER_EVENT);
    for (const group of groups) planned.push(await groupDelivery(sub, event.tenderId, group, m, now));
  }
  return planned;
}

/**
 * The `consortium.opportunity` delivery of one suggested group to a group subscription, from a
 * tender event or an enterprise event (`joined`: who made it possible). The key names the sorted
 * members instead of a version, so one group is alerted once.
 */
export async function groupDelivery(
  sub: Subscription,
  tenderId: string,
  group: Pick<TenderMatches["consortia"][number], "members" | "lots">,
  m: Pick<TenderMatches, "enterprises">,
  now: Date,
  joined?: ConsortiumJoined,
): Promise<PlannedDelivery> {
  const members = [...group.members].sort();
  return {
    subscriptionId: sub.id,
    event: "consortium.opportunity",
    idempotencyKey: await deliveryKey(sub.id, tenderId, "consortium.opportunity", members),
    nextAttemptAt: firstDueAt(sub, now).toISOString(),
    payload: {
      consortium: {
        members: members.map((id) => ({ id, name: m.enterprises[id]?.name ?? id })),
        lots: group.lots,
        ...(joined ? { joined } : {}),
      },
    },
  };
}
