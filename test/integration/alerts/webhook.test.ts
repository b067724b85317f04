/**
 * The webhook channel against a real HTTP receiver on 127.0.0.1 that verifies the signature over
 * the raw body bytes, as a subscriber's endpoint would, and records what it got.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAlertChannels, resolveHost } from "../../../src/alerts/channels.js";
import { type WebhookFetch, createWebhookChannel, verifySignature } from "../../../src/alerts/webhook.js";
import { createNodeWebhookFetch } from "../../../src/alerts/webhook-fetch.js";
import type { Subscription } from "../../../src/domain/subscription.js";
import { parseEnv } from "../../../src/env.js";
import { aPlannedTender, aSubscription, aTender, anAlert, anItem } from "../../support/alert-fixtures.js";

const SECRET = "receiver secret 0123456789";

interface Hit {
  path: string;
  key: string | undefined;
  event: string | undefined;
  contentType: string | undefined;
  userAgent: string | undefined;
  signatureValid: boolean;
  body: Record<string, unknown>;
}

const hits: Hit[] = [];
/** Per path, how many requests it has had (for "fail on the second one"). */
const counts = new Map<string, number>();
let server: Server;
let base: string;

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const raw = await readRaw(req);
  const signature = req.headers["x-jointbid-signature"];
  const signatureValid = await verifySignature(SECRET, raw, typeof signature === "string" ? signature : null);
  const n = (counts.get(path) ?? 0) + 1;
  counts.set(path, n);
  hits.push({
    path,
    key: req.headers["idempotency-key"] as string | undefined,
    event: req.headers["x-jointbid-event"] as string | undefined,
    contentType: req.headers["content-type"],
    userAgent: req.headers["user-agent"],
    signatureValid,
    body: JSON.parse(raw.toString("utf8")) as Record<string, unknown>,
  });
  if (!signatureValid) {
    res.writeHead(401).end("bad signature");
    return;
  }
  switch (path) {
    case "/ok":
      res.writeHead(204).end();
      return;
    case "/accepted":
      res.writeHead(202, { "content-type": "text/plain" }).end("queued");
      return;
    case "/bad":
      res.writeHead(400).end("no");
      return;
    case "/gone":
      res.writeHead(410).end();
      return;
    case "/busy":
      res.writeHead(503).end();
      return;
    case "/rate":
      res.writeHead(429, { "retry-after": "60" }).end();
      return;
    case "/request-timeout":
      res.writeHead(408).end();
      return;
    case "/redirect":
      res.writeHead(302, { location: `${base}/ok` }).end();
      return;
    case "/slow":
      setTimeout(() => {
        if (!res.writableEnded) res.writeHead(200).end();
      }, 3_000);
      return;
    case "/second-fails":
      res.writeHead(n === 2 ? 500 : 200).end();
      return;
    default:
      res.writeHead(404).end();
  }
}

function hookSubscription(path: string, secret = SECRET): Subscription {
  return aSubscription({}, { type: "webhook", url: `${base}${path}`, secret });
}

/** What sends the request: the global fetch (as on Workers), and the Node channel's connect-time guard. */
const transports: [name: string, fetch: WebhookFetch | undefined][] = [
  ["global fetch", undefined],
  ["Node guarded fetch", createNodeWebhookFetch({ allowPrivate: true, resolve: resolveHost })],
];

let transport: WebhookFetch | undefined;
const channel = (timeoutMs = 2_000) =>
  createWebhookChannel({ allowPrivate: true, timeoutMs, ...(transport ? { fetch: transport } : {}) });

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits.length = 0;
  counts.clear();
});

