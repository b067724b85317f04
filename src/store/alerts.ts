import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type CompiledMatcher, compileSubscriptions } from "../alerts/matcher.js";
import { deliveryKey, enterpriseEventKey, eventKey, firstDueAt } from "../alerts/schedule.js";
import type { Enterprise, EnterpriseEvent } from "../domain/enterprise.js";
import { AppError } from "../domain/errors.js";
import {
  type AlertEvent,
  type DeliveryStatus,
  FINISHED_DELIVERY_STATUSES,
  MATERIAL_FIELDS,
  Subscription,
  type SubscriptionKind,
} from "../domain/subscription.js";
import { Tender } from "../domain/tender.js";
import { stableStringify } from "../domain/json.js";
import * as schema from "./schema.js";
import type { AlertDeliveryPayload, AlertEventPayload, TenderChange } from "./schema.js";
import type { Clock, Db } from "./store.js";
import { inOneTransaction } from "./writes.js";

/**
 * Subscriptions and the alert outbox.
 *
 * Events (`alert_events`) are written by the tender writes themselves (TenderRepository,
 * LinkRepository), in the same batch as the change and guarded by the tender's new version and
 * content hash, so that a write that loses a race (or rolls back) writes no event. The
 * deliveries of `filters` subscriptions are planned in that same batch from a compiled matcher
 * cached here; `profile` and `group-opportunities` deliveries are planned later by the delivery
 * job (`expand`), one transaction per event. A delivery's idempotency key is unique: planning
 * the same alert twice writes it once, and a key in `alert_pruned_keys` (a pruned group alert)
 * is not planned again. `prune` deletes old events whose deliveries are all finished.
 */

const SUBSCRIPTIONS_REVISION = "subscriptions";
/** D1 binds at most 100 parameters per statement: id lists are cut to this. */
const ID_CHUNK = 80;

function bumpSubscriptions(db: Db) {
  return db
    .insert(schema.meta)
    .values({ key: SUBSCRIPTIONS_REVISION, value: 1 })
    .onConflictDoUpdate({ target: schema.meta.key, set: { value: sql`${schema.meta.value} + 1` } });
}

function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The compiled matcher of the active `filters` subscriptions, with the subscriptions by id. */
export interface FilterMatcher {
  matcher: CompiledMatcher;
  subscriptions: ReadonlyMap<string, Subscription>;
}

/**
 * Keeps the compiled matcher of the active `filters` subscriptions between tender writes. It is
 * rebuilt when this Store changed a subscription, or when the `subscriptions` revision in the
 * meta table moved (another process or isolate changed one); the revision is read at most once
 * per `staleAfterMs`, so a subscription created elsewhere takes effect within that time.
 */
export class FilterMatcherCache {
  private loaded: (FilterMatcher & { revision: number; checkedAt: number }) | undefined;

  constructor(
    private readonly db: Db,
    private readonly staleAfterMs = 1_000,
  ) {}

  /** This process changed a subscription: rebuild at the next write. */
  invalidate(): void {
    this.loaded = undefined;
  }

  async get(): Promise<FilterMatcher> {
    const now = Date.now();
    const loaded = this.loaded;
    if (loaded && now - loaded.checkedAt < this.staleAfterMs) return loaded;
    const revision = await this.revision();
    if (loaded && loaded.revision === revision) {
      loaded.checkedAt = now;
      return loaded;
    }
    const rows = await this.db
      .select({ data: schema.subscriptions.data })
      .from(schema.subscriptions)
      .where(and(eq(schema.subscriptions.active, true), eq(schema.subscriptions.kind, "filters")));
    const subs = rows.map((r) => Subscription.parse(r.data));
    const next = {
      matcher: compileSubscriptions(subs),
      subscriptions: new Map(subs.map((s) => [s.id, s])),
      revision,
      checkedAt: now,
    };
    this.loaded = next;
    return next;
  }

  private async revision(): Promise<number> {
    const rows = await this.db
      .select({ value: schema.meta.value })
      .from(schema.meta)
      .where(eq(schema.meta.key, SUBSCRIPTIONS_REVISION));
    return rows[0]?.value ?? 0;
  }
}

/** A subscription as stored: with its version and whether it has a feed token. */
export interface StoredSubscription {
  subscription: Subscription;
  version: number;
  feed: boolean;
  unsubscribeToken: string;
}

function storedOf(row: typeof schema.subscriptions.$inferSelect): StoredSubscription {
  return {
    subscription: Subscription.parse({ ...row.data, active: row.active }),
    version: row.version,
    feed: row.feedTokenHash !== null,
    unsubscribeToken: row.unsubscribeToken,
  };
}

