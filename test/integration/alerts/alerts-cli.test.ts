import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import { runCli } from "../../support/process.js";
import { account, allDeliveries, subscribe, tender } from "./support.js";

/** `npm run --silent cli -- alerts deliver [--json]`: runs the delivery job once. */
describe("cli alerts deliver", () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-alerts-cli-"));
    env = { DATABASE_URL: `file:${join(dir, "cli.db")}`, MAIL_OUTBOX_DIR: join(dir, "outbox") };
    const store = await openLibsqlStore({ url: env.DATABASE_URL ?? "" });
    try {
      await subscribe(store, await account(store));
      await store.tenders.create(tender(), "test");
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 with a JSON summary of what it planned and sent", async () => {
    const res = await runCli(["alerts", "deliver", "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      at: expect.any(String),
      fanOut: { events: 1, planned: 0, failed: 0 },
      channels: expect.any(Boolean),
      claimed: expect.any(Number),
      messages: expect.any(Number),
      sent: expect.any(Number),
      retried: expect.any(Number),
      dead: expect.any(Number),
    });
    const store = await openLibsqlStore({ url: env.DATABASE_URL ?? "" });
    try {
      const [delivery] = await allDeliveries(store);
      // Sent when the runtime wires channels; still pending (and said so) when it does not.
      if (summary.channels) expect(delivery?.status).toBe("sent");
      else {
        expect(delivery?.status).toBe("pending");
        expect(summary.note).toMatch(/no alert channels/);
      }
    } finally {
      await store.close();
    }
    const again = await runCli(["alerts", "deliver", "--json"], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ fanOut: { events: 0 } });
  });

  it("prints a line without --json and refuses wrong usage with exit 2", async () => {
    const text = await runCli(["alerts", "deliver"], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^alerts: 0 events planned/);
    expect((await runCli(["alerts", "send"], env)).code).toBe(2);
    expect((await runCli(["alerts", "deliver", "--lease", "soon"], env)).code).toBe(2);
  });
});
