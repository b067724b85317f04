import { APP_VERSION } from "../version.js";
import type { AlertChannel, AlertItem, ChannelResult, OutgoingAlert } from "./channel.port.js";
import { classifyStatus, errorText, isTimeout } from "./http-answer.js";

/**
 * Signed webhooks. Runs on Node and Workers alike (fetch, Web Crypto, AbortSignal; no node:
 * imports): the Node wiring (channels.ts) injects a DNS resolver, the Worker checks literal hosts
 * only.
 *
 * A message is one POST per item: a daily digest of three items is three POSTs, each with its
 * item's `Idempotency-Key`, sent in order. The first failure stops the message; the delivery job
 * retries the whole message later, so items already accepted arrive again with the same key, and
 * a receiver that keeps the keys it has seen drops them.
 *
 * Body: `{event, subscriptionId, tender, deliveredAt}` plus `idempotencyKey`, `version`,
 * `occurredAt`, `link` and, by event, `changes`, `publishedAs` or `consortium`.
 * Headers: `Content-Type: application/json`, `User-Agent`, `X-Jointbid-Event`, `Idempotency-Key`,
 * `X-Jointbid-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the
 * subscription's secret>`.
 *
 * Outcome: 2xx delivered; 408, 429, 5xx, network errors and timeouts are retried; a redirect
 * (never followed) and any other 4xx are not. Targets on loopback, private, link-local,
 * unique-local, CGNAT, multicast, reserved or unspecified addresses are refused (not retried)
 * unless `allowPrivate`.
 *
 * DNS rebinding: the check below resolves the name, and the request resolves it again, so a name
 * whose answer changes in between could reach a private address. On Node the channel is given a
 * fetch (webhook-fetch.ts) that checks, at connect time, the very addresses it connects to and
 * fails with `WebhookTargetRefusedError`, which is refused like the check's refusal. With another
 * fetch (the Worker's, where a name cannot be resolved before or during the request) only the
 * check below applies; deployments that must rule rebinding out there send webhooks through an
 * egress proxy that enforces it.
 */

/**
 * What the channel needs of fetch: one POST whose redirect is not followed, aborted by `signal`;
 * only the status, the Location header and releasing the body are used. The global fetch is one.
 */
export type WebhookFetch = (
  url: string,
  init: {
    method: "POST";
    headers: Record<string, string>;
    body: string;
    redirect: "manual";
    signal: AbortSignal;
  },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  body: { cancel(): Promise<void> } | null;
}>;

export interface WebhookChannelOptions {
  /** Allow targets on non-public addresses (local development, tests). */
  allowPrivate: boolean;
  /** Default: the global fetch. On Node, channels.ts passes the connect-time guard of webhook-fetch.ts. */
  fetch?: WebhookFetch;
  /** Per request, default 10 000. */
  timeoutMs?: number;
  /** Host name → its addresses (node:dns on Node). Without it only literal addresses are checked. */
  resolve?: (host: string) => Promise<string[]>;
  userAgent?: string;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

const encoder = new TextEncoder();

function bytesOf(body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof body === "string" ? encoder.encode(body) : new Uint8Array(body);
}

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    usage,
  ]);
}