export class SubscriptionRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly cache: FilterMatcherCache,
  ) {}

  /**
   * Stores a new subscription. `feedTokenHash` is the SHA-256 of its feed token (the caller
   * shows the token once); `unsubscribeToken` goes into its messages' unsubscribe links.
   */
  async create(
    subscription: Subscription,
    tokens: { feedTokenHash: string | null; unsubscribeToken: string },
  ): Promise<StoredSubscription> {
    const valid = Subscription.parse(subscription);
    await inOneTransaction(this.db, [
      this.db.insert(schema.subscriptions).values({
        id: valid.id,
        accountId: valid.accountId,
        kind: valid.kind,
        active: valid.active,
        data: valid,
        feedTokenHash: tokens.feedTokenHash,
        unsubscribeToken: tokens.unsubscribeToken,
        version: 1,
        createdAt: valid.createdAt,
        updatedAt: valid.updatedAt,
      }),
      bumpSubscriptions(this.db),
    ]);
    this.cache.invalidate();
    return {
      subscription: valid,
      version: 1,
      feed: tokens.feedTokenHash !== null,
      unsubscribeToken: tokens.unsubscribeToken,
    };
  }

  async get(id: string): Promise<StoredSubscription | undefined> {
    const rows = await this.db.select().from(schema.subscriptions).where(eq(schema.subscriptions.id, id));
    return rows[0] ? storedOf(rows[0]) : undefined;
  }

  /** An account's subscriptions, oldest first. */
  async byAccount(accountId: string): Promise<StoredSubscription[]> {
    const rows = await this.db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.accountId, accountId))
      .orderBy(schema.subscriptions.createdAt, schema.subscriptions.id);
    return rows.map(storedOf);
  }

  async countByAccount(accountId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.accountId, accountId));
    return Number(row?.n ?? 0);
  }

  /** Every subscription, oldest first. */
  async list(): Promise<StoredSubscription[]> {
    const rows = await this.db
      .select()
      .from(schema.subscriptions)
      .orderBy(schema.subscriptions.createdAt, schema.subscriptions.id);
    return rows.map(storedOf);
  }

  /** The active subscriptions of some kinds. */
  async active(kinds: readonly SubscriptionKind[]): Promise<Subscription[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(schema.subscriptions)
      .where(and(eq(schema.subscriptions.active, true), inArray(schema.subscriptions.kind, [...kinds])));
    return rows.map((r) => storedOf(r).subscription);
  }

  /**
   * Replaces a subscription if it is still at `version`; CONFLICT otherwise. Deactivating it
   * ends its pending deliveries (they become dead letters marked "unsubscribed") in the same
   * transaction.
   */
  async update(next: Subscription, version: number): Promise<StoredSubscription> {
    const valid = Subscription.parse(next);
    const [updated] = await this.db.batch([
      this.db
        .update(schema.subscriptions)
        .set({
          kind: valid.kind,
          active: valid.active,
          data: valid,
          version: version + 1,
          updatedAt: valid.updatedAt,
        })
        .where(and(eq(schema.subscriptions.id, valid.id), eq(schema.subscriptions.version, version)))
        .returning(),
      ...(valid.active ? [] : [this.endPending(valid.id, "unsubscribed")]),
      bumpSubscriptions(this.db),
    ] as const);
    this.cache.invalidate();
    const row = updated[0];
    if (!row) {
      throw new AppError(
        "CONFLICT",
        `subscription ${valid.id} was changed by someone else; reload and try again`,
      );
    }
    return storedOf(row);
  }

  /** Turns a subscription off (unsubscribe); false when it was off already or is unknown. */
  async deactivate(id: string): Promise<boolean> {
    const current = await this.get(id);
    if (!current || !current.subscription.active) return false;
    const now = this.clock().toISOString();
    const [updated] = await this.db.batch([
      this.db
        .update(schema.subscriptions)
        .set({
          active: false,
          data: { ...current.subscription, active: false, updatedAt: now },
          version: sql`${schema.subscriptions.version} + 1`,
          updatedAt: now,
        })
        .where(and(eq(schema.subscriptions.id, id), eq(schema.subscriptions.active, true)))
        .returning({ id: schema.subscriptions.id }),
      this.endPending(id, "unsubscribed"),
      bumpSubscriptions(this.db),
    ] as const);
    this.cache.invalidate();
    return updated.length > 0;
  }

  /** Deletes a subscription and its deliveries; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const [, deleted] = await this.db.batch([
      this.db.delete(schema.alertDeliveries).where(eq(schema.alertDeliveries.subscriptionId, id)),
      this.db
        .delete(schema.subscriptions)
        .where(eq(schema.subscriptions.id, id))
        .returning({ id: schema.subscriptions.id }),
      bumpSubscriptions(this.db),
    ] as const);
    this.cache.invalidate();
    return deleted.length > 0;
  }

  /** Sets (rotate) or clears (revoke) the feed token's hash; false when the subscription is unknown. */
  async setFeedTokenHash(id: string, hash: string | null): Promise<boolean> {
    const rows = await this.db
      .update(schema.subscriptions)
      .set({ feedTokenHash: hash, updatedAt: this.clock().toISOString() })
      .where(eq(schema.subscriptions.id, id))
      .returning({ id: schema.subscriptions.id });
    return rows.length > 0;
  }

  async byFeedTokenHash(hash: string): Promise<StoredSubscription | undefined> {
    const rows = await this.db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.feedTokenHash, hash));
    return rows[0] ? storedOf(rows[0]) : undefined;
  }

  async byUnsubscribeToken(token: string): Promise<StoredSubscription | undefined> {
    const rows = await this.db
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.unsubscribeToken, token));
    return rows[0] ? storedOf(rows[0]) : undefined;
  }

  /** Pending deliveries of a subscription become dead letters, if the subscription is inactive by then. */
  private endPending(id: string, reason: string) {
    return this.db
      .update(schema.alertDeliveries)
      .set({ status: "dead", lastError: reason, leaseUntil: null, leaseOwner: null })
      .where(
        and(
          eq(schema.alertDeliveries.subscriptionId, id),
          eq(schema.alertDeliveries.status, "pending"),
          sql`EXISTS (SELECT 1 FROM subscriptions WHERE id = ${id} AND active = 0)`,
        ),
      );
  }
}

