import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { Account, AccountInput } from "../domain/account.js";
import { Account as AccountSchema } from "../domain/account.js";
import { Buyer } from "../domain/buyer.js";
import { Enterprise, matchingChanges } from "../domain/enterprise.js";
import { AppError } from "../domain/errors.js";
import { sha256Hex } from "../domain/hash.js";
import { stableStringify } from "../domain/json.js";
import { Tender, diffTenders } from "../domain/tender.js";
import { AlertRepository, FilterMatcherCache, SubscriptionRepository, eventOfChange } from "./alerts.js";
import * as schema from "./schema.js";
import type { TenderChange } from "./schema.js";
import { SessionRepository } from "./sessions.js";
import { ConsortiumRepository } from "./consortia.js";
import { LinkRepository, SourceRepository } from "./sources.js";
import { WriteCounter, bumpRevision, inOneTransaction } from "./writes.js";

/**
 * The database both runtimes give us: drizzle over libsql (Node) or D1 (Workers). Writes that
 * belong together go through `batch`, which both drivers run as one transaction.
 */
export type Db = BaseSQLiteDatabase<"async", unknown, typeof schema> & {
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>>;
};

export type Clock = () => Date;

export interface TenderHistoryEntry {
  version: number;
  changedAt: string;
  source: string;
  changes: TenderChange[];
  previous: Tender;
}

export type UpsertOutcome = "created" | "changed" | "unchanged";

export interface StoredTender {
  tender: Tender;
  version: number;
  source: string;
}

/** Content hash of a tender: everything but its timestamps. */
export async function tenderContentHash(tender: Tender): Promise<string> {
  const { firstSeen: _f, lastChanged: _l, ...content } = tender;
  return sha256Hex(stableStringify(content));
}

const MAX_WRITE_ATTEMPTS = 4;

export class Store {
  readonly tenders: TenderRepository;
  readonly enterprises: EnterpriseRepository;
  readonly buyers: BuyerRepository;
  readonly accounts: AccountRepository;
  readonly sources: SourceRepository;
  readonly links: LinkRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly alerts: AlertRepository;
  readonly consortia: ConsortiumRepository;
  readonly sessions: SessionRepository;

  private readonly writes = new WriteCounter();

  constructor(
    readonly db: Db,
    readonly clock: Clock,
    private readonly onClose: () => Promise<void> | void = () => undefined,
  ) {
    const matchers = new FilterMatcherCache(db);
    this.subscriptions = new SubscriptionRepository(db, clock, matchers);
    this.alerts = new AlertRepository(db, clock, matchers);
    this.tenders = new TenderRepository(db, clock, this.writes, this.alerts);
    this.enterprises = new EnterpriseRepository(db, clock, this.writes, this.alerts);
    this.buyers = new BuyerRepository(db, clock, this.writes);
    this.accounts = new AccountRepository(db, clock);
    this.sources = new SourceRepository(db, clock, this.writes);
    this.links = new LinkRepository(db, clock, this.writes, this.alerts);
    this.consortia = new ConsortiumRepository(db, this.writes);
    this.sessions = new SessionRepository(db, clock);
  }

  /**
   * The number of writes (revision bumps) this Store instance committed. With `revision()` it
   * tells a reader whether anyone else wrote since it looked: on Workers, another isolate.
   */
  ownWrites(): number {
    return this.writes.committed;
  }

  /** A number that grows with every write; readers compare it to know whether they are stale. */
  async revision(): Promise<number> {
    const rows = await this.db
      .select({ value: schema.meta.value })
      .from(schema.meta)
      .where(eq(schema.meta.key, "revision"));
    return rows[0]?.value ?? 0;
  }

