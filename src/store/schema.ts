import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Buyer } from "../domain/buyer.js";
import type { HistoryEntry, Workspace } from "../domain/consortium-workspace.js";
import type { Enterprise } from "../domain/enterprise.js";
import type { Subscription } from "../domain/subscription.js";
import type { Tender } from "../domain/tender.js";

/**
 * One schema for libsql (Node) and D1 (Workers). Each aggregate is kept whole as JSON in
 * `data` (zod validates it on the way in and out); the columns beside it are what queries
 * filter and join on.
 */
export const buyers = sqliteTable(
  "buyers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    country: text("country").notNull(),
    municipalityCode: text("municipality_code"),
    data: text("data", { mode: "json" }).$type<Buyer>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("buyers_country_idx").on(t.country)],
);

export const tenders = sqliteTable(
  "tenders",
  {
    id: text("id").primaryKey(),
    buyerId: text("buyer_id").notNull(),
    stage: text("stage").notNull(),
    title: text("title").notNull(),
    data: text("data", { mode: "json" }).$type<Tender>().notNull(),
    /** SHA-256 of the content without timestamps: an unchanged re-import writes nothing. */
    contentHash: text("content_hash").notNull(),
    /** 1 on insert, +1 on every change; guards concurrent writers. */
    version: integer("version").notNull(),
    /** Who wrote the current version: "api:<account id>", "demo", a crawler source id. */
    source: text("source").notNull(),
    firstSeen: text("first_seen").notNull(),
    lastChanged: text("last_changed").notNull(),
  },
  (t) => [
    index("tenders_buyer_idx").on(t.buyerId),
    index("tenders_stage_idx").on(t.stage),
    index("tenders_last_changed_idx").on(t.lastChanged),
  ],
);

export interface TenderChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The previous version of a tender, kept on every change. */
export const tenderHistory = sqliteTable(
  "tender_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenderId: text("tender_id")
      .notNull()
      .references(() => tenders.id),
    /** The version that was replaced. */
    version: integer("version").notNull(),
    changedAt: text("changed_at").notNull(),
    /** Who made the change (the source of the new version). */
    source: text("source").notNull(),
    changes: text("changes", { mode: "json" }).$type<TenderChange[]>().notNull(),
    previous: text("previous", { mode: "json" }).$type<Tender>().notNull(),
  },
  (t) => [uniqueIndex("tender_history_version_uq").on(t.tenderId, t.version)],
);

export const enterprises = sqliteTable(
  "enterprises",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    country: text("country").notNull(),
    data: text("data", { mode: "json" }).$type<Enterprise>().notNull(),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("enterprises_country_idx").on(t.country)],
);

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    role: text("role", { enum: ["enterprise", "buyer", "coordinator", "admin"] }).notNull(),
    enterpriseId: text("enterprise_id"),
    buyerId: text("buyer_id"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("accounts_email_uq").on(t.email)],
);

/** Bearer tokens, stored as SHA-256 hashes; the token itself is shown once. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    tokenHash: text("token_hash").notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_tokens_hash_uq").on(t.tokenHash), index("api_tokens_account_idx").on(t.accountId)],
);

/** Small key/value facts about the store, such as its write revision. */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
});

export interface SourceRunCounts {
  new: number;
  changed: number;
  unchanged: number;
  withdrawn: number;
  /** Rows or notices that could not be read; each has an entry in `errors`. */
  skipped: number;
}

export interface SourceRunError {
  kind: string;
  message: string;
  url?: string;
  where?: string;
}

/** One crawl of one source: when, how it ended, what it changed, what went wrong. */
export const sourceRuns = sqliteTable(
  "source_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sourceId: text("source_id").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
    /** running | ok | partial | not-modified | failed */
    status: text("status").notNull(),
    counts: text("counts", { mode: "json" }).$type<SourceRunCounts>().notNull(),
    errors: text("errors", { mode: "json" }).$type<SourceRunError[]>().notNull(),
  },
  (t) => [index("source_runs_source_idx").on(t.sourceId, t.id)],
);

/**
 * Which tenders a source has given, and for how many successful crawls in a row it has not:
 * an item becomes `withdrawn` after two such crawls, and is never deleted.
 */
export const sourceItems = sqliteTable(
  "source_items",
  {
    sourceId: text("source_id").notNull(),
    tenderId: text("tender_id")
      .notNull()
      .references(() => tenders.id),
    firstRunId: integer("first_run_id").notNull(),
    lastSeenRunId: integer("last_seen_run_id").notNull(),
    missedRuns: integer("missed_runs").notNull(),
    withdrawnRunId: integer("withdrawn_run_id"),
  },
  (t) => [
    uniqueIndex("source_items_uq").on(t.sourceId, t.tenderId),
    index("source_items_tender_idx").on(t.tenderId),
  ],
);