/** `sha256=<hex>`: the HMAC-SHA256 of the body bytes (a string is taken as UTF-8), keyed with `secret`. */
export async function signBody(secret: string, body: string | Uint8Array): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), bytesOf(body));
  return `sha256=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Whether `header` (`sha256=<hex>`) is the signature of the raw body bytes with `secret`. The
 * comparison is Web Crypto's HMAC verify, which takes the same time whatever the bytes.
 * Receivers must verify the bytes they received, before parsing the JSON.
 */
export async function verifySignature(
  secret: string,
  body: string | Uint8Array,
  header: string | null | undefined,
): Promise<boolean> {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? "");
  const hex = match?.[1];
  if (!hex) return false;
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), signature, bytesOf(body));
}

// ---------------------------------------------------------------------------------------------
// Addresses

/**
 * An IPv4 address in any form the URL standard and inet_aton accept: dotted quad, fewer parts
 * ("127.1"), one number ("2130706433"), octal ("0177.0.0.1") and hex ("0x7f.0.0.1") parts, a
 * trailing dot. Four bytes, or undefined when `input` is not such an address.
 */
export function parseIPv4(input: string): number[] | undefined {
  const parts = input.split(".");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return undefined;
    if (!Number.isSafeInteger(value)) return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() ?? 0;
  if (numbers.some((n) => n > 255)) return undefined;
  if (last >= 256 ** (4 - numbers.length)) return undefined;
  const bytes = [...numbers];
  for (let i = 3 - numbers.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes;
}

/** An IPv6 address (brackets and a zone id allowed, an IPv4 tail too): 16 bytes, or undefined. */
export function parseIPv6(input: string): number[] | undefined {
  let text = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(":")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (half === undefined || half === "") return [];
    const out: number[] = [];
    const pieces = half.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? "";
      if (i === pieces.length - 1 && piece.includes(".")) {
        if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(piece)) return undefined;
        const v4 = piece.split(".").map(Number);
        if (v4.some((n) => n > 255)) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let all: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

type Range = readonly [bytes: readonly number[], prefix: number];

function inRange(bytes: readonly number[], [base, prefix]: Range): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[i] ?? 0) & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const PRIVATE_V4: readonly Range[] = [
  [[0, 0, 0, 0], 8], // "this network", unspecified
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local (cloud metadata services live here)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

const v6 = (text: string): number[] => parseIPv6(text) ?? [];

/** IPv6 ranges that are not the public internet. */
const PRIVATE_V6: readonly Range[] = [
  [v6("::"), 128], // unspecified
  [v6("::1"), 128], // loopback
  [v6("64:ff9b:1::"), 48], // local-use NAT64
  [v6("100::"), 64], // discard-only
  [v6("2001::"), 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID, …)
  [v6("2001:db8::"), 32], // documentation
  [v6("3fff::"), 20], // documentation
  [v6("fc00::"), 7], // unique-local
  [v6("fe80::"), 10], // link-local
  [v6("fec0::"), 10], // site-local (deprecated)
  [v6("ff00::"), 8], // multicast
];

/** IPv6 ranges that carry an IPv4 address: the IPv4 address decides. */
const EMBEDDED_V4: readonly { range: Range; offset: number }[] = [
  { range: [v6("::ffff:0:0"), 96], offset: 12 }, // IPv4-mapped
  { range: [v6("::"), 96], offset: 12 }, // IPv4-compatible (deprecated)
  { range: [v6("::ffff:0:0:0"), 96], offset: 12 }, // IPv4-translated (SIIT)
  { range: [v6("64:ff9b::"), 96], offset: 12 }, // NAT64
  { range: [v6("2002::"), 16], offset: 2 }, // 6to4
];

function isPrivateV4(bytes: readonly number[]): boolean {
  return PRIVATE_V4.some((r) => inRange(bytes, r));
}

function isPrivateV6(bytes: readonly number[]): boolean {
  if (PRIVATE_V6.some((r) => inRange(bytes, r))) return true;
  for (const { range, offset } of EMBEDDED_V4) {
    if (inRange(bytes, range)) return isPrivateV4(bytes.slice(offset, offset + 4));
  }
  return false;
}

/**
 * Whether an IP address (v4 in any inet_aton form, v6 with or without brackets, IPv4-mapped and
 * the other IPv4-carrying forms) is loopback, private, link-local, unique-local, CGNAT,
 * multicast, documentation, reserved or unspecified. False for anything that is not an address.
 */
export function isPrivateAddress(ip: string): boolean {
  const text = ip.trim();
  const four = parseIPv4(text);
  if (four) return isPrivateV4(four);
  const six = parseIPv6(text);
  if (six) return isPrivateV6(six);
  return false;
}

/** Names that never lead to the public internet: localhost (RFC 6761), mDNS, .internal, home.arpa. */
function isLocalName(host: string): boolean {
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host === "internal" ||
    host.endsWith(".internal") ||
    host === "home.arpa" ||
    host.endsWith(".home.arpa") ||
    host === "localdomain" ||
    host.endsWith(".localdomain")
  );
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; retryable: boolean; error: string };

/** The text of a refused target: why, and the setting that would allow it. */
export function refusalText(why: string): string {
  return `webhook target refused: ${why} (set ALLOW_PRIVATE_WEBHOOKS=true to allow)`;
}

/**
 * Thrown (or set as the cause) by a fetch that refuses to connect to a non-public address; the
 * channel takes it as a refused target, not as a network error: not retried.
 */
export class WebhookTargetRefusedError extends Error {
  override readonly name = "WebhookTargetRefusedError";

  constructor(why: string) {
    super(refusalText(why));
  }
}

function refusedBy(error: unknown): WebhookTargetRefusedError | undefined {
  if (error instanceof WebhookTargetRefusedError) return error;
  if (error instanceof Error && error.cause instanceof WebhookTargetRefusedError) return error.cause;
  return undefined;
}

/**
 * Whether a webhook may be sent to `target`: an http(s) URL whose host is public. A literal
 * address is checked as it is; a name is refused when it is a local name, or when any of its
 * addresses (through `resolve`) is private.
 */
export async function checkWebhookTarget(
  target: string,
  options: Pick<WebhookChannelOptions, "allowPrivate" | "resolve">,
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, retryable: false, error: "the webhook URL is not a valid URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, retryable: false, error: `the webhook URL must be http(s), not ${url.protocol}` };
  }
  if (options.allowPrivate) return { ok: true, url };
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  const refused = (why: string): TargetCheck => ({ ok: false, retryable: false, error: refusalText(why) });
  if (host === "" || isLocalName(host)) return refused(`${host || "empty host"} is a local name`);
  if (host.startsWith("[") || parseIPv4(host)) {
    return isPrivateAddress(host) ? refused(`${host} is not a public address`) : { ok: true, url };
  }
  if (!options.resolve) return { ok: true, url };
  let addresses: string[];
  try {
    addresses = await options.resolve(host);
  } catch (error) {
    return { ok: false, retryable: true, error: `could not resolve ${host}: ${errorText(error)}` };
  }
  if (addresses.length === 0) {
    return { ok: false, retryable: true, error: `${host} has no address` };
  }
  const bad = addresses.find((a) => isPrivateAddress(a));
  return bad ? refused(`${host} resolves to ${bad}, not a public address`) : { ok: true, url };
}

// ---------------------------------------------------------------------------------------------
// Sending

/** The JSON body of one item. */
export function webhookBody(alert: OutgoingAlert, item: AlertItem): string {
  return JSON.stringify({
    event: item.event,
    subscriptionId: alert.subscription.id,
    tender: item.tender,
    deliveredAt: alert.deliveredAt,
    idempotencyKey: item.idempotencyKey,
    version: item.version,
    occurredAt: item.occurredAt,
    link: item.link,
    ...(item.changes ? { changes: item.changes } : {}),
    ...(item.publishedAs ? { publishedAs: item.publishedAs } : {}),
    ...(item.consortium ? { consortium: item.consortium } : {}),
  });
}

/** The webhook channel. */
export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  const doFetch: WebhookFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const userAgent = options.userAgent ?? `jointbid-webhooks/${APP_VERSION}`;

  async function post(
    url: URL,
    secret: string,
    alert: OutgoingAlert,
    item: AlertItem,
  ): Promise<ChannelResult> {
    const body = webhookBody(alert, item);
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": userAgent,
      "X-Jointbid-Event": item.event,
      "Idempotency-Key": item.idempotencyKey,
      "X-Jointbid-Signature": await signBody(secret, body),
    };
    let response: Awaited<ReturnType<WebhookFetch>>;
    try {
      response = await doFetch(url.href, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const refusal = refusedBy(error);
      if (refusal) return { ok: false, retryable: false, error: refusal.message };
      if (isTimeout(error)) return { ok: false, retryable: true, error: `timed out after ${timeoutMs} ms` };
      return { ok: false, retryable: true, error: `network: ${errorText(error)}` };
    }
    // The answer's body is not needed: release the connection.
    await response.body?.cancel().catch(() => undefined);
    return classifyStatus(response.status, response.headers.get("location"));
  }

  return {
    async send(alert) {
      const channel = alert.subscription.channel;
      if (channel.type !== "webhook") {
        return { ok: false, retryable: false, error: "the subscription's channel is not a webhook" };
      }
      const check = await checkWebhookTarget(channel.url, options);
      if (!check.ok) return { ok: false, retryable: check.retryable, error: check.error };
      const total = alert.items.length;
      const statuses: string[] = [];
      for (const [index, item] of alert.items.entries()) {
        const result = await post(check.url, channel.secret, alert, item);
        if (!result.ok) {
          const where = total > 1 ? `item ${index + 1} of ${total}: ` : "";
          return { ...result, error: `${where}${result.error}` };
        }
        statuses.push(result.detail ?? "delivered");
      }
      return {
        ok: true,
        detail: total === 1 ? (statuses[0] ?? "") : `${total} items: ${statuses.join(", ")}`,
      };
    },
  };
}