  async health(): Promise<{ ok: boolean; tenders?: number; enterprises?: number; error?: string }> {
    try {
      const [t] = await this.db.select({ n: sql<number>`count(*)` }).from(schema.tenders);
      const [e] = await this.db.select({ n: sql<number>`count(*)` }).from(schema.enterprises);
      return { ok: true, tenders: Number(t?.n ?? 0), enterprises: Number(e?.n ?? 0) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

function isUniqueViolation(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : error);
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(text);
}

export class TenderRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly writes: WriteCounter,
    private readonly alerts: AlertRepository,
  ) {}

  async get(id: string): Promise<StoredTender | undefined> {
    const rows = await this.db.select().from(schema.tenders).where(eq(schema.tenders.id, id));
    const row = rows[0];
    return row ? { tender: Tender.parse(row.data), version: row.version, source: row.source } : undefined;
  }

  /** Tenders by id, in the order asked for; ids not found are left out. */
  async getMany(ids: readonly string[]): Promise<Tender[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(schema.tenders)
      .where(inArray(schema.tenders.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, Tender.parse(r.data)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Tenders with their versions, by id, in the order asked for; ids not found are left out. */
  async getManyStored(ids: readonly string[]): Promise<StoredTender[]> {
    const byId = new Map<string, StoredTender>();
    // D1 binds at most 100 parameters per statement.
    for (let i = 0; i < ids.length; i += 80) {
      const rows = await this.db
        .select()
        .from(schema.tenders)
        .where(inArray(schema.tenders.id, ids.slice(i, i + 80)));
      for (const r of rows)
        byId.set(r.id, { tender: Tender.parse(r.data), version: r.version, source: r.source });
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every tender of a buyer, optionally in given stages. */
  async byBuyer(buyerId: string, stages?: readonly string[]): Promise<StoredTender[]> {
    const rows = await this.db
      .select()
      .from(schema.tenders)
      .where(
        and(
          eq(schema.tenders.buyerId, buyerId),
          stages && stages.length > 0 ? inArray(schema.tenders.stage, [...stages]) : undefined,
        ),
      )
      .orderBy(asc(schema.tenders.id));
    return rows.map((row) => ({ tender: Tender.parse(row.data), version: row.version, source: row.source }));
  }

  /** Pages through every tender by id, for index rebuilds. */
  async page(afterId: string | undefined, limit: number): Promise<Tender[]> {
    const rows = await this.db
      .select({ data: schema.tenders.data })
      .from(schema.tenders)
      .where(afterId === undefined ? undefined : gt(schema.tenders.id, afterId))
      .orderBy(asc(schema.tenders.id))
      .limit(limit);
    return rows.map((r) => Tender.parse(r.data));
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)` }).from(schema.tenders);
    return Number(row?.n ?? 0);
  }

  async history(id: string): Promise<TenderHistoryEntry[]> {
    const rows = await this.db
      .select()
      .from(schema.tenderHistory)
      .where(eq(schema.tenderHistory.tenderId, id))
      .orderBy(asc(schema.tenderHistory.version));
    return rows.map((r) => ({
      version: r.version,
      changedAt: r.changedAt,
      source: r.source,
      changes: r.changes,
      previous: Tender.parse(r.previous),
    }));
  }

  /**
   * Creates a tender; CONFLICT if the id exists. `buyer`, when given, is created in the same
   * transaction if it is not in the store yet, and so is its `tender.new` alert event.
   */
  async create(tender: Tender, source: string, buyer?: Buyer): Promise<StoredTender> {
    const valid = Tender.parse(tender);
    const hash = await tenderContentHash(valid);
    const outbox = await this.alerts.outboxStatements({
      tender: valid,
      version: 1,
      contentHash: hash,
      event: "tender.new",
    });
    try {
      await inOneTransaction(this.db, [
        ...(buyer ? [insertBuyerIfMissing(this.db, buyer, this.clock)] : []),
        this.db.insert(schema.tenders).values(rowOf(valid, hash, 1, source)),
        ...outbox,
        bumpRevision(this.db),
      ]);
      this.writes.committed++;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `tender ${valid.id} already exists`);
      throw error;
    }
    return { tender: valid, version: 1, source };
  }

  /**
   * Inserts or updates by id. An update whose content hash is unchanged writes nothing; a real
   * change keeps the previous version in the history, in the same transaction, guarded by the
   * version so that two writers never lose each other's change. `firstSeen` is kept from the
   * stored version.
   */
  async upsert(
    tender: Tender,
    source: string,
    buyer?: Buyer,
  ): Promise<{ outcome: UpsertOutcome } & StoredTender> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.get(tender.id);
      if (!current) {
        try {
          return { outcome: "created", ...(await this.create(tender, source, buyer)) };
        } catch (error) {
          if (error instanceof AppError && error.code === "CONFLICT") continue;
          throw error;
        }
      }
      const result = await this.replace(current, { ...tender, firstSeen: current.tender.firstSeen }, source);
      if (result) return result;
    }
    throw new AppError("CONFLICT", `tender ${tender.id} kept changing while it was written; try again`);
  }

  /**
   * Writes `next` over `current` if the stored version is still `current.version`. Returns
   * undefined when another writer got there first.
   */
  async replace(
    current: StoredTender,
    next: Tender,
    source: string,
  ): Promise<({ outcome: UpsertOutcome } & StoredTender) | undefined> {
    const write = await this.writeOf(current, next, source);
    if (write.outcome === "unchanged") return { outcome: "unchanged", ...current };
    const [first, ...rest] = write.statements;
    if (!first) return { outcome: "unchanged", ...current };
    const results = await this.db.batch([first, ...rest, bumpRevision(this.db)]);
    this.writes.committed++;
    const updated = results[write.guardIndex];
    if (Array.isArray(updated) && updated.length === 0) return undefined;
    return { outcome: write.outcome, ...write.stored };
  }

  /**
   * The statements that write `next` over `current` (or insert it when there is no current),
   * for a caller that commits them in its own batch with other writes (a crawl run). An update
   * keeps the previous version in the history and is guarded by the version: when another
   * writer got there first, neither the history row nor the update is written. The alert
   * outbox rows (the event, and the deliveries of matching `filters` subscriptions) come last,
   * guarded by the new version and content hash: a lost race writes none of them either.
   */
  async writeOf(
    current: StoredTender | undefined,
    next: Tender,
    source: string,
    buyer?: Buyer,
  ): Promise<TenderWrite> {
    if (!current) {
      const valid = Tender.parse(next);
      const hash = await tenderContentHash(valid);
      const core = [
        ...(buyer ? [insertBuyerIfMissing(this.db, buyer, this.clock)] : []),
        this.db.insert(schema.tenders).values(rowOf(valid, hash, 1, source)),
      ];
      const outbox = await this.alerts.outboxStatements({
        tender: valid,
        version: 1,
        contentHash: hash,
        event: "tender.new",
      });
      return {
        outcome: "created",
        stored: { tender: valid, version: 1, source },
        statements: [...core, ...outbox],
        guardIndex: -1,
        contentHash: hash,
        outboxFrom: core.length,
        materialChanges: [],
      };
    }
    const valid = Tender.parse({ ...next, firstSeen: current.tender.firstSeen });
    const hash = await tenderContentHash(valid);
    const currentHash = await tenderContentHash(current.tender);
    if (hash === currentHash)
      return {
        outcome: "unchanged",
        stored: current,
        statements: [],
        guardIndex: -1,
        contentHash: currentHash,
        outboxFrom: 0,
        materialChanges: [],
      };
    const changes = diffTenders(current.tender, valid);
    const now = this.clock().toISOString();
    const version = current.version + 1;
    const guard = and(eq(schema.tenders.id, valid.id), eq(schema.tenders.version, current.version));
    const alert = eventOfChange(current.tender, valid);
    const outbox = alert
      ? await this.alerts.outboxStatements({
          tender: valid,
          previous: current.tender,
          version,
          contentHash: hash,
          ...alert,
        })
      : [];
    return {
      outcome: "changed",
      stored: { tender: valid, version, source },
      guardIndex: 1,
      contentHash: hash,
      outboxFrom: 2,
      materialChanges: alert?.changes ?? [],
      previous: current.tender,
      statements: [
        this.db.insert(schema.tenderHistory).select(
          this.db
            .select({
              id: sql<number>`NULL`.as("id"),
              tenderId: schema.tenders.id,
              version: schema.tenders.version,
              changedAt: sql<string>`${now}`.as("changed_at"),
              source: sql<string>`${source}`.as("source"),
              changes: sql<string>`${JSON.stringify(changes)}`.as("changes"),
              previous: schema.tenders.data,
            })
            .from(schema.tenders)
            .where(guard),
        ),
        this.db
          .update(schema.tenders)
          .set({
            stage: valid.stage,
            title: valid.title,
            buyerId: valid.buyer.id,
            data: valid,
            contentHash: hash,
            version,
            source,
            lastChanged: valid.lastChanged,
          })
          .where(guard)
          .returning({ version: schema.tenders.version }),
        ...outbox,
      ],
    };
  }
}

/** One tender's share of a batch: what it will be once the statements are committed. */
export interface TenderWrite {
  outcome: UpsertOutcome;
  stored: StoredTender;
  statements: BatchItem<"sqlite">[];
  /** Index of the guarded update among `statements` (its returning rows are empty on a lost race), or -1. */
  guardIndex: number;
  /** Content hash of `stored.tender`. */
  contentHash: string;
  /** Index of the first alert outbox statement: `statements` before it write the tender alone. */
  outboxFrom: number;
  /** The material fields that changed (MATERIAL_FIELDS), empty for a new or unchanged tender. */
  materialChanges: TenderChange[];
  /** The tender before a change. */
  previous?: Tender;
}

function rowOf(t: Tender, hash: string, version: number, source: string): typeof schema.tenders.$inferInsert {
  return {
    id: t.id,
    buyerId: t.buyer.id,
    stage: t.stage,
    title: t.title,
    data: t,
    contentHash: hash,
    version,
    source,
    firstSeen: t.firstSeen,
    lastChanged: t.lastChanged,
  };
}

function insertBuyerIfMissing(db: Db, buyer: Buyer, clock: Clock) {
  const now = clock().toISOString();
  return db
    .insert(schema.buyers)
    .values({
      id: buyer.id,
      name: buyer.name,
      country: buyer.country,
      municipalityCode: buyer.municipalityCode ?? null,
      data: buyer,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
}

/**
 * Enterprises. A registration, and a change to a field matching reads (`MATCHING_FIELDS`),
 * record an `enterprise_events` row in the same transaction (the group alerts of the delivery
 * job are planned from it); a change to other fields records nothing.
 */
export class EnterpriseRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly writes: WriteCounter,
    private readonly alerts: AlertRepository,
  ) {}

  async get(id: string): Promise<{ enterprise: Enterprise; version: number } | undefined> {
    const rows = await this.db.select().from(schema.enterprises).where(eq(schema.enterprises.id, id));
    const row = rows[0];
    return row ? { enterprise: Enterprise.parse(row.data), version: row.version } : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Enterprise[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(schema.enterprises)
      .where(inArray(schema.enterprises.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, Enterprise.parse(r.data)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async page(afterId: string | undefined, limit: number): Promise<Enterprise[]> {
    const rows = await this.db
      .select({ data: schema.enterprises.data })
      .from(schema.enterprises)
      .where(afterId === undefined ? undefined : gt(schema.enterprises.id, afterId))
      .orderBy(asc(schema.enterprises.id))
      .limit(limit);
    return rows.map((r) => Enterprise.parse(r.data));
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)` }).from(schema.enterprises);
    return Number(row?.n ?? 0);
  }

  /**
   * Registers an enterprise; CONFLICT if the id is taken. `linkAccountId` links the account
   * that registered it, in the same transaction.
   */
  async create(enterprise: Enterprise, linkAccountId?: string): Promise<Enterprise> {
    const valid = Enterprise.parse(enterprise);
    try {
      await inOneTransaction(this.db, [
        this.db.insert(schema.enterprises).values({
          id: valid.id,
          name: valid.name,
          country: valid.country,
          data: valid,
          version: 1,
          createdAt: valid.createdAt,
          updatedAt: valid.updatedAt,
        }),
        ...(await this.alerts.enterpriseOutboxStatements({
          enterprise: valid,
          version: 1,
          event: "enterprise.new",
          fields: matchingChanges(undefined, valid),
        })),
        ...(linkAccountId
          ? [
              this.db
                .update(schema.accounts)
                .set({ enterpriseId: valid.id })
                .where(eq(schema.accounts.id, linkAccountId)),
            ]
          : []),
        bumpRevision(this.db),
      ]);
      this.writes.committed++;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `enterprise ${valid.id} already exists`);
      throw error;
    }
    return valid;
  }

  /** Replaces an enterprise if it is still at `version`; CONFLICT otherwise. */
  async update(next: Enterprise, version: number): Promise<Enterprise> {
    const valid = Enterprise.parse(next);
    // The version being replaced: what changed decides the outbox event. If the row has moved
    // on, the update below fails (CONFLICT) and so would the event's guard.
    const [previous] = await this.db
      .select({ data: schema.enterprises.data })
      .from(schema.enterprises)
      .where(and(eq(schema.enterprises.id, valid.id), eq(schema.enterprises.version, version)));
    const fields = previous ? matchingChanges(Enterprise.parse(previous.data), valid) : [];
    const event =
      fields.length > 0
        ? await this.alerts.enterpriseOutboxStatements({
            enterprise: valid,
            version: version + 1,
            event: "enterprise.changed",
            fields,
          })
        : [];
    const [updated] = await this.db.batch([
      this.db
        .update(schema.enterprises)
        .set({
          name: valid.name,
          country: valid.country,
          data: valid,
          version: version + 1,
          updatedAt: valid.updatedAt,
        })
        .where(and(eq(schema.enterprises.id, valid.id), eq(schema.enterprises.version, version)))
        .returning({ id: schema.enterprises.id }),
      bumpRevision(this.db),
      ...event,
    ] as const);
    this.writes.committed++;
    if (updated.length === 0) {
      throw new AppError(
        "CONFLICT",
        `enterprise ${valid.id} was changed by someone else; reload and try again`,
      );
    }
    return valid;
  }
}

export class BuyerRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly writes: WriteCounter,
  ) {}

