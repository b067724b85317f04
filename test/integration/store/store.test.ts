import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../../src/domain/errors.js";
import { Enterprise } from "../../../src/domain/enterprise.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import type { Store } from "../../../src/store/store.js";
import { TENDERS } from "../../fixtures/search/corpus.js";

const first = TENDERS[0];
if (!first) throw new Error("fixture");

describe("store (SQLite through libsql)", () => {
  let dir: string;
  let store: Store;
  let now = new Date("2026-11-01T10:00:00Z");

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-store-"));
    store = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a tender once and does not touch it when the same content comes again", async () => {
    expect((await store.tenders.upsert(first, "crawler-a")).outcome).toBe("created");
    const again = await store.tenders.upsert(
      { ...first, lastChanged: "2026-11-02T00:00:00.000Z" },
      "crawler-a",
    );
    expect(again.outcome).toBe("unchanged");
    expect(again.version).toBe(1);
    expect(await store.tenders.history(first.id)).toEqual([]);
  });

  it("keeps every previous version with what changed, when and from which source", async () => {
    await store.tenders.upsert(first, "crawler-a");
    now = new Date("2026-11-03T08:00:00Z");
    await store.tenders.upsert({ ...first, title: "Rengøring af skoler", stage: "open" }, "crawler-b");
    now = new Date("2026-11-04T08:00:00Z");
    const third = await store.tenders.upsert(
      { ...first, title: "Rengøring af skoler", stage: "awarded" },
      "api:42",
    );
    expect(third).toMatchObject({ outcome: "changed", version: 3 });
    const history = await store.tenders.history(first.id);
    expect(history.map((h) => [h.version, h.source, h.changedAt, h.changes.map((c) => c.field)])).toEqual([
      [1, "crawler-b", "2026-11-03T08:00:00.000Z", ["stage", "title"]],
      [2, "api:42", "2026-11-04T08:00:00.000Z", ["stage"]],
    ]);
    expect(history[0]?.previous).toEqual(first);
    expect(history[1]?.changes[0]).toEqual({ field: "stage", from: "open", to: "awarded" });
    expect((await store.tenders.get(first.id))?.tender.firstSeen).toBe(first.firstSeen);
  });

  it("lets only one of two writers that read the same version win; the other learns it lost", async () => {
    await store.tenders.upsert(first, "a");
    const read1 = await store.tenders.get(first.id);
    const read2 = await store.tenders.get(first.id);
    if (!read1 || !read2) throw new Error("not stored");
    const [r1, r2] = await Promise.all([
      store.tenders.replace(read1, { ...first, title: "Writer one" }, "one"),
      store.tenders.replace(read2, { ...first, title: "Writer two" }, "two"),
    ]);
    const winners = [r1, r2].filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    const stored = await store.tenders.get(first.id);
    expect(stored?.version).toBe(2);
    expect(stored?.tender.title).toBe(winners[0]?.tender.title);
    expect(await store.tenders.history(first.id)).toHaveLength(1);
  });

  it("writes an enterprise and the account link together, or neither", async () => {
    const { account } = await store.accounts.create({ email: "a@example.org", role: "enterprise" }, "hash-a");
    const e = Enterprise.parse({
      id: "taken",
      name: "Taken",
      country: "DK",
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    await store.enterprises.create(e);
    await expect(store.enterprises.create(e, account.id)).rejects.toSatisfy(
      (err: unknown) => err instanceof AppError && err.code === "CONFLICT",
    );
    expect((await store.accounts.get(account.id))?.enterpriseId).toBeUndefined();
    await store.enterprises.create({ ...e, id: "free" }, account.id);
    expect((await store.accounts.get(account.id))?.enterpriseId).toBe("free");
  });

  it("refuses a second account with the same e-mail, whatever its case", async () => {
    await store.accounts.create({ email: "Same@Example.org", role: "coordinator" }, "h1");
    await expect(store.accounts.create({ email: "same@example.org", role: "admin" }, "h2")).rejects.toSatisfy(
      (err: unknown) => err instanceof AppError && err.code === "CONFLICT",
    );
    expect(await store.accounts.list()).toHaveLength(1);
  });

  it("counts a revision on every write, so readers can tell they are stale", async () => {
    const r0 = await store.revision();
    await store.tenders.upsert(first, "a");
    const r1 = await store.revision();
    await store.tenders.upsert(first, "a");
    expect(await store.revision()).toBe(r1);
    await store.tenders.upsert({ ...first, title: "x" }, "a");
    expect(r1).toBeGreaterThan(r0);
    expect(await store.revision()).toBeGreaterThan(r1);
  });

  it("tells its own writes from another process's on the same database", async () => {
    const other = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
    try {
      const before = await store.revision();
      await store.tenders.upsert(first, "a");
      await store.tenders.upsert(first, "a");
      expect(store.ownWrites()).toBe(1);
      expect(await store.revision()).toBe(before + store.ownWrites());
      await other.tenders.upsert({ ...first, title: "Skrevet af en anden" }, "b");
      expect(store.ownWrites()).toBe(1);
      expect(await store.revision()).toBe(before + store.ownWrites() + other.ownWrites());
    } finally {
      await other.close();
    }
  });

  it("pages through all tenders in id order", async () => {
    for (const t of TENDERS) await store.tenders.upsert(t, "a");
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.tenders.page(after, 5);
      if (page.length === 0) break;
      seen.push(...page.map((t) => t.id));
      after = page.at(-1)?.id;
    }
    expect(seen).toEqual(TENDERS.map((t) => t.id).sort());
  });
});
