/**
 * DNS rebinding on Node: a host name whose DNS answer is public when the channel checks it and
 * private when the request connects. The Node channel (channels.ts) must refuse it at connect
 * time, before a byte reaches a real HTTP receiver on 127.0.0.1, and the delivery job must make
 * the delivery a dead letter with the reason, not retry it; ALLOW_PRIVATE_WEBHOOKS lets it through.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAlertChannels } from "../../../src/alerts/channels.js";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import { WebhookTargetRefusedError, verifySignature } from "../../../src/alerts/webhook.js";
import { createNodeWebhookFetch } from "../../../src/alerts/webhook-fetch.js";
import type { Subscription } from "../../../src/domain/subscription.js";
import { parseEnv } from "../../../src/env.js";
import { silentLogger } from "../../../src/logger.js";
import { createEmbeddedSearchEngine } from "../../../src/search/embedded/embedded.engine.js";
import { SearchIndexer } from "../../../src/search/indexer.js";
import { openLibsqlStore } from "../../../src/store/libsql.js";
import type { Store } from "../../../src/store/store.js";
import { aSubscription, anAlert, anItem } from "../../support/alert-fixtures.js";
import { account, allDeliveries, subscribe, tender } from "./support.js";

const SECRET = "receiver secret 0123456789";
const HOST = "hooks.example.org";
const PUBLIC = "93.184.215.14";

const hits: { path: string; host: string | undefined; signed: boolean }[] = [];
let receiver: Server;
let port: number;

/** A resolver whose answers change from call to call (the last one repeats); records the calls. */
function rebinding(...answers: (string[] | Error)[]) {
  const calls: string[] = [];
  const resolve = async (host: string): Promise<string[]> => {
    calls.push(host);
    const answer = answers[Math.min(calls.length, answers.length) - 1] ?? [];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { resolve, calls };
}

const hookUrl = (path = "/hook") => `http://${HOST}:${port}${path}`;

function hookSubscription(path?: string): Subscription {
  return aSubscription({}, { type: "webhook", url: hookUrl(path), secret: SECRET });
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const signature = req.headers["x-jointbid-signature"];
      void verifySignature(SECRET, Buffer.concat(chunks), typeof signature === "string" ? signature : null)
        .then((signed) => {
          hits.push({ path: new URL(req.url ?? "/", "http://x").pathname, host: req.headers.host, signed });
          res.writeHead(204).end();
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

beforeEach(() => {
  hits.length = 0;
});

describe("webhooks against DNS rebinding (Node channel)", () => {
  it("refuses a name that is public at the check and 127.0.0.1 at the connection; nothing is sent", async () => {
    const dns = rebinding([PUBLIC], ["127.0.0.1"]);
    const { webhook } = createAlertChannels(parseEnv({}), { resolve: dns.resolve });
    const result = await webhook.send(anAlert([anItem()], { subscription: hookSubscription() }));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: `webhook target refused: ${HOST} resolved to 127.0.0.1 when connecting, not a public address (set ALLOW_PRIVATE_WEBHOOKS=true to allow)`,
    });
    // The check passed on the public answer; the connection asked again and was refused.
    expect(dns.calls).toEqual([HOST, HOST]);
    expect(hits).toHaveLength(0);
  });

  it("refuses a connection whose answer mixes a public and a private address", async () => {
    const dns = rebinding([PUBLIC], [PUBLIC, "127.0.0.1"]);
    const { webhook } = createAlertChannels(parseEnv({}), { resolve: dns.resolve });
    const result = await webhook.send(anAlert([anItem()], { subscription: hookSubscription() }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.error).toContain("resolved to 127.0.0.1 when connecting");
    expect(hits).toHaveLength(0);
  });

  it("retries (as a network error) a name that stops resolving at the connection", async () => {
    const gone = Object.assign(new Error(`getaddrinfo ENOTFOUND ${HOST}`), { code: "ENOTFOUND" });
    const { webhook } = createAlertChannels(parseEnv({}), { resolve: rebinding([PUBLIC], gone).resolve });
    const result = await webhook.send(anAlert([anItem()], { subscription: hookSubscription() }));
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toMatch(/^network: .*ENOTFOUND/);
    expect(hits).toHaveLength(0);
  });

  it("with ALLOW_PRIVATE_WEBHOOKS=true the same name reaches the receiver, signed, under its name", async () => {
    // Nothing is checked before the request, so the connection's lookup is the only one.
    const dns = rebinding(["127.0.0.1"]);
    const { webhook } = createAlertChannels(parseEnv({ ALLOW_PRIVATE_WEBHOOKS: "true" }), {
      resolve: dns.resolve,
    });
    const result = await webhook.send(anAlert([anItem()], { subscription: hookSubscription("/allowed") }));
    expect(result).toEqual({ ok: true, detail: "HTTP 204" });
    expect(dns.calls).toEqual([HOST]);
    expect(hits).toEqual([{ path: "/allowed", host: `${HOST}:${port}`, signed: true }]);
  });

  it("the guarded fetch on its own refuses a private literal address before connecting", async () => {
    const guarded = createNodeWebhookFetch({ allowPrivate: false, resolve: rebinding([PUBLIC]).resolve });
    const sent = guarded(`http://127.0.0.1:${port}/literal`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
      redirect: "manual",
      signal: AbortSignal.timeout(2_000),
    });
    await expect(sent).rejects.toBeInstanceOf(WebhookTargetRefusedError);
    expect(hits).toHaveLength(0);
  });
});

describe("alerts:deliver with a rebinding webhook host", () => {
  let dir: string;
  let store: Store;
  const now = new Date("2026-11-02T09:00:00.000Z");

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "jointbid-rebinding-"));
    store = await openLibsqlStore({ url: `file:${join(dir, "s.db")}`, clock: () => now });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes the delivery a dead letter at once, with the refusal as its last error", async () => {
    const owner = await account(store);
    await subscribe(store, owner, {
      filters: { cpv: ["909"] },
      channel: { type: "webhook", url: hookUrl(), secret: SECRET },
    });
    await store.tenders.create(tender(), "test");
    const search = createEmbeddedSearchEngine();
    const dns = rebinding([PUBLIC], ["127.0.0.1"]);
    const summary = await deliverAlerts(
      {
        store,
        search,
        indexer: new SearchIndexer(search, silentLogger),
        clock: () => now,
        logger: silentLogger,
        alerts: {
          channels: createAlertChannels(parseEnv({}), { resolve: dns.resolve }),
          baseUrl: "https://jointbid.example.org",
        },
      },
      now,
      { random: () => 1 },
    );
    expect(summary).toMatchObject({ messages: 1, sent: 0, retried: 0, dead: 1 });
    const deliveries = await allDeliveries(store);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: "dead", attempts: 1 });
    expect(deliveries[0]?.lastError).toContain(`${HOST} resolved to 127.0.0.1 when connecting`);
    expect(hits).toHaveLength(0);
  });
});
