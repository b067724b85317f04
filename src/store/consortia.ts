import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { HistoryEntry, type Step, Workspace } from "../domain/consortium-workspace.js";
import { AppError } from "../domain/errors.js";
import * as schema from "./schema.js";
import type { Db } from "./store.js";
import { type WriteCounter, bumpRevision, inOneTransaction } from "./writes.js";

/**
 * Consortium workspaces and their history. Every step writes the workspace, its member rows and
 * its history row in one transaction. The history row comes first with `seq = version + 1`
 * under a unique index, and the workspace update is guarded by the version: of two steps taken
 * from the same version, the second fails whole (CONFLICT) and writes nothing.
 */

export interface StoredWorkspace {
  workspace: Workspace;
  version: number;
}

function isUniqueViolation(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : error);
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text);
}

export class ConsortiumRepository {
  constructor(
    private readonly db: Db,
    private readonly writes: WriteCounter,
  ) {}

  async get(id: string): Promise<StoredWorkspace | undefined> {
    const rows = await this.db.select().from(schema.consortia).where(eq(schema.consortia.id, id));
    const row = rows[0];
    return row ? { workspace: Workspace.parse(row.data), version: row.version } : undefined;
  }

  /** The steps of a workspace, oldest first. */
  async history(id: string): Promise<HistoryEntry[]> {
    const rows = await this.db
      .select({ entry: schema.consortiumHistory.entry })
      .from(schema.consortiumHistory)
      .where(eq(schema.consortiumHistory.consortiumId, id))
      .orderBy(asc(schema.consortiumHistory.seq));
    return rows.map((r) => HistoryEntry.parse(r.entry));
  }

  /**
   * Workspaces an account coordinates, or (with `enterpriseId`) that enterprise was invited to
   * (its invitation is pending, accepted or declined), newest first.
   */
  async mine(accountId: string, enterpriseId?: string): Promise<StoredWorkspace[]> {
    const invited = enterpriseId
      ? await this.db
          .select({ id: schema.consortiumMembers.consortiumId })
          .from(schema.consortiumMembers)
          .where(
            and(
              eq(schema.consortiumMembers.enterpriseId, enterpriseId),
              ne(schema.consortiumMembers.invitation, "not-invited"),
            ),
          )
      : [];
    const own = await this.db
      .select({ data: schema.consortia.data, version: schema.consortia.version })
      .from(schema.consortia)
      .where(eq(schema.consortia.createdBy, accountId))
      .orderBy(desc(schema.consortia.createdAt));
    const ownIds = new Set(own.map((r) => r.data.id));
    const others = invited.map((r) => r.id).filter((id) => !ownIds.has(id));
    // D1 binds at most 100 parameters per statement: the ids are read in chunks.
    const more: typeof own = [];
    for (let i = 0; i < others.length; i += 80) {
      more.push(
        ...(await this.db
          .select({ data: schema.consortia.data, version: schema.consortia.version })
          .from(schema.consortia)
          .where(inArray(schema.consortia.id, others.slice(i, i + 80)))),
      );
    }
    return [...own, ...more]
      .map((r) => ({ workspace: Workspace.parse(r.data), version: r.version }))
      .sort(
        (a, b) =>
          b.workspace.createdAt.localeCompare(a.workspace.createdAt) ||
          a.workspace.id.localeCompare(b.workspace.id),
      );
  }

  /** Every workspace, newest first (for admins). */
  async list(limit = 500): Promise<StoredWorkspace[]> {
    const rows = await this.db
      .select({ data: schema.consortia.data, version: schema.consortia.version })
      .from(schema.consortia)
      .orderBy(desc(schema.consortia.createdAt), asc(schema.consortia.id))
      .limit(limit);
    return rows.map((r) => ({ workspace: Workspace.parse(r.data), version: r.version }));
  }

  /** Stores a new workspace with its first history row; CONFLICT if the id exists. */
  async create(created: Step): Promise<StoredWorkspace> {
    const ws = Workspace.parse(created.workspace);
    try {
      await inOneTransaction(this.db, [
        this.db.insert(schema.consortia).values({
          id: ws.id,
          tenderId: ws.tenderId,
          createdBy: ws.createdBy,
          status: ws.status,
          data: ws,
          version: 1,
          createdAt: ws.createdAt,
          updatedAt: ws.updatedAt,
        }),
        ...this.memberRows(ws),
        this.historyRow(ws.id, 1, created),
        bumpRevision(this.db),
      ]);
      this.writes.committed++;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `consortium ${ws.id} already exists`);
      throw error;
    }
    return { workspace: ws, version: 1 };
  }

  /**
   * Writes a step taken from `version`: history row, workspace and member rows, in one
   * transaction. CONFLICT when someone else took a step since.
   */
  async apply(next: Step, version: number): Promise<StoredWorkspace> {
    const ws = Workspace.parse(next.workspace);
    const stale = () =>
      new AppError("CONFLICT", `consortium ${ws.id} was changed by someone else; reload and try again`);
    let results: unknown[];
    try {
      results = await this.db.batch([
        this.historyRow(ws.id, version + 1, next),
        this.db
          .update(schema.consortia)
          .set({ status: ws.status, data: ws, version: version + 1, updatedAt: ws.updatedAt })
          .where(and(eq(schema.consortia.id, ws.id), eq(schema.consortia.version, version)))
          .returning({ id: schema.consortia.id }),
        this.db.delete(schema.consortiumMembers).where(eq(schema.consortiumMembers.consortiumId, ws.id)),
        ...this.memberRows(ws),
        bumpRevision(this.db),
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw stale();
      throw error;
    }
    this.writes.committed++;
    const updated = results[1];
    // The history row's unique seq already refuses a lost race; this guard is the second lock.
    if (Array.isArray(updated) && updated.length === 0) throw stale();
    return { workspace: ws, version: version + 1 };
  }

  private memberRows(ws: Workspace): BatchItem<"sqlite">[] {
    if (ws.members.length === 0) return [];
    return [
      this.db.insert(schema.consortiumMembers).values(
        ws.members.map((m) => ({
          consortiumId: ws.id,
          enterpriseId: m.enterpriseId,
          role: m.role,
          invitation: m.invitation,
        })),
      ),
    ];
  }

  private historyRow(id: string, seq: number, step: Step) {
    const entry = HistoryEntry.parse({ ...step.entry, seq });
    return this.db.insert(schema.consortiumHistory).values({
      consortiumId: id,
      seq,
      at: entry.at,
      actorId: entry.actorId,
      action: entry.action,
      entry,
    });
  }
}