/** A planned item and the notice that later published it. */
export const tenderLinks = sqliteTable(
  "tender_links",
  {
    plannedId: text("planned_id")
      .notNull()
      .references(() => tenders.id),
    noticeId: text("notice_id")
      .notNull()
      .references(() => tenders.id),
    /** 0–100: how alike title, CPV and timing are. */
    score: integer("score_pct").notNull(),
    reason: text("reason").notNull(),
    linkedAt: text("linked_at").notNull(),
  },
  (t) => [
    uniqueIndex("tender_links_uq").on(t.plannedId, t.noticeId),
    index("tender_links_notice_idx").on(t.noticeId),
  ],
);

/** ETag and Last-Modified per URL, for conditional GETs on the next crawl. */
export const httpValidators = sqliteTable("http_validators", {
  url: text("url").primaryKey(),
  etag: text("etag"),
  lastModified: text("last_modified"),
  updatedAt: text("updated_at").notNull(),
});

/**
 * Alert subscriptions of accounts. The whole Subscription (with the webhook secret) is kept in
 * `data`; `feed_token_hash` is the SHA-256 of the Atom/iCal feed token (the token is shown once);
 * `unsubscribe_token` is a random capability put in every message's one-click unsubscribe link.
 */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    kind: text("kind").notNull(),
    active: integer("active", { mode: "boolean" }).notNull(),
    data: text("data", { mode: "json" }).$type<Subscription>().notNull(),
    feedTokenHash: text("feed_token_hash"),
    unsubscribeToken: text("unsubscribe_token").notNull(),
    /** 1 on insert, +1 on every change; guards concurrent updates. */
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("subscriptions_account_idx").on(t.accountId),
    index("subscriptions_active_kind_idx").on(t.active, t.kind),
    uniqueIndex("subscriptions_feed_token_uq").on(t.feedTokenHash),
    uniqueIndex("subscriptions_unsubscribe_uq").on(t.unsubscribeToken),
  ],
);

/** What an outbox event keeps: the tender as it was at that version, and what changed. */
export interface AlertEventPayload {
  tender: Tender;
  changes?: TenderChange[];
  publishedAs?: { id: string; title: string };
}

/**
 * The outbox of events (`tender.new`, `tender.changed`, `tender.published`, `tender.withdrawn`),
 * written in the same transaction as the tender change. `event_key` (tender, event, version) is
 * unique; `expanded` is set once the delivery job has planned the profile and group deliveries.
 * `consortium.opportunity` rows are written (already expanded) by the planning of an
 * enterprise event: the tender as it was when the group became feasible, for the deliveries of
 * that group to refer to.
 */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventKey: text("event_key").notNull(),
    tenderId: text("tender_id")
      .notNull()
      .references(() => tenders.id),
    version: integer("version").notNull(),
    event: text("event").notNull(),
    occurredAt: text("occurred_at").notNull(),
    payload: text("payload", { mode: "json" }).$type<AlertEventPayload>().notNull(),
    expanded: integer("expanded", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("alert_events_key_uq").on(t.eventKey),
    index("alert_events_expanded_idx").on(t.expanded, t.id),
    index("alert_events_tender_idx").on(t.tenderId),
    // The retention prune (`alerts:prune`) finds old planned events through this, oldest first.
    index("alert_events_retention_idx").on(t.expanded, t.occurredAt),
  ],
);

/**
 * The outbox of enterprise changes that can make a consortium newly feasible: written in the
 * same transaction as the enterprise write (registered, or changed in a field matching reads,
 * `MATCHING_FIELDS`), guarded by the enterprise's new version. `event_key` (enterprise, event,
 * version) is unique; `expanded` is set once the delivery job has planned the group alerts.
 */
export const enterpriseEvents = sqliteTable(
  "enterprise_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventKey: text("event_key").notNull(),
    enterpriseId: text("enterprise_id")
      .notNull()
      .references(() => enterprises.id),
    version: integer("version").notNull(),
    /** enterprise.new | enterprise.changed */
    event: text("event").notNull(),
    occurredAt: text("occurred_at").notNull(),
    /** The matching fields that changed (all of them for a new enterprise). */
    fields: text("fields", { mode: "json" }).$type<string[]>().notNull(),
    expanded: integer("expanded", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("enterprise_events_key_uq").on(t.eventKey),
    index("enterprise_events_expanded_idx").on(t.expanded, t.id),
    index("enterprise_events_retention_idx").on(t.expanded, t.occurredAt),
  ],
);

