import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import * as schema from "./schema.js";
import type { SourceRunCounts, SourceRunError } from "./schema.js";
import type { AlertRepository } from "./alerts.js";
import type { Clock, Db, TenderWrite } from "./store.js";
import { type WriteCounter, bumpRevision } from "./writes.js";

export const RUN_STATUSES = ["running", "ok", "partial", "not-modified", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface SourceRun {
  id: number;
  sourceId: string;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  counts: SourceRunCounts;
  errors: SourceRunError[];
}

export interface SourceItemState {
  tenderId: string;
  lastSeenRunId: number;
  missedRuns: number;
  withdrawnRunId?: number;
}

/** How a successful crawl changes the store, committed as one transaction with its run record. */
export interface RunCommit {
  status: "ok" | "partial";
  counts: SourceRunCounts;
  errors: SourceRunError[];
  /** The tenders the crawl gave, with what to write for each (nothing when unchanged). */
  seen: TenderWrite[];
  /** Items the crawl did not give: their new miss count, and the withdrawal when it is due. */
  missed: { tenderId: string; missedRuns: number; withdraw?: TenderWrite }[];
}

export const EMPTY_COUNTS: SourceRunCounts = { new: 0, changed: 0, unchanged: 0, withdrawn: 0, skipped: 0 };

/** Crawl runs of sources and the items each source has given. */
export class SourceRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly writes: WriteCounter,
  ) {}

  async startRun(sourceId: string): Promise<number> {
    const [row] = await this.db
      .insert(schema.sourceRuns)
      .values({
        sourceId,
        startedAt: this.clock().toISOString(),
        status: "running",
        counts: EMPTY_COUNTS,
        errors: [],
      })
      .returning({ id: schema.sourceRuns.id });
    if (!row) throw new Error(`could not record a run of ${sourceId}`);
    return row.id;
  }

  /** Ends a run that wrote nothing: failed, or not modified since the last crawl. */
  async endRun(
    runId: number,
    status: "failed" | "not-modified",
    errors: SourceRunError[],
    counts: SourceRunCounts = EMPTY_COUNTS,
  ): Promise<void> {
    await this.db
      .update(schema.sourceRuns)
      .set({ status, errors, counts, finishedAt: this.clock().toISOString() })
      .where(eq(schema.sourceRuns.id, runId));
  }

  /**
   * Writes everything a successful crawl changed in one transaction: the tenders with their
   * history, which items were seen or missed, withdrawals, and the run record. Either all of it
   * is stored or none. Returns the ids of tenders whose guarded write lost a race with another
   * writer (they are left as the other writer made them, and the next crawl tries again).
   */
  async commitRun(sourceId: string, runId: number, commit: RunCommit): Promise<{ lost: string[] }> {
    const statements: BatchItem<"sqlite">[] = [];
    const guards: { index: number; tenderId: string }[] = [];
    const add = (write: TenderWrite) => {
      const base = statements.length;
      statements.push(...write.statements);
      if (write.guardIndex >= 0)
        guards.push({ index: base + write.guardIndex, tenderId: write.stored.tender.id });
    };
    for (const write of commit.seen) {
      add(write);
      statements.push(
        this.db
          .insert(schema.sourceItems)
          .values({
            sourceId,
            tenderId: write.stored.tender.id,
            firstRunId: runId,
            lastSeenRunId: runId,
            missedRuns: 0,
          })
          .onConflictDoUpdate({
            target: [schema.sourceItems.sourceId, schema.sourceItems.tenderId],
            set: { lastSeenRunId: runId, missedRuns: 0, withdrawnRunId: null },
          }),
      );
    }
    for (const miss of commit.missed) {
      if (miss.withdraw) add(miss.withdraw);
      statements.push(
        this.db
          .update(schema.sourceItems)
          .set({ missedRuns: miss.missedRuns, ...(miss.withdraw ? { withdrawnRunId: runId } : {}) })
          .where(
            and(eq(schema.sourceItems.sourceId, sourceId), eq(schema.sourceItems.tenderId, miss.tenderId)),
          ),
      );
    }
    statements.push(
      this.db
        .update(schema.sourceRuns)
        .set({
          status: commit.status,
          counts: commit.counts,
          errors: commit.errors,
          finishedAt: this.clock().toISOString(),
        })
        .where(eq(schema.sourceRuns.id, runId)),
      bumpRevision(this.db),
    );
    const [first, ...rest] = statements;
    if (!first) return { lost: [] };
    const results: unknown[] = await this.db.batch([first, ...rest]);
    this.writes.committed++;
    const lost = guards.filter((g) => {
      const r = results[g.index];
      return Array.isArray(r) && r.length === 0;
    });
    return { lost: lost.map((g) => g.tenderId) };
  }

  /** The items a source has given that are not withdrawn by it. */
  async activeItems(sourceId: string): Promise<SourceItemState[]> {
    const rows = await this.db
      .select()
      .from(schema.sourceItems)
      .where(
        and(eq(schema.sourceItems.sourceId, sourceId), sql`${schema.sourceItems.withdrawnRunId} is null`),
      );
    return rows.map((r) => ({
      tenderId: r.tenderId,
      lastSeenRunId: r.lastSeenRunId,
      missedRuns: r.missedRuns,
    }));
  }

  async runs(sourceId: string, limit = 50): Promise<SourceRun[]> {
    const rows = await this.db
      .select()
      .from(schema.sourceRuns)
      .where(eq(schema.sourceRuns.sourceId, sourceId))
      .orderBy(desc(schema.sourceRuns.id))
      .limit(limit);
    return rows.map(runOf);
  }

  /** The latest run of every source that has run, by source id. */
  async latestRuns(): Promise<Map<string, SourceRun>> {
    const latest = this.db
      .select({ id: sql<number>`max(${schema.sourceRuns.id})`.as("id") })
      .from(schema.sourceRuns)
      .groupBy(schema.sourceRuns.sourceId);
    const rows = await this.db.select().from(schema.sourceRuns).where(inArray(schema.sourceRuns.id, latest));
    return new Map(rows.map((r) => [r.sourceId, runOf(r)]));
  }

  /** How many tenders each source has given, and how many of them it withdrew. */
  async itemCounts(): Promise<Map<string, { items: number; withdrawn: number }>> {
    const rows = await this.db
      .select({
        sourceId: schema.sourceItems.sourceId,
        items: sql<number>`count(*)`,
        withdrawn: sql<number>`count(${schema.sourceItems.withdrawnRunId})`,
      })
      .from(schema.sourceItems)
      .groupBy(schema.sourceItems.sourceId);
    return new Map(rows.map((r) => [r.sourceId, { items: Number(r.items), withdrawn: Number(r.withdrawn) }]));
  }

  async validators(url: string): Promise<{ etag?: string; lastModified?: string } | undefined> {
    const [row] = await this.db
      .select()
      .from(schema.httpValidators)
      .where(eq(schema.httpValidators.url, url));
    if (!row) return undefined;
    return {
      ...(row.etag ? { etag: row.etag } : {}),
      ...(row.lastModified ? { lastModified: row.lastModified } : {}),
    };
  }

  async saveValidators(url: string, v: { etag?: string; lastModified?: string }): Promise<void> {
    const values = {
      etag: v.etag ?? null,
      lastModified: v.lastModified ?? null,
      updatedAt: this.clock().toISOString(),
    };
    await this.db
      .insert(schema.httpValidators)
      .values({ url, ...values })
      .onConflictDoUpdate({ target: schema.httpValidators.url, set: values });
  }
}

