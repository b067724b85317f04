/**
 * The crash test of the outbox: `cli alerts deliver` is killed with SIGKILL in the middle of a
 * batch of webhook deliveries, then run again until the outbox is empty; over 20 rounds every
 * alert arrives at a real HTTP receiver on 127.0.0.1 (which checks each signature), and after
 * deduplication by `Idempotency-Key` none arrives twice. A key may arrive more than once only
 * when the process died after the receiver had it and before it was marked sent: those repeats
 * are counted and may only be keys that were in flight at the kill.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../../src/alerts/webhook.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import type { Store } from "../../../src/store/store.js";
import { PROJECT_ROOT } from "../../support/process.js";
import { account, subscribe, tender } from "./support.js";

const ROUNDS = 20;
const TENDERS_PER_ROUND = 6;
const SUBSCRIPTIONS = 2;
const SECRET = "a secret of sixteen or more";
const LEASE_SECONDS = 1;

interface Received {
  key: string;
  round: number;
}

describe("alerts outbox under SIGKILL", () => {
  let dir: string;
  let dbUrl: string;
  let store: Store;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let badSignatures = 0;
  /** Called on each request before it is answered (the kill switch of a round). */
  let onRequest: (count: number) => void = () => undefined;
  let round = 0;
  let accountId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-crash-"));
    dbUrl = `file:${join(dir, "alerts.db")}`;
    store = await openLibsqlStore({ url: dbUrl, clock: () => new Date() });
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void (async () => {
          const raw = Buffer.concat(chunks);
          const ok = await verifySignature(SECRET, raw, String(req.headers["x-jointbid-signature"] ?? ""));
          if (!ok) badSignatures++;
          received.push({ key: String(req.headers["idempotency-key"]), round });
          onRequest(received.filter((r) => r.round === round).length);
          // Slow enough that a batch is still going when the kill comes.
          setTimeout(() => {
            if (!res.destroyed) res.writeHead(ok ? 200 : 401).end();
          }, 40);
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    accountId = await account(store);
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      await subscribe(store, accountId, {
        name: `Crash ${i}`,
        filters: { countries: ["DK"], reservedOnly: false },
        channel: { type: "webhook", url, secret: SECRET },
      });
    }
  });

  afterAll(async () => {
    await store.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  function deliver(): { child: ChildProcess; done: Promise<number | null> } {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", "alerts", "deliver", "--json", "--lease", String(LEASE_SECONDS)],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATABASE_URL: dbUrl, ALLOW_PRIVATE_WEBHOOKS: "true", LOG_LEVEL: "error" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    return { child, done };
  }

  async function pendingCount(): Promise<number> {
    const rows = await store.db.query.alertDeliveries.findMany();
    return rows.filter((r) => r.status === "pending").length;
  }

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    "round %i: killed mid-batch, every alert still arrives, none twice after deduplication",
    async (n) => {
      round = n;
      const expected = new Set<string>();
      const before = new Set((await store.db.query.alertDeliveries.findMany()).map((d) => d.idempotencyKey));
      for (let i = 0; i < TENDERS_PER_ROUND; i++) {
        const now = new Date().toISOString();
        await store.tenders.create(
          tender({
            id: `crash:r${n}-t${i}`,
            title: `Rengøring runde ${n} nr. ${i}`,
            firstSeen: now,
            lastChanged: now,
          }),
          "crash-test",
        );
      }
      for (const d of await store.db.query.alertDeliveries.findMany())
        if (!before.has(d.idempotencyKey)) expected.add(d.idempotencyKey);
      expect(expected.size).toBe(TENDERS_PER_ROUND * SUBSCRIPTIONS);

      // Kill on a request chosen by the round: somewhere inside the batch, never the last one.
      const killAt = 1 + (n % (expected.size - 1));
      const first = deliver();
      let killed = false;
      onRequest = (count) => {
        if (count === killAt && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      };
      await first.done;
      onRequest = () => undefined;
      expect(killed).toBe(true);
      const atKill = received.filter((r) => r.round === n).length;
      expect(atKill).toBeLessThan(expected.size);

      // Restart until the outbox is empty (leases of the killed run end after a second).
      for (let attempt = 0; attempt < 6 && (await pendingCount()) > 0; attempt++) {
        await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 100));
        expect(await deliver().done).toBe(0);
      }
      expect(await pendingCount()).toBe(0);

      const keys = received.filter((r) => r.round === n).map((r) => r.key);
      expect(new Set(keys)).toEqual(expected);
      // Repeats only of what the killed run had in flight: at most the messages it had started.
      expect(keys.length - new Set(keys).size).toBeLessThanOrEqual(atKill);
      expect(badSignatures).toBe(0);
    },
  );

  it("marked every delivery of every round sent exactly once in the store", async () => {
    const rows = await store.db.query.alertDeliveries.findMany();
    expect(rows).toHaveLength(ROUNDS * TENDERS_PER_ROUND * SUBSCRIPTIONS);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const distinct = new Set(received.map((r) => r.key));
    expect(distinct.size).toBe(rows.length);
  });
});