/** A tender change that may alert: what the outbox is told by a tender write. */
export interface OutboxChange {
  tender: Tender;
  version: number;
  contentHash: string;
  event: Exclude<AlertEvent, "consortium.opportunity">;
  /** The tender before the change: a subscription it matched hears of the change too. */
  previous?: Tender;
  changes?: TenderChange[];
  publishedAs?: { id: string; title: string };
  /** A further condition the event row needs (the link event: the link is new). */
  guard?: SQL;
}

/** The event a tender write causes, if any: new, withdrawn, or a material change. */
export function eventOfChange(
  before: Tender | undefined,
  after: Tender,
): { event: OutboxChange["event"]; changes?: TenderChange[] } | undefined {
  if (!before) return { event: "tender.new" };
  const changes: TenderChange[] = [];
  for (const field of MATERIAL_FIELDS) {
    const a = (before as Record<string, unknown>)[field];
    const b = (after as Record<string, unknown>)[field];
    if (stableStringify(a ?? null) !== stableStringify(b ?? null))
      changes.push({ field, from: a ?? null, to: b ?? null });
  }
  if (changes.length === 0) return undefined;
  if (after.stage === "withdrawn" && before.stage !== "withdrawn")
    return { event: "tender.withdrawn", changes };
  return { event: "tender.changed", changes };
}

/** A delivery with its event: everything needed to build the AlertItem. */
export interface DeliveryRecord {
  id: number;
  subscriptionId: string;
  eventId: number;
  tenderId: string;
  event: AlertEvent;
  version: number;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  firstAttemptAt?: string;
  lastError?: string;
  createdAt: string;
  sentAt?: string;
  leaseUntil?: string;
  occurredAt: string;
  tender: Tender;
  changes?: TenderChange[];
  publishedAs?: { id: string; title: string };
  consortium?: AlertDeliveryPayload["consortium"];
}

/** A delivery as its owner lists it: the tender by id and title, no snapshot. */
export type DeliveryView = Omit<
  DeliveryRecord,
  "tender" | "eventId" | "leaseUntil" | "changes" | "publishedAs"
> & {
  tender: { id: string; title: string };
};

/** An unexpanded outbox event, for the fan-out to profile and group subscriptions. */
export interface PendingEvent {
  id: number;
  tenderId: string;
  version: number;
  event: AlertEvent;
  occurredAt: string;
  payload: AlertEventPayload;
}

/** What a retention prune removed. */
export interface PruneResult {
  events: number;
  deliveries: number;
  /** Planned enterprise events (their group alerts live on as deliveries of their own events). */
  enterpriseEvents: number;
  /** False when it stopped at `maxBatches` with more to delete (the next run goes on). */
  complete: boolean;
}

/** A delivery the fan-out plans. */
export interface PlannedDelivery {
  subscriptionId: string;
  event: AlertEvent;
  idempotencyKey: string;
  nextAttemptAt: string;
  payload?: AlertDeliveryPayload;
}

/** An enterprise change the outbox is told of by an enterprise write. */
export interface EnterpriseOutboxChange {
  enterprise: Enterprise;
  /** The enterprise's version after the write. */
  version: number;
  event: EnterpriseEvent;
  /** The matching fields that changed. */
  fields: readonly string[];
}

/** An unexpanded enterprise event, for the fan-out to group subscriptions. */
export interface PendingEnterpriseEvent {
  id: number;
  enterpriseId: string;
  version: number;
  event: EnterpriseEvent;
  occurredAt: string;
  fields: string[];
}