/**
 * The enterprise whose registration or profile change made a group feasible (a group planned
 * from an enterprise event); absent for groups planned from a tender event.
 */
export interface ConsortiumJoined {
  id: string;
  name: string;
  /** `registered`: the enterprise is new; `updated`: it changed what matching reads. */
  reason: "registered" | "updated";
}

/** What a delivery adds to its event: for `consortium.opportunity`, the group. */
export interface AlertDeliveryPayload {
  consortium?: { members: { id: string; name: string }[]; lots: string[]; joined?: ConsortiumJoined };
}

/**
 * One alert for one subscription: pending until sent, retried with backoff, `dead` after the
 * retry window or a non-retryable failure. `idempotency_key` is unique: planning the same alert
 * twice writes it once. `lease_until`/`lease_owner` are the claim of the run sending it.
 */
export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    subscriptionId: text("subscription_id")
      .notNull()
      .references(() => subscriptions.id),
    eventId: integer("event_id")
      .notNull()
      .references(() => alertEvents.id),
    tenderId: text("tender_id").notNull(),
    event: text("event").notNull(),
    version: integer("version").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** pending | sent | dead */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    firstAttemptAt: text("first_attempt_at"),
    leaseUntil: text("lease_until"),
    leaseOwner: text("lease_owner"),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
    payload: text("payload", { mode: "json" }).$type<AlertDeliveryPayload>(),
  },
  (t) => [
    uniqueIndex("alert_deliveries_key_uq").on(t.idempotencyKey),
    index("alert_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("alert_deliveries_subscription_idx").on(t.subscriptionId, t.id),
    // An event's deliveries and whether any is unfinished (the retention prune).
    index("alert_deliveries_event_idx").on(t.eventId, t.status),
  ],
);

/**
 * The idempotency keys of pruned deliveries that a later event could plan again: a
 * `consortium.opportunity` key has no version in it (the same group is alerted once however
 * often the tender changes), so once its delivery is pruned only this row stops a re-send.
 * Every other key names its event's version, and an event is never written twice (its key is
 * unique and tender versions only grow), so those need no tombstone.
 */
export const alertPrunedKeys = sqliteTable("alert_pruned_keys", {
  idempotencyKey: text("idempotency_key").primaryKey(),
  prunedAt: text("pruned_at").notNull(),
});

/**
 * One-time sign-in links sent by e-mail: only the SHA-256 of the token is kept. `accountId` is
 * null for a sign-up link (the enterprise account is created when the link is confirmed).
 */
export const signInTokens = sqliteTable(
  "sign_in_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    email: text("email").notNull(),
    accountId: text("account_id").references(() => accounts.id),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("sign_in_tokens_email_idx").on(t.email)],
);

/** Browser sessions of the web pages: the SHA-256 of the cookie's session id, revocable. */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);

/**
 * Consortium workspaces. The whole Workspace (members and their lots included) is kept in
 * `data`; `version` is 1 on insert, +1 on every step, and equals the number of history rows.
 */
export const consortia = sqliteTable(
  "consortia",
  {
    id: text("id").primaryKey(),
    tenderId: text("tender_id")
      .notNull()
      .references(() => tenders.id),
    /** The account that created it: its coordinator. */
    createdBy: text("created_by")
      .notNull()
      .references(() => accounts.id),
    status: text("status").notNull(),
    data: text("data", { mode: "json" }).$type<Workspace>().notNull(),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("consortia_tender_idx").on(t.tenderId), index("consortia_created_by_idx").on(t.createdBy)],
);

/** Who is in which workspace, for "my workspaces" and access checks; rewritten on every step. */
export const consortiumMembers = sqliteTable(
  "consortium_members",
  {
    consortiumId: text("consortium_id")
      .notNull()
      .references(() => consortia.id),
    enterpriseId: text("enterprise_id").notNull(),
    role: text("role").notNull(),
    invitation: text("invitation").notNull(),
  },
  (t) => [
    uniqueIndex("consortium_members_uq").on(t.consortiumId, t.enterpriseId),
    index("consortium_members_enterprise_idx").on(t.enterpriseId),
  ],
);

/**
 * Every step of a workspace, in order. `(consortium_id, seq)` is unique and a step writes
 * `seq = version + 1`: of two steps from the same version, the second fails whole.
 */
export const consortiumHistory = sqliteTable(
  "consortium_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    consortiumId: text("consortium_id")
      .notNull()
      .references(() => consortia.id),
    seq: integer("seq").notNull(),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    entry: text("entry", { mode: "json" }).$type<HistoryEntry>().notNull(),
  },
  (t) => [uniqueIndex("consortium_history_seq_uq").on(t.consortiumId, t.seq)],
);