function runOf(r: typeof schema.sourceRuns.$inferSelect): SourceRun {
  return {
    id: r.id,
    sourceId: r.sourceId,
    startedAt: r.startedAt,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    status: r.status as RunStatus,
    counts: r.counts,
    errors: r.errors,
  };
}

export interface TenderLink {
  plannedId: string;
  noticeId: string;
  /** 0–100. */
  score: number;
  reason: string;
  linkedAt: string;
}

/** Links from a planned item to the notice that published it. */
export class LinkRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly writes: WriteCounter,
    private readonly alerts: AlertRepository,
  ) {}

  /**
   * Records a link together with the planned item's move to the notice's stage, in one
   * transaction, with its `tender.published` alert event (in place of the `tender.changed` of
   * the move, whose changes it carries). The event is written only when the link is new and
   * the planned item's write did not lose a race.
   */
  async link(link: Omit<TenderLink, "linkedAt">, plannedWrite: TenderWrite): Promise<void> {
    const insert = this.db
      .insert(schema.tenderLinks)
      .values({ ...link, linkedAt: this.clock().toISOString() })
      .onConflictDoUpdate({
        target: [schema.tenderLinks.plannedId, schema.tenderLinks.noticeId],
        set: { score: link.score, reason: link.reason },
      });
    const [notice] = await this.db
      .select({ id: schema.tenders.id, title: schema.tenders.title })
      .from(schema.tenders)
      .where(eq(schema.tenders.id, link.noticeId));
    const published = await this.alerts.outboxStatements({
      tender: plannedWrite.stored.tender,
      version: plannedWrite.stored.version,
      contentHash: plannedWrite.contentHash,
      event: "tender.published",
      ...(plannedWrite.previous ? { previous: plannedWrite.previous } : {}),
      ...(plannedWrite.materialChanges.length > 0 ? { changes: plannedWrite.materialChanges } : {}),
      publishedAs: { id: link.noticeId, title: notice?.title ?? link.noticeId },
      guard: sql`NOT EXISTS (SELECT 1 FROM tender_links WHERE planned_id = ${link.plannedId} AND notice_id = ${link.noticeId})`,
    });
    const tenderOnly = plannedWrite.statements.slice(0, plannedWrite.outboxFrom);
    // The event's guard reads the links before this link is inserted.
    const [first, ...rest]: BatchItem<"sqlite">[] = [
      ...tenderOnly,
      ...published,
      insert,
      bumpRevision(this.db),
    ];
    if (first) await this.db.batch([first, ...rest]);
    this.writes.committed++;
  }

  /** Every link that has this tender at either end. */
  async of(tenderId: string): Promise<TenderLink[]> {
    return this.db
      .select()
      .from(schema.tenderLinks)
      .where(or(eq(schema.tenderLinks.plannedId, tenderId), eq(schema.tenderLinks.noticeId, tenderId)));
  }

  async ofMany(tenderIds: readonly string[]): Promise<TenderLink[]> {
    if (tenderIds.length === 0) return [];
    const ids = [...tenderIds];
    return this.db
      .select()
      .from(schema.tenderLinks)
      .where(or(inArray(schema.tenderLinks.plannedId, ids), inArray(schema.tenderLinks.noticeId, ids)));
  }
}
