import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.js";
import { silentLogger } from "../../../src/logger.js";
import { nodeDocsAssets } from "../../../src/node-runtime.js";
import { createRateLimiter } from "../../../src/routes/middleware/rate-limit.js";
import { createEmbeddedSearchEngine } from "../../../src/search/embedded/embedded.engine.js";
import { SearchIndexer } from "../../../src/search/indexer.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import { runCli } from "../../support/process.js";

describe("command line", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-cli-"));
    env = { DATABASE_URL: `file:${join(dir, "cli.db")}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates an account and prints exactly {id, token} JSON whose token works against the API", async () => {
    const res = await runCli(
      [
        "account",
        "create",
        "--email",
        "Indkob@Aarhus.example",
        "--role",
        "buyer",
        "--buyer",
        "dk-0751",
        "--json",
      ],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const printed = JSON.parse(res.stdout) as { id: string; token: string; email: string; buyerId: string };
    expect(res.stdout.trim().split("\n")).toHaveLength(1);
    expect(printed).toMatchObject({ email: "indkob@aarhus.example", role: "buyer", buyerId: "dk-0751" });
    expect(printed.token.length).toBeGreaterThanOrEqual(40);

    const store = await openLibsqlStore({ url: env.DATABASE_URL ?? "" });
    try {
      const search = createEmbeddedSearchEngine();
      const app = createApp({
        store,
        search,
        indexer: new SearchIndexer(search, silentLogger),
        clock: () => new Date(),
        logger: silentLogger,
        config: {
          publicBaseUrl: "http://127.0.0.1",
          writeRatePerIp: 100,
          writeRatePerToken: 100,
          version: "test",
        },
        clientAddress: () => "127.0.0.1",
        docsAssets: nodeDocsAssets(),
        rateLimiter: createRateLimiter(),
      });
      const me = await app.request("/api/me", { headers: { authorization: `Bearer ${printed.token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: printed.id, role: "buyer", buyerId: "dk-0751" });
      const dump = JSON.stringify(await store.accounts.list());
      expect(dump).not.toContain(printed.token);
    } finally {
      await store.close();
    }
  });

  it("refuses a second account with the same e-mail (exit 1) and wrong usage (exit 2), writing nothing", async () => {
    const dup = await runCli(
      ["account", "create", "--email", "indkob@aarhus.example", "--role", "admin", "--json"],
      env,
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already exists");
    expect(dup.stdout).toBe("");

    const badRole = await runCli(["account", "create", "--email", "x@example.org", "--role", "mayor"], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/role/);
    const noBuyer = await runCli(["account", "create", "--email", "y@example.org", "--role", "buyer"], env);
    expect(noBuyer.code).toBe(2);
    expect(noBuyer.stderr).toContain("--buyer");
    const unknownBuyer = await runCli(
      ["account", "create", "--email", "z@example.org", "--role", "buyer", "--buyer", "dk-0000"],
      env,
    );
    expect(unknownBuyer.code).toBe(1);
    expect(unknownBuyer.stderr).toContain("no buyer dk-0000");
    const unknownCommand = await runCli(["frobnicate"], env);
    expect(unknownCommand.code).toBe(2);

    const list = await runCli(["account", "list", "--json"], env);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
  });

  it("issues a new token and revokes them all", async () => {
    const token = await runCli(["account", "token", "--email", "indkob@aarhus.example", "--json"], env);
    expect(token.code).toBe(0);
    const revoke = await runCli(["account", "revoke", "--email", "indkob@aarhus.example", "--json"], env);
    expect(JSON.parse(revoke.stdout)).toMatchObject({ revoked: 2 });
  });

  it("loads the demo data once: a second run writes nothing", async () => {
    const first = await runCli(["demo", "load", "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as { enterprises: number; tenders: number };
    expect(summary.enterprises).toBeGreaterThan(5);
    expect(summary.tenders).toBeGreaterThan(5);
    const second = await runCli(["demo", "load", "--json"], env);
    const again = JSON.parse(second.stdout) as {
      notices: { source: string; new: number; changed: number }[];
    };
    expect(again).toMatchObject({ buyers: 0, enterprises: 0, tenders: 0 });
    // The real notices are read again through the parsers and change nothing either.
    expect(again.notices.map((n) => n.source)).toEqual([
      "demo-ted",
      "demo-eforms-examples",
      "demo-eforms-norway",
      "demo-ocds-uk",
    ]);
    for (const n of again.notices) expect([n.source, n.new, n.changed]).toEqual([n.source, 0, 0]);
  });

  it("says the embedded engine has nothing to sync, and rebuilds its index from the store", async () => {
    const sync = await runCli(["index", "sync", "--json"], env);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ engine: "embedded" });
    const rebuild = await runCli(["index", "rebuild", "--json"], env);
    expect(rebuild.code).toBe(0);
    const counts = JSON.parse(rebuild.stdout) as { tenders: number; enterprises: number };
    expect(counts.tenders).toBeGreaterThan(5);
  });
});