/**
 * The group alerts an enterprise event plans on one tender: the tender as it was read (kept in
 * a `consortium.opportunity` event row the deliveries refer to) and the deliveries.
 */
export interface PlannedOpportunity {
  tender: Tender;
  version: number;
  deliveries: PlannedDelivery[];
}

const deliveryColumns = {
  d: schema.alertDeliveries,
  occurredAt: schema.alertEvents.occurredAt,
  payload: schema.alertEvents.payload,
};

function recordOf(row: {
  d: typeof schema.alertDeliveries.$inferSelect;
  occurredAt: string;
  payload: AlertEventPayload;
}): DeliveryRecord {
  const { d, payload } = row;
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    eventId: d.eventId,
    tenderId: d.tenderId,
    event: d.event as AlertEvent,
    version: d.version,
    idempotencyKey: d.idempotencyKey,
    status: d.status as DeliveryStatus,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    ...(d.firstAttemptAt ? { firstAttemptAt: d.firstAttemptAt } : {}),
    ...(d.lastError ? { lastError: d.lastError } : {}),
    createdAt: d.createdAt,
    ...(d.sentAt ? { sentAt: d.sentAt } : {}),
    ...(d.leaseUntil ? { leaseUntil: d.leaseUntil } : {}),
    occurredAt: row.occurredAt,
    tender: Tender.parse(payload.tender),
    ...(payload.changes ? { changes: payload.changes } : {}),
    ...(payload.publishedAs ? { publishedAs: payload.publishedAs } : {}),
    ...(d.payload?.consortium ? { consortium: d.payload.consortium } : {}),
  };
}

