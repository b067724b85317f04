import type { Enterprise } from "../domain/enterprise.js";
import { enterpriseCovers } from "../domain/matching/index.js";
import type { Subscription } from "../domain/subscription.js";
import type { ServiceContext } from "../services/context.js";
import {
  MAX_OPPORTUNITY_TENDERS,
  tenderMatchesWith,
  tendersWithWorkFor,
} from "../services/matching.service.js";
import type { PendingEnterpriseEvent, PlannedDelivery, PlannedOpportunity } from "../store/alerts.js";
import type { ConsortiumJoined } from "../store/schema.js";
import { MAX_GROUPS_PER_EVENT, groupDelivery } from "./fanout.js";
import { matchesFilters } from "./matcher.js";

/**
 * The fan-out of enterprise events to `group-opportunities` subscriptions: a consortium becomes
 * newly feasible not only when a tender appears or changes (fanout.ts) but also when an
 * enterprise registers or changes what matching reads (`MATCHING_FIELDS`). The enterprise write
 * records an `enterprise_events` row in its own transaction; the delivery job plans it here.
 *
 * Per event: the planned and open tenders with a code the enterprise covers (from the index, at
 * most `MAX_TENDERS_PER_ENTERPRISE_EVENT`, logged when cut), each matched over the index's
 * candidates with the enterprise as the store has it now; every active group subscription
 * whose tender filters pass and whose enterprise is in a suggested consortium of two or more
 * that also holds the changed enterprise gets a `consortium.opportunity` delivery (its best
 * `MAX_GROUPS_PER_EVENT` such groups per tender). Keys are those of the tender path
 * (subscription, tender, sorted members), so a group already alerted from a tender event is not
 * alerted again, nor one whose alert was pruned (`alert_pruned_keys`). All of one event goes in
 * one transaction with the event marked expanded (AlertRepository.expandEnterpriseEvent); a
 * crash in between plans the event again, and the keys make that harmless.
 */

export const MAX_TENDERS_PER_ENTERPRISE_EVENT = MAX_OPPORTUNITY_TENDERS;
const EVENT_PAGE = 50;
/** Per run, like the tender events' fan-out; an event is up to 200 matchings. */
const DEFAULT_MAX_EVENTS = 200;

export interface EnterpriseFanOutSummary {
  events: number;
  planned: number;
  failed: number;
  /** Events whose tenders were cut at MAX_TENDERS_PER_ENTERPRISE_EVENT. */
  truncated: number;
}

/** The active group subscriptions, with their enterprises as stored (read once per run). */
export interface GroupSubscribers {
  subscriptions: readonly (Subscription & { enterpriseId: string })[];
  enterprises: ReadonlyMap<string, Enterprise>;
}

async function groupSubscribers(ctx: ServiceContext): Promise<GroupSubscribers> {
  const subscriptions = (await ctx.store.subscriptions.active(["group-opportunities"])).flatMap((s) =>
    s.enterpriseId === undefined ? [] : [{ ...s, enterpriseId: s.enterpriseId }],
  );
  const ids = [...new Set(subscriptions.map((s) => s.enterpriseId))];
  const enterprises = new Map<string, Enterprise>();
  for (let i = 0; i < ids.length; i += 80) {
    for (const e of await ctx.store.enterprises.getMany(ids.slice(i, i + 80))) enterprises.set(e.id, e);
  }
  return { subscriptions, enterprises };
}

/** Plans the group deliveries of every unexpanded enterprise event. Never throws for one event. */
export async function expandEnterpriseEvents(
  ctx: ServiceContext,
  options: { maxEvents?: number } = {},
): Promise<EnterpriseFanOutSummary> {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const summary: EnterpriseFanOutSummary = { events: 0, planned: 0, failed: 0, truncated: 0 };
  let subscribers: GroupSubscribers | undefined;
  let after = 0;
  while (summary.events + summary.failed < maxEvents) {
    const events = await ctx.store.alerts.unexpandedEnterpriseEvents(after, EVENT_PAGE);
    const last = events[events.length - 1];
    if (!last) break;
    after = last.id;
    subscribers ??= await groupSubscribers(ctx);
    if (subscribers.subscriptions.length === 0) {
      summary.events += await ctx.store.alerts.expandAllEnterpriseEventsUpTo(last.id);
      continue;
    }
    for (const event of events) {
      if (summary.events + summary.failed >= maxEvents) break;
      try {
        const plan = await planEnterpriseEvent(ctx, event, subscribers);
        await ctx.store.alerts.expandEnterpriseEvent(event.id, plan.opportunities);
        summary.events++;
        summary.planned += plan.opportunities.reduce((n, o) => n + o.deliveries.length, 0);
        if (plan.truncated) summary.truncated++;
      } catch (error) {
        summary.failed++;
        ctx.logger.warn("could not plan the group alerts of an enterprise event; the next run tries again", {
          event: event.id,
          enterprise: event.enterpriseId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  return summary;
}

/** The group deliveries one enterprise event causes, by tender. */
export async function planEnterpriseEvent(
  ctx: ServiceContext,
  event: PendingEnterpriseEvent,
  subscribers: GroupSubscribers,
): Promise<{ opportunities: PlannedOpportunity[]; truncated: boolean }> {
  const found = await ctx.store.enterprises.get(event.enterpriseId);
  if (!found) return { opportunities: [], truncated: false };
  const enterprise = found.enterprise;
  // A later change of the same enterprise has its own event; this one plans with the enterprise
  // as it is now (what is feasible now is what a subscriber can act on).
  const work = await tendersWithWorkFor(ctx, enterprise, { limit: MAX_TENDERS_PER_ENTERPRISE_EVENT });
  if (work.truncated) {
    ctx.logger.info("an enterprise event reaches more tenders than are matched; the rest are not alerted", {
      event: event.id,
      enterprise: enterprise.id,
      tenders: work.total,
      matched: MAX_TENDERS_PER_ENTERPRISE_EVENT,
    });
  }
  const joined: ConsortiumJoined = {
    id: enterprise.id,
    name: enterprise.name,
    reason: event.event === "enterprise.new" ? "registered" : "updated",
  };
  const now = ctx.clock();
  const opportunities: PlannedOpportunity[] = [];
  for (const { tender, version } of work.tenders) {
    const codes = [...tender.cpv, ...tender.lots.flatMap((l) => l.cpv)];
    // Only subscribers who could be in a group here: a candidate covers one of the codes.
    const relevant = subscribers.subscriptions.filter((s) => {
      const own = s.enterpriseId === enterprise.id ? enterprise : subscribers.enterprises.get(s.enterpriseId);
      return (
        own !== undefined &&
        codes.some((code) => enterpriseCovers(own, code)) &&
        matchesFilters(s.filters, tender)
      );
    });
    if (relevant.length === 0) continue;
    const m = await tenderMatchesWith(ctx, tender, [enterprise]);
    const withIt = m.consortia.filter((c) => c.members.length >= 2 && c.members.includes(enterprise.id));
    if (withIt.length === 0) continue;
    const deliveries: PlannedDelivery[] = [];
    for (const sub of relevant) {
      const groups = withIt
        .filter((c) => c.members.includes(sub.enterpriseId))
        .slice(0, MAX_GROUPS_PER_EVENT);
      for (const group of groups) deliveries.push(await groupDelivery(sub, tender.id, group, m, now, joined));
    }
    if (deliveries.length > 0) opportunities.push({ tender, version, deliveries });
  }
  return { opportunities, truncated: work.truncated };
}