  async get(id: string): Promise<Buyer | undefined> {
    const rows = await this.db.select().from(schema.buyers).where(eq(schema.buyers.id, id));
    return rows[0] ? Buyer.parse(rows[0].data) : undefined;
  }

  async list(filter: {
    country?: string;
    q?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: Buyer[]; total: number }> {
    const where = and(
      filter.country ? eq(schema.buyers.country, filter.country) : undefined,
      filter.q ? sql`lower(${schema.buyers.name}) like ${`%${filter.q.toLowerCase()}%`}` : undefined,
    );
    const rows = await this.db
      .select({ data: schema.buyers.data })
      .from(schema.buyers)
      .where(where)
      .orderBy(asc(schema.buyers.country), asc(schema.buyers.name))
      .limit(filter.limit)
      .offset(filter.offset);
    const [count] = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(schema.buyers)
      .where(where);
    return { items: rows.map((r) => Buyer.parse(r.data)), total: Number(count?.n ?? 0) };
  }

  /** Creates or replaces buyers, all in one transaction. */
  async upsertMany(list: readonly Buyer[]): Promise<void> {
    const now = this.clock().toISOString();
    const statements = list.map((b) => {
      const buyer = Buyer.parse(b);
      return this.db
        .insert(schema.buyers)
        .values({
          id: buyer.id,
          name: buyer.name,
          country: buyer.country,
          municipalityCode: buyer.municipalityCode ?? null,
          data: buyer,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: schema.buyers.id,
          set: {
            name: buyer.name,
            country: buyer.country,
            municipalityCode: buyer.municipalityCode ?? null,
            data: buyer,
            updatedAt: now,
          },
        });
    });
    if (statements.length === 0) return;
    await inOneTransaction(this.db, [...statements, bumpRevision(this.db)]);
    this.writes.committed++;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)` }).from(schema.buyers);
    return Number(row?.n ?? 0);
  }
}

export class AccountRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates an account with its first token (already hashed); CONFLICT if the e-mail is taken. */
  async create(input: AccountInput, tokenHash: string): Promise<{ account: Account; tokenId: string }> {
    const account = AccountSchema.parse({
      ...input,
      id: crypto.randomUUID(),
      createdAt: this.clock().toISOString(),
    });
    const tokenId = crypto.randomUUID();
    try {
      await inOneTransaction(this.db, [
        this.db.insert(schema.accounts).values({
          id: account.id,
          email: account.email,
          role: account.role,
          enterpriseId: account.enterpriseId ?? null,
          buyerId: account.buyerId ?? null,
          createdAt: account.createdAt,
        }),
        this.db
          .insert(schema.apiTokens)
          .values({ id: tokenId, accountId: account.id, tokenHash, createdAt: account.createdAt }),
      ]);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("CONFLICT", `an account for ${account.email} already exists`);
      throw error;
    }
    return { account, tokenId };
  }

  /** Adds another token to an account (the old ones stay valid until revoked). */
  async addToken(accountId: string, tokenHash: string): Promise<string> {
    const tokenId = crypto.randomUUID();
    await this.db
      .insert(schema.apiTokens)
      .values({ id: tokenId, accountId, tokenHash, createdAt: this.clock().toISOString() });
    return tokenId;
  }

  async revokeTokens(accountId: string): Promise<number> {
    const rows = await this.db
      .update(schema.apiTokens)
      .set({ revokedAt: this.clock().toISOString() })
      .where(and(eq(schema.apiTokens.accountId, accountId), sql`${schema.apiTokens.revokedAt} IS NULL`))
      .returning({ id: schema.apiTokens.id });
    return rows.length;
  }

  async byTokenHash(tokenHash: string): Promise<{ account: Account; tokenId: string } | undefined> {
    const rows = await this.db
      .select({
        account: schema.accounts,
        tokenId: schema.apiTokens.id,
        revokedAt: schema.apiTokens.revokedAt,
      })
      .from(schema.apiTokens)
      .innerJoin(schema.accounts, eq(schema.accounts.id, schema.apiTokens.accountId))
      .where(eq(schema.apiTokens.tokenHash, tokenHash));
    const row = rows[0];
    if (!row || row.revokedAt) return undefined;
    return { account: toAccount(row.account), tokenId: row.tokenId };
  }

  async byEmail(email: string): Promise<Account | undefined> {
    const rows = await this.db
      .select()
      .from(schema.accounts)
      .where(eq(schema.accounts.email, email.toLowerCase()));
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  async get(id: string): Promise<Account | undefined> {
    const rows = await this.db.select().from(schema.accounts).where(eq(schema.accounts.id, id));
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  async list(): Promise<Account[]> {
    const rows = await this.db.select().from(schema.accounts).orderBy(asc(schema.accounts.createdAt));
    return rows.map(toAccount);
  }
}

function toAccount(row: typeof schema.accounts.$inferSelect): Account {
  return AccountSchema.parse({
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt,
    ...(row.enterpriseId ? { enterpriseId: row.enterpriseId } : {}),
    ...(row.buyerId ? { buyerId: row.buyerId } : {}),
  });
}