describe.each(transports)("webhook delivery (%s)", (_, sendWith) => {
  beforeEach(() => {
    transport = sendWith;
  });

  it("POSTs the signed JSON body with its headers; 2xx is delivered", async () => {
    const item = anItem("tender.new", aTender(), { idempotencyKey: "key-ok-1" });
    const alert = anAlert([item], { subscription: hookSubscription("/ok") });
    const result = await channel().send(alert);
    expect(result).toEqual({ ok: true, detail: "HTTP 204" });
    expect(hits).toHaveLength(1);
    const hit = hits[0];
    expect(hit?.signatureValid).toBe(true);
    expect(hit?.key).toBe("key-ok-1");
    expect(hit?.event).toBe("tender.new");
    expect(hit?.contentType).toBe("application/json");
    expect(hit?.userAgent).toMatch(/^jointbid-webhooks\//);
    expect(hit?.body).toMatchObject({
      event: "tender.new",
      subscriptionId: "sub_1",
      deliveredAt: alert.deliveredAt,
      idempotencyKey: "key-ok-1",
      version: 1,
      link: item.link,
    });
    expect((hit?.body.tender as { id: string }).id).toBe("udbud:2027-0042");
  });

  it("signs with the subscription's secret: the receiver rejects another one", async () => {
    const alert = anAlert([anItem()], { subscription: hookSubscription("/ok", "some other secret 123") });
    const result = await channel().send(alert);
    expect(result).toMatchObject({ ok: false, retryable: false, error: "HTTP 401" });
    expect(hits[0]?.signatureValid).toBe(false);
  });

  it("posts each item of a digest with its own key, in order", async () => {
    const items = [
      anItem("tender.new", aTender(), { idempotencyKey: "d-1" }),
      anItem("tender.changed", aTender(), {
        idempotencyKey: "d-2",
        changes: [{ field: "deadline", from: null, to: "2027-05-12T10:00:00Z" }],
      }),
      anItem("tender.published", aPlannedTender(), {
        idempotencyKey: "d-3",
        publishedAs: { id: "udbud:2027-0042", title: "Rengøring", link: "https://x.example/t" },
      }),
    ];
    const subscription = { ...hookSubscription("/accepted"), frequency: "daily" as const };
    const result = await channel().send(anAlert(items, { subscription, key: "digest" }));
    expect(result.ok).toBe(true);
    expect(hits.map((h) => [h.key, h.event])).toEqual([
      ["d-1", "tender.new"],
      ["d-2", "tender.changed"],
      ["d-3", "tender.published"],
    ]);
    expect(hits.every((h) => h.signatureValid)).toBe(true);
    expect(hits[1]?.body.changes).toEqual([{ field: "deadline", from: null, to: "2027-05-12T10:00:00Z" }]);
    expect(hits[2]?.body.publishedAs).toMatchObject({ id: "udbud:2027-0042" });
  });

  it("stops a digest at the first failure; the retry resends the same keys", async () => {
    const items = ["r-1", "r-2", "r-3"].map((k) => anItem("tender.new", aTender(), { idempotencyKey: k }));
    const alert = anAlert(items, { subscription: hookSubscription("/second-fails") });
    const first = await channel().send(alert);
    expect(first).toMatchObject({ ok: false, retryable: true, error: "item 2 of 3: HTTP 500" });
    const second = await channel().send(alert);
    expect(second.ok).toBe(true);
    expect(hits.map((h) => h.key)).toEqual(["r-1", "r-2", "r-1", "r-2", "r-3"]);
  });

  const outcomes: [path: string, retryable: boolean, error: RegExp][] = [
    ["/bad", false, /^HTTP 400$/],
    ["/gone", false, /^HTTP 410$/],
    ["/nowhere", false, /^HTTP 404$/],
    ["/busy", true, /^HTTP 503$/],
    ["/rate", true, /^HTTP 429$/],
    ["/request-timeout", true, /^HTTP 408$/],
    ["/redirect", false, /^HTTP 302: redirect to http:\/\/127\.0\.0\.1:\d+\/ok not followed$/],
  ];
  for (const [path, retryable, error] of outcomes) {
    it(`${path}: ${retryable ? "retried" : "not retried"}`, async () => {
      const result = await channel().send(anAlert([anItem()], { subscription: hookSubscription(path) }));
      expect(result).toMatchObject({ ok: false, retryable });
      if (!result.ok) expect(result.error).toMatch(error);
    });
  }

  it("does not follow a redirect", async () => {
    await channel().send(anAlert([anItem()], { subscription: hookSubscription("/redirect") }));
    expect(hits.map((h) => h.path)).toEqual(["/redirect"]);
  });

  it("times out a slow receiver and retries later", async () => {
    const started = Date.now();
    const result = await channel(200).send(anAlert([anItem()], { subscription: hookSubscription("/slow") }));
    expect(result).toEqual({ ok: false, retryable: true, error: "timed out after 200 ms" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("retries when nothing listens", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const subscription = aSubscription(
      {},
      { type: "webhook", url: `http://127.0.0.1:${port}/x`, secret: SECRET },
    );
    const result = await channel().send(anAlert([anItem()], { subscription }));
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toMatch(/^network: /);
  });
});

describe("webhook targets on private addresses", () => {
  beforeEach(() => {
    transport = undefined;
  });

  it("refuses 127.0.0.1 without allowPrivate, without sending anything", async () => {
    const refusing = createWebhookChannel({ allowPrivate: false });
    const result = await refusing.send(anAlert([anItem()], { subscription: hookSubscription("/ok") }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.error).toContain("not a public address");
    expect(hits).toHaveLength(0);
  });

  it("refuses a name that resolves to 127.0.0.1 (through the system resolver on Node)", async () => {
    const { webhook } = createAlertChannels(parseEnv({}), {
      resolve: async () => ["127.0.0.1"],
    });
    const port = new URL(base).port;
    const subscription = aSubscription(
      {},
      { type: "webhook", url: `http://hooks.example.org:${port}/ok`, secret: SECRET },
    );
    const result = await webhook.send(anAlert([anItem()], { subscription }));
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (!result.ok) expect(result.error).toContain("resolves to 127.0.0.1");
    expect(hits).toHaveLength(0);
  });

  it("delivers to 127.0.0.1 with ALLOW_PRIVATE_WEBHOOKS=true", async () => {
    const { webhook } = createAlertChannels(parseEnv({ ALLOW_PRIVATE_WEBHOOKS: "true" }));
    const result = await webhook.send(anAlert([anItem()], { subscription: hookSubscription("/ok") }));
    expect(result.ok).toBe(true);
    expect(hits).toHaveLength(1);
  });

  it("refuses a subscription whose channel is e-mail", async () => {
    const result = await channel().send(anAlert([anItem()]));
    expect(result).toMatchObject({ ok: false, retryable: false });
  });
});