/** The outbox: events, deliveries, claims. */
export class AlertRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly cache: FilterMatcherCache,
  ) {}

  /** The active `filters` subscriptions, compiled (cached between writes). */
  filterMatcher(): Promise<FilterMatcher> {
    return this.cache.get();
  }

  /**
   * The statements that record a tender change in the outbox, for the batch that writes the
   * change: the event (guarded: written only if the tender is at `version` with `contentHash`
   * once the batch's earlier statements ran, so a lost race writes nothing), and one delivery
   * for every active `filters` subscription the tender matches, after the change or before it
   * (insert-or-ignore by idempotency key, and only while the subscription is still active).
   */
  async outboxStatements(change: OutboxChange): Promise<BatchItem<"sqlite">[]> {
    const now = this.clock();
    const at = now.toISOString();
    const key = await eventKey(change.tender.id, change.event, change.version);
    const payload: AlertEventPayload = {
      tender: change.tender,
      ...(change.changes ? { changes: change.changes } : {}),
      ...(change.publishedAs ? { publishedAs: change.publishedAs } : {}),
    };
    // Insert-select with the columns in table order (drizzle's raw SQL select); a plain raw
    // statement cannot take part in a D1 batch.
    const statements: BatchItem<"sqlite">[] = [
      this.db
        .insert(schema.alertEvents)
        .select(
          sql`SELECT NULL, ${key}, id, version, ${change.event}, ${at}, ${JSON.stringify(payload)}, 0 FROM tenders
            WHERE id = ${change.tender.id} AND version = ${change.version} AND content_hash = ${change.contentHash}
            ${change.guard ? sql`AND ${change.guard}` : sql``}`,
        )
        .onConflictDoNothing({ target: schema.alertEvents.eventKey }),
    ];
    const { matcher, subscriptions } = await this.cache.get();
    // A subscription hears of a change if the tender matches it before or after: a planned item
    // someone follows with `stages: ["planned"]` still tells them it was withdrawn or published.
    const matched = matcher.size > 0 ? matcher(change.tender) : [];
    if (change.previous && matcher.size > 0) {
      const after = new Set(matched);
      for (const id of matcher(change.previous)) if (!after.has(id)) matched.push(id);
    }
    const planned: PlannedDelivery[] = [];
    for (const id of matched) {
      const sub = subscriptions.get(id);
      if (!sub) continue;
      planned.push({
        subscriptionId: id,
        event: change.event,
        idempotencyKey: await deliveryKey(id, change.tender.id, change.event, change.version),
        nextAttemptAt: firstDueAt(sub, now).toISOString(),
      });
    }
    if (planned.length > 0) statements.push(this.insertDeliveries(sql`e.event_key = ${key}`, planned, at));
    return statements;
  }

  /**
   * The statements that record an enterprise change in the outbox, for the batch that writes the
   * change: written only if the enterprise is at `version` with this `updatedAt` once the batch's
   * earlier statements ran, so a write that loses a race (or rolls back) writes no event.
   */
  async enterpriseOutboxStatements(change: EnterpriseOutboxChange): Promise<BatchItem<"sqlite">[]> {
    const at = this.clock().toISOString();
    const { enterprise, version, event } = change;
    const key = await enterpriseEventKey(enterprise.id, event, version);
    // id, event_key, enterprise_id, version, event, occurred_at, fields, expanded
    const statement: BatchItem<"sqlite"> = this.db
      .insert(schema.enterpriseEvents)
      .select(
        sql`SELECT NULL, ${key}, id, version, ${event}, ${at}, ${JSON.stringify(change.fields)}, 0 FROM enterprises
          WHERE id = ${enterprise.id} AND version = ${version} AND updated_at = ${enterprise.updatedAt}`,
      )
      .onConflictDoNothing({ target: schema.enterpriseEvents.eventKey });
    // In an array: a drizzle query is thenable, and an async function would run it on return.
    return [statement];
  }

  /**
   * One statement inserting deliveries for the event `eventWhere` selects: the rows travel as one
   * JSON parameter (D1 binds at most 100), subscriptions no longer active are left out, and a
   * key already planned is ignored. A row's `eventKey` is there as `$.x` for `eventWhere`.
   */
  private insertDeliveries(
    eventWhere: SQL,
    planned: readonly (PlannedDelivery & { eventKey?: string })[],
    at: string,
  ) {
    const rows = JSON.stringify(
      planned.map((p) => ({
        s: p.subscriptionId,
        e: p.event,
        k: p.idempotencyKey,
        n: p.nextAttemptAt,
        ...(p.payload ? { p: p.payload } : {}),
        ...(p.eventKey ? { x: p.eventKey } : {}),
      })),
    );
    return this.db
      .insert(schema.alertDeliveries)
      .select(
        // id, subscription_id, event_id, tender_id, event, version, idempotency_key, status,
        // attempts, next_attempt_at, first_attempt_at, lease_until, lease_owner, last_error,
        // created_at, sent_at, payload
        sql`SELECT NULL, s.id, e.id, e.tender_id, json_extract(j.value, '$.e'), e.version,
            json_extract(j.value, '$.k'), 'pending', 0, json_extract(j.value, '$.n'), NULL, NULL, NULL, NULL,
            ${at}, NULL, json_extract(j.value, '$.p')
          FROM json_each(${rows}) AS j
            JOIN subscriptions AS s ON s.id = json_extract(j.value, '$.s') AND s.active = 1
            JOIN alert_events AS e ON ${eventWhere}
          WHERE NOT EXISTS (SELECT 1 FROM alert_pruned_keys AS p WHERE p.idempotency_key = json_extract(j.value, '$.k'))`,
      )
      .onConflictDoNothing({ target: schema.alertDeliveries.idempotencyKey });
  }

  /** Events the fan-out has not planned yet, oldest first, after `afterId`. */
  async unexpanded(afterId: number, limit: number): Promise<PendingEvent[]> {
    const rows = await this.db
      .select()
      .from(schema.alertEvents)
      .where(and(eq(schema.alertEvents.expanded, false), sql`${schema.alertEvents.id} > ${afterId}`))
      .orderBy(schema.alertEvents.id)
      .limit(limit);
    return rows.map((r) => ({
      id: r.id,
      tenderId: r.tenderId,
      version: r.version,
      event: r.event as AlertEvent,
      occurredAt: r.occurredAt,
      payload: r.payload,
    }));
  }

  /** In one transaction: the event's planned deliveries (insert-or-ignore), and the event marked expanded. */
  async expand(eventId: number, planned: readonly PlannedDelivery[]): Promise<void> {
    const at = this.clock().toISOString();
    await inOneTransaction(this.db, [
      ...chunks(planned, 500).map((part) => this.insertDeliveries(sql`e.id = ${eventId}`, part, at)),
      this.db.update(schema.alertEvents).set({ expanded: true }).where(eq(schema.alertEvents.id, eventId)),
    ]);
  }

  /** Enterprise events the fan-out has not planned yet, oldest first, after `afterId`. */
  async unexpandedEnterpriseEvents(afterId: number, limit: number): Promise<PendingEnterpriseEvent[]> {
    const rows = await this.db
      .select()
      .from(schema.enterpriseEvents)
      .where(
        and(eq(schema.enterpriseEvents.expanded, false), sql`${schema.enterpriseEvents.id} > ${afterId}`),
      )
      .orderBy(schema.enterpriseEvents.id)
      .limit(limit);
    return rows.map((r) => ({
      id: r.id,
      enterpriseId: r.enterpriseId,
      version: r.version,
      event: r.event as EnterpriseEvent,
      occurredAt: r.occurredAt,
      fields: r.fields,
    }));
  }

  /**
   * In one transaction: for each tender, a `consortium.opportunity` event row with the tender as
   * read (one per tender and version, shared by every enterprise event that plans on it; written
   * only when one of its delivery keys is neither planned already nor pruned), the deliveries
   * (insert-or-ignore by idempotency key, pruned keys left out), and the enterprise event marked
   * expanded.
   */
  async expandEnterpriseEvent(eventId: number, opportunities: readonly PlannedOpportunity[]): Promise<void> {
    const at = this.clock().toISOString();
    const withKeys = await Promise.all(
      opportunities
        .filter((o) => o.deliveries.length > 0)
        .map(async (o) => ({ ...o, key: await eventKey(o.tender.id, "consortium.opportunity", o.version) })),
    );
    const statements: BatchItem<"sqlite">[] = [];
    // A handful of tenders per statement: each row carries a tender snapshot.
    for (const part of chunks(withKeys, 20)) {
      const rows = JSON.stringify(
        part.map((o) => ({
          k: o.key,
          t: o.tender.id,
          v: o.version,
          p: { tender: o.tender } satisfies AlertEventPayload,
          ks: o.deliveries.map((d) => d.idempotencyKey),
        })),
      );
      statements.push(
        this.db
          .insert(schema.alertEvents)
          .select(
            // id, event_key, tender_id, version, event, occurred_at, payload, expanded
            sql`SELECT NULL, json_extract(j.value, '$.k'), json_extract(j.value, '$.t'), json_extract(j.value, '$.v'),
                'consortium.opportunity', ${at}, json_extract(j.value, '$.p'), 1
              FROM json_each(${rows}) AS j
              WHERE EXISTS (SELECT 1 FROM json_each(j.value, '$.ks') AS k
                WHERE NOT EXISTS (SELECT 1 FROM alert_deliveries AS d WHERE d.idempotency_key = k.value)
                  AND NOT EXISTS (SELECT 1 FROM alert_pruned_keys AS p WHERE p.idempotency_key = k.value))`,
          )
          .onConflictDoNothing({ target: schema.alertEvents.eventKey }),
      );
    }
    const deliveries = withKeys.flatMap((o) => o.deliveries.map((d) => ({ ...d, eventKey: o.key })));
    for (const part of chunks(deliveries, 500)) {
      statements.push(this.insertDeliveries(sql`e.event_key = json_extract(j.value, '$.x')`, part, at));
    }
    statements.push(
      this.db
        .update(schema.enterpriseEvents)
        .set({ expanded: true })
        .where(eq(schema.enterpriseEvents.id, eventId)),
    );
    await inOneTransaction(this.db, statements);
  }

  /** Marks every enterprise event up to `lastId` expanded (nothing to plan: no group subscriptions). */
  async expandAllEnterpriseEventsUpTo(lastId: number): Promise<number> {
    const rows = await this.db
      .update(schema.enterpriseEvents)
      .set({ expanded: true })
      .where(
        and(eq(schema.enterpriseEvents.expanded, false), sql`${schema.enterpriseEvents.id} <= ${lastId}`),
      )
      .returning({ id: schema.enterpriseEvents.id });
    return rows.length;
  }

  /** Marks every event up to `lastId` expanded (nothing to plan: no profile or group subscriptions). */
  async expandAllUpTo(lastId: number): Promise<number> {
    const rows = await this.db
      .update(schema.alertEvents)
      .set({ expanded: true })
      .where(and(eq(schema.alertEvents.expanded, false), sql`${schema.alertEvents.id} <= ${lastId}`))
      .returning({ id: schema.alertEvents.id });
    return rows.length;
  }

  /**
   * Claims up to `limit` due pending deliveries for `owner` until `leaseUntil`, in one atomic
   * statement: a delivery another run holds (its lease not yet over) is not taken. With
   * `subscriptionId`, only that subscription's (the rest of a digest).
   */
  async claim(options: {
    owner: string;
    now: string;
    leaseUntil: string;
    limit: number;
    subscriptionId?: string;
  }): Promise<DeliveryRecord[]> {
    const { owner, now, leaseUntil, limit } = options;
    const only = options.subscriptionId ? sql`AND subscription_id = ${options.subscriptionId}` : sql``;
    await this.db.run(sql`UPDATE alert_deliveries SET lease_until = ${leaseUntil}, lease_owner = ${owner}
      WHERE id IN (
        SELECT id FROM alert_deliveries
        WHERE status = 'pending' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now}) ${only}
        ORDER BY next_attempt_at, id LIMIT ${limit})
      AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ${now})`);
    return this.held(owner);
  }

  /** The pending deliveries `owner` holds. */
  async held(owner: string): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .select(deliveryColumns)
      .from(schema.alertDeliveries)
      .innerJoin(schema.alertEvents, eq(schema.alertEvents.id, schema.alertDeliveries.eventId))
      .where(and(eq(schema.alertDeliveries.leaseOwner, owner), eq(schema.alertDeliveries.status, "pending")))
      .orderBy(schema.alertDeliveries.nextAttemptAt, schema.alertDeliveries.id);
    return rows.map(recordOf);
  }

  /** Marks deliveries `owner` holds as sent; returns how many it still held. */
  async markSent(ids: readonly number[], owner: string, at: string): Promise<number> {
    let n = 0;
    for (const part of chunks(ids)) {
      const rows = await this.db
        .update(schema.alertDeliveries)
        .set({
          status: "sent",
          sentAt: at,
          attempts: sql`${schema.alertDeliveries.attempts} + 1`,
          firstAttemptAt: sql`coalesce(${schema.alertDeliveries.firstAttemptAt}, ${at})`,
          leaseUntil: null,
          leaseOwner: null,
          lastError: null,
        })
        .where(and(inArray(schema.alertDeliveries.id, part), eq(schema.alertDeliveries.leaseOwner, owner)))
        .returning({ id: schema.alertDeliveries.id });
      n += rows.length;
    }
    return n;
  }

  /** Records failed attempts: each delivery retried at a time, or dead. */
  async markFailed(
    failures: readonly { id: number; retryAt?: string; firstAttemptAt: string; error: string }[],
    owner: string,
  ): Promise<void> {
    const statements = failures.map((f) =>
      this.db
        .update(schema.alertDeliveries)
        .set({
          status: f.retryAt ? "pending" : "dead",
          ...(f.retryAt ? { nextAttemptAt: f.retryAt } : {}),
          attempts: sql`${schema.alertDeliveries.attempts} + 1`,
          firstAttemptAt: f.firstAttemptAt,
          lastError: f.error.slice(0, 2_000),
          leaseUntil: null,
          leaseOwner: null,
        })
        .where(and(eq(schema.alertDeliveries.id, f.id), eq(schema.alertDeliveries.leaseOwner, owner))),
    );
    for (const part of chunks(statements, 200)) await inOneTransaction(this.db, part);
  }

  /** Ends deliveries without an attempt (their subscription is inactive or gone). */
  async markDead(ids: readonly number[], owner: string, reason: string): Promise<void> {
    for (const part of chunks(ids)) {
      await this.db
        .update(schema.alertDeliveries)
        .set({ status: "dead", lastError: reason, leaseUntil: null, leaseOwner: null })
        .where(and(inArray(schema.alertDeliveries.id, part), eq(schema.alertDeliveries.leaseOwner, owner)));
    }
  }

  /** Gives back what `owner` still holds (a run that stops early). */
  async release(owner: string): Promise<void> {
    await this.db
      .update(schema.alertDeliveries)
      .set({ leaseUntil: null, leaseOwner: null })
      .where(and(eq(schema.alertDeliveries.leaseOwner, owner), eq(schema.alertDeliveries.status, "pending")));
  }

  /** A subscription's deliveries, newest first, dead letters included. */
  async bySubscription(
    subscriptionId: string,
    page: { limit: number; offset: number; status?: DeliveryStatus },
  ): Promise<{ items: DeliveryView[]; total: number }> {
    const where = and(
      eq(schema.alertDeliveries.subscriptionId, subscriptionId),
      page.status ? eq(schema.alertDeliveries.status, page.status) : undefined,
    );
    const rows = await this.db
      .select(deliveryColumns)
      .from(schema.alertDeliveries)
      .innerJoin(schema.alertEvents, eq(schema.alertEvents.id, schema.alertDeliveries.eventId))
      .where(where)
      .orderBy(desc(schema.alertDeliveries.id))
      .limit(page.limit)
      .offset(page.offset);
    const [total] = await this.db.select({ n: count() }).from(schema.alertDeliveries).where(where);
    return {
      items: rows.map((row) => {
        const { tender, eventId: _e, leaseUntil: _l, changes: _c, publishedAs: _p, ...rest } = recordOf(row);
        return { ...rest, tender: { id: tender.id, title: tender.title } };
      }),
      total: Number(total?.n ?? 0),
    };
  }

  /** A subscription's latest alerts with their tender snapshots, newest first (for feeds). */
  async recent(subscriptionId: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .select(deliveryColumns)
      .from(schema.alertDeliveries)
      .innerJoin(schema.alertEvents, eq(schema.alertEvents.id, schema.alertDeliveries.eventId))
      .where(eq(schema.alertDeliveries.subscriptionId, subscriptionId))
      .orderBy(desc(schema.alertDeliveries.id))
      .limit(limit);
    return rows.map(recordOf);
  }

  /**
   * Deletes the events that occurred before `before` (ISO instant), were planned (`expanded`)
   * and have no unfinished delivery (every one sent or dead), together with their deliveries:
   * oldest first, `batchSize` events per transaction, at most `maxBatches` transactions. An
   * event with a pending delivery (due, leased or waiting for a retry) stays whatever its age,
   * and so does one the fan-out has not planned yet. The keys of pruned `consortium.opportunity`
   * deliveries go to `alert_pruned_keys` in the same transaction, so a later change of the
   * tender does not alert the same group again; the deliveries go before their event, so no
   * delivery is ever left without it.
   */
  async prune(options: { before: string; batchSize?: number; maxBatches?: number }): Promise<PruneResult> {
    const batchSize = options.batchSize ?? 500;
    const maxBatches = options.maxBatches ?? 100;
    const finished = sql.join(
      FINISHED_DELIVERY_STATUSES.map((s) => sql`${s}`),
      sql`, `,
    );
    // The same batch of events for every statement: they run in one transaction, and deleting
    // the finished deliveries of these events changes which events qualify for no other one.
    const batch = sql`SELECT e.id FROM alert_events AS e
      WHERE e.expanded = 1 AND e.occurred_at < ${options.before}
        AND NOT EXISTS (SELECT 1 FROM alert_deliveries AS u WHERE u.event_id = e.id AND u.status NOT IN (${finished}))
      ORDER BY e.occurred_at, e.id LIMIT ${batchSize}`;
    const result: PruneResult = { events: 0, deliveries: 0, enterpriseEvents: 0, complete: false };
    for (let n = 0; n < maxBatches; n++) {
      const at = this.clock().toISOString();
      const [, deliveries, events] = await this.db.batch([
        this.db
          .insert(schema.alertPrunedKeys)
          .select(
            sql`SELECT d.idempotency_key, ${at} FROM alert_deliveries AS d
              WHERE d.event = 'consortium.opportunity' AND d.event_id IN (${batch})`,
          )
          .onConflictDoNothing(),
        this.db
          .delete(schema.alertDeliveries)
          .where(sql`${schema.alertDeliveries.eventId} IN (${batch})`)
          .returning({ id: schema.alertDeliveries.id }),
        this.db
          .delete(schema.alertEvents)
          .where(
            and(
              sql`${schema.alertEvents.id} IN (${batch})`,
              sql`NOT EXISTS (SELECT 1 FROM alert_deliveries AS d WHERE d.event_id = ${schema.alertEvents.id})`,
            ),
          )
          .returning({ id: schema.alertEvents.id }),
      ] as const);
      result.events += events.length;
      result.deliveries += deliveries.length;
      if (events.length < batchSize) {
        result.complete = true;
        break;
      }
    }
    // Old planned enterprise events: their deliveries hang on `consortium.opportunity` events,
    // pruned above with their keys kept; an unplanned one stays whatever its age.
    let enterpriseComplete = false;
    for (let n = 0; n < maxBatches; n++) {
      const deleted = await this.db
        .delete(schema.enterpriseEvents)
        .where(
          sql`${schema.enterpriseEvents.id} IN (SELECT id FROM enterprise_events
            WHERE expanded = 1 AND occurred_at < ${options.before} ORDER BY occurred_at, id LIMIT ${batchSize})`,
        )
        .returning({ id: schema.enterpriseEvents.id });
      result.enterpriseEvents += deleted.length;
      if (deleted.length < batchSize) {
        enterpriseComplete = true;
        break;
      }
    }
    result.complete = result.complete && enterpriseComplete;
    return result;
  }

  /** Events older than `before` that a prune keeps: not planned yet, or with an unfinished delivery. */
  async retained(before: string): Promise<{ unplanned: number; undelivered: number }> {
    const finished = sql.join(
      FINISHED_DELIVERY_STATUSES.map((s) => sql`${s}`),
      sql`, `,
    );
    const [unplanned] = await this.db
      .select({ n: count() })
      .from(schema.alertEvents)
      .where(and(eq(schema.alertEvents.expanded, false), sql`${schema.alertEvents.occurredAt} < ${before}`));
    const [undelivered] = await this.db
      .select({ n: count() })
      .from(schema.alertEvents)
      .where(
        and(
          eq(schema.alertEvents.expanded, true),
          sql`${schema.alertEvents.occurredAt} < ${before}`,
          sql`EXISTS (SELECT 1 FROM alert_deliveries AS u WHERE u.event_id = ${schema.alertEvents.id} AND u.status NOT IN (${finished}))`,
        ),
      );
    return { unplanned: Number(unplanned?.n ?? 0), undelivered: Number(undelivered?.n ?? 0) };
  }

  /** Counts by status, for summaries and tests. */
  async counts(): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.db
      .select({ status: schema.alertDeliveries.status, n: count() })
      .from(schema.alertDeliveries)
      .groupBy(schema.alertDeliveries.status);
    const out: Record<DeliveryStatus, number> = { pending: 0, sent: 0, dead: 0 };
    for (const r of rows) out[r.status as DeliveryStatus] = Number(r.n);
    return out;
  }
}
