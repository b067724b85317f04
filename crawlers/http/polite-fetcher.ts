/**
 * The one HTTP path of every crawler. Behaves like a guest on municipal web servers:
 *
 * - asks robots.txt first (see robots.ts) and never requests a disallowed URL;
 * - one request at a time per host, starts at least `minDelayMs` apart (or the site's larger
 *   Crawl-delay); different hosts do not wait for each other (host-pacer.ts);
 * - conditional GET: sends If-None-Match / If-Modified-Since from the validator cache, so an
 *   unchanged plan costs the server a 304;
 * - every attempt has a timeout; network errors, timeouts, 5xx and 429 are retried with jittered
 *   exponential backoff or the server's Retry-After, which holds back the whole host; other 4xx are
 *   final;
 * - redirects are followed by hand so that each hop is paced and checked against robots.txt;
 * - bodies are limited in size while they stream;
 * - says who it is in User-Agent on every request, robots.txt included.
 *
 * Failures are CrawlErrors with `context.url` (the URL that failed, which after redirects may not
 * be the one asked for), `context.status` (when there was a response) and `context.attempts`
 * (1 + the retries made; 0 when nothing was sent, as for a robots.txt refusal).
 */
import { CrawlError } from "../errors.js";
import type { CrawlErrorContext, CrawlErrorKind } from "../errors.js";
import { decodeBody, mediaType } from "./charset.js";
import { createHostPacer } from "./host-pacer.js";
import { createRobotsCache, productToken } from "./robots.js";
import { backoffDelayMs, parseRetryAfter } from "./retry.js";

export interface FetchValidators {
  etag?: string;
  lastModified?: string;
}

export interface ValidatorCache {
  get(url: string): Promise<FetchValidators | undefined> | FetchValidators | undefined;
  set(url: string, v: FetchValidators): Promise<void> | void;
}

export interface PoliteFetcherOptions {
  /** e.g. "jointbid/0.1 (+https://example.org/about/crawler)"; its product token is the robots.txt agent. */
  userAgent: string;
  /** Default globalThis.fetch, looked up at each request (msw replaces it in tests). */
  fetch?: typeof globalThis.fetch;
  /** Per host, default 2000; requests to one host strictly one at a time. */
  minDelayMs?: number;
  /** Per attempt (headers and body), default 20000. */
  timeoutMs?: number;
  /** Extra attempts for network errors, timeouts, 5xx and 429; default 3. */
  retries?: number;
  /** Default 1000, jittered exponential. */
  backoffBaseMs?: number;
  /** Cap on honouring Retry-After, default 120000 (longer → give up with kind http, retry=true). */
  maxRetryAfterMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Default 10 MiB. */
  maxBytes?: number;
  /** Default true. */
  respectRobots?: boolean;
  /** Default in memory, for the life of the fetcher. */
  validators?: ValidatorCache;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface FetchResult {
  /** Final URL after redirects. */
  url: string;
  status: number;
  /** True on 304 (body empty, text ""). */
  notModified: boolean;
  bytes: Uint8Array;
  /** Decoded with the detected charset (decoded on first read). */
  text: string;
  /** Media type without parameters, lower case. */
  contentType?: string;
  /** The one used, e.g. "utf-8", "windows-1252". */
  charset: string;
  validators: FetchValidators;
  attempts: number;
}

/** A request to a JSON API: GET or POST, with headers and a body. */
export interface ApiRequestInit {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** A conditional GET (ETag / Last-Modified) is worthwhile; default true for GET, never for POST. */
  conditional?: boolean;
}

export interface PoliteFetcher {
  get(url: string, options?: { accept?: string; conditional?: boolean }): Promise<FetchResult>;
  /** For clients of JSON APIs (TED): same pacing, retries, limits and robots rules. */
  request(url: string, init: ApiRequestInit): Promise<FetchResult>;
}

const DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
/** Google reads the first 500 KiB of a robots.txt and ignores the rest; so do we. */
const ROBOTS_MAX_BYTES = 500 * 1024;
/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

interface Settings {
  userAgent: string;
  minDelayMs: number;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  maxRetryAfterMs: number;
  maxRedirects: number;
  maxBytes: number;
  respectRobots: boolean;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

/** One logical request as the fetcher carries it through retries and redirects. */
interface Job {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  conditional: boolean;
  checkRobots: boolean;
  maxBytes: number;
  /** Keep the first maxBytes instead of failing (robots.txt). */
  truncate: boolean;
  /** Store the validators of a GET answer (not for robots.txt). */
  remember: boolean;
}

interface Hop {
  url: URL;
  method: "GET" | "POST";
  headers: Headers;
  body?: string;
}

/** What one attempt at one hop came to. */
type Outcome =
  | { type: "response"; status: number; headers: Headers; bytes: Uint8Array }
  | { type: "redirect"; status: number; location: string | null }
  | {
      type: "failure";
      kind: CrawlErrorKind;
      message: string;
      status?: number;
      retryable: boolean;
      retryAfter?: string | null;
    };

export function createPoliteFetcher(options: PoliteFetcherOptions): PoliteFetcher {
  const settings: Settings = {
    userAgent: options.userAgent,
    minDelayMs: options.minDelayMs ?? 2000,
    timeoutMs: options.timeoutMs ?? 20_000,
    retries: options.retries ?? 3,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
    maxRedirects: options.maxRedirects ?? 5,
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    respectRobots: options.respectRobots ?? true,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
  const doFetch: typeof globalThis.fetch = (input, init) =>
    options.fetch ? options.fetch(input, init) : globalThis.fetch(input, init);
  const validators = options.validators ?? createMemoryValidatorCache();
  const pacer = createHostPacer(settings);
  const robots = createRobotsCache({
    agent: productToken(settings.userAgent),
    now: settings.now,
    fetchRobotsTxt: (robotsUrl) =>
      perform({
        url: robotsUrl,
        method: "GET",
        headers: { accept: "text/plain" },
        conditional: false,
        checkRobots: false,
        maxBytes: Math.min(ROBOTS_MAX_BYTES, settings.maxBytes),
        truncate: true,
        remember: false,
      }),
  });

  async function checkRobots(url: URL, attempts: number): Promise<void> {
    if (!settings.respectRobots) return;
    const verdict = await robots.check(url.href);
    if (!verdict.allowed) {
      const context: CrawlErrorContext = { url: url.href, attempts };
      if (verdict.status !== undefined) context.status = verdict.status;
      throw new CrawlError("robots", verdict.message, context, verdict.reason === "unavailable");
    }
    if (verdict.crawlDelayMs !== undefined) pacer.setDelay(url.host, verdict.crawlDelayMs);
  }

  async function perform(job: Job): Promise<FetchResult> {
    const first = parseHttpUrl(job.url);
    let hop: Hop = { url: first, method: job.method, headers: new Headers(job.headers), body: job.body };
    const visited = new Set([withoutHash(first)]);
    let redirects = 0;
    let attempts = 1;

    for (;;) {
      if (job.checkRobots) await checkRobots(hop.url, redirects === 0 && attempts === 1 ? 0 : attempts);
      const headers = await requestHeaders(hop, job);
      const sent: Hop = { ...hop, headers };
      const outcome = await pacer.run(hop.url.host, () => attempt(sent, job));

      if (outcome.type === "response") return finish(hop, job, outcome, attempts);

      if (outcome.type === "redirect") {
        const context = { url: hop.url.href, status: outcome.status, attempts };
        if (!outcome.location) {
          throw new CrawlError("redirect", `${outcome.status} without a Location header`, context);
        }
        let next: URL;
        try {
          next = new URL(outcome.location, hop.url);
        } catch {
          throw new CrawlError(
            "redirect",
            `unreadable Location ${JSON.stringify(outcome.location)}`,
            context,
          );
        }
        if (next.protocol !== "http:" && next.protocol !== "https:") {
          throw new CrawlError("redirect", `redirect to a non-HTTP URL ${next.href}`, context);
        }
        if (visited.has(withoutHash(next))) {
          throw new CrawlError("redirect", `redirect loop: ${next.href} was already visited`, context);
        }
        if (redirects >= settings.maxRedirects) {
          throw new CrawlError("redirect", `more than ${settings.maxRedirects} redirects`, context);
        }
        redirects += 1;
        visited.add(withoutHash(next));
        hop = redirectedHop(hop, next, outcome.status);
        continue;
      }

      const context: CrawlErrorContext = { url: hop.url.href, attempts };
      if (outcome.status !== undefined) context.status = outcome.status;
      if (!outcome.retryable || attempts > settings.retries) {
        const message = outcome.retryable
          ? `${outcome.message} from ${hop.url.host} (gave up after ${attempts} attempts)`
          : `${outcome.message} from ${hop.url.host}`;
        throw new CrawlError(outcome.kind, message, context, outcome.retryable);
      }
      const askedMs = parseRetryAfter(outcome.retryAfter, settings.now());
      if (askedMs !== undefined && askedMs > settings.maxRetryAfterMs) {
        throw new CrawlError(
          "http",
          `${outcome.message}; Retry-After asks for ${Math.round(askedMs / 1000)} s, more than the ${Math.round(settings.maxRetryAfterMs / 1000)} s we wait`,
          context,
          true,
        );
      }
      const waitMs =
        askedMs ??
        backoffDelayMs(attempts, settings.backoffBaseMs, settings.random, settings.maxRetryAfterMs);
      pacer.restUntil(hop.url.host, settings.now() + waitMs);
      attempts += 1;
    }
  }

  async function requestHeaders(hop: Hop, job: Job): Promise<Headers> {
    const headers = new Headers(hop.headers);
    headers.set("user-agent", settings.userAgent);
    if (job.conditional && hop.method === "GET") {
      const cached = await validators.get(hop.url.href);
      if (cached?.etag) headers.set("if-none-match", cached.etag);
      if (cached?.lastModified) headers.set("if-modified-since", cached.lastModified);
    }
    return headers;
  }

  async function attempt(hop: Hop, job: Job): Promise<Outcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    const failed = (error: unknown, status?: number): Outcome => {
      if (controller.signal.aborted) {
        return {
          type: "failure",
          kind: "timeout",
          message: `no complete answer within ${settings.timeoutMs} ms`,
          status,
          retryable: true,
        };
      }
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      const message = error instanceof Error ? `${error.message}${cause}` : String(error);
      return { type: "failure", kind: "network", message, status, retryable: true };
    };
    try {
      let response: Response;
      try {
        response = await doFetch(hop.url.href, {
          method: hop.method,
          headers: hop.headers,
          body: hop.body,
          redirect: "manual",
          signal: controller.signal,
        });
      } catch (error) {
        return failed(error);
      }
      const { status } = response;
      if (status >= 300 && status < 400 && status !== 304) {
        discard(response);
        return { type: "redirect", status, location: response.headers.get("location") };
      }
      if (status === 429 || status >= 500) {
        discard(response);
        return {
          type: "failure",
          kind: "http",
          message: `HTTP ${status}`,
          status,
          retryable: true,
          retryAfter: response.headers.get("retry-after"),
        };
      }
      if (status < 200 || status >= 400) {
        discard(response);
        return { type: "failure", kind: "http", message: `HTTP ${status}`, status, retryable: false };
      }
      if (status === 304) {
        discard(response);
        return { type: "response", status, headers: response.headers, bytes: new Uint8Array(0) };
      }
      try {
        const bytes = await readBody(response, job.maxBytes, job.truncate, controller.signal);
        return { type: "response", status, headers: response.headers, bytes };
      } catch (error) {
        if (error instanceof TooLarge) {
          return { type: "failure", kind: "too-large", message: error.message, status, retryable: false };
        }
        return failed(error, status);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async function finish(
    hop: Hop,
    job: Job,
    outcome: Extract<Outcome, { type: "response" }>,
    attempts: number,
  ): Promise<FetchResult> {
    const url = hop.url.href;
    const notModified = outcome.status === 304;
    const received = validatorsOf(outcome.headers);
    let current: FetchValidators = received;
    if (hop.method === "GET" && job.remember) {
      if (notModified) {
        // A 304 may carry updated validators; keep what we had for the rest.
        const cached = (await validators.get(url)) ?? {};
        current = { ...cached, ...received };
        if (received.etag !== undefined || received.lastModified !== undefined)
          await validators.set(url, current);
      } else {
        await validators.set(url, received);
      }
    }
    const contentTypeHeader = outcome.headers.get("content-type");
    return resultOf({
      url,
      status: outcome.status,
      notModified,
      bytes: outcome.bytes,
      contentTypeHeader,
      validators: current,
      attempts,
    });
  }

  return {
    get(url, getOptions) {
      return perform({
        url,
        method: "GET",
        headers: { accept: getOptions?.accept ?? DEFAULT_ACCEPT },
        conditional: getOptions?.conditional ?? true,
        checkRobots: true,
        maxBytes: settings.maxBytes,
        truncate: false,
        remember: true,
      });
    },
    request(url, init) {
      return perform({
        url,
        method: init.method,
        headers: init.headers ?? {},
        body: init.body,
        conditional: init.method === "GET" && (init.conditional ?? true),
        checkRobots: true,
        maxBytes: settings.maxBytes,
        truncate: false,
        remember: true,
      });
    },
  };
}

/** Validators kept in a Map for the life of the process. */
export function createMemoryValidatorCache(): ValidatorCache {
  const entries = new Map<string, FetchValidators>();
  return {
    get: (url) => entries.get(url),
    set: (url, v) => {
      entries.set(url, v);
    },
  };
}

class TooLarge extends Error {}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CrawlError("network", `not a URL: ${JSON.stringify(raw)}`, { url: raw, attempts: 0 });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CrawlError("network", `not an HTTP URL: ${raw}`, { url: raw, attempts: 0 });
  }
  return url;
}

function withoutHash(url: URL): string {
  const copy = new URL(url);
  copy.hash = "";
  return copy.href;
}

/** The next hop after a redirect: method and body rules as browsers apply them. */
function redirectedHop(previous: Hop, next: URL, status: number): Hop {
  const headers = new Headers(previous.headers);
  if (next.origin !== previous.url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  // 303 always, and 301/302 after a POST, continue as a GET without the body; 307/308 keep both.
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === "POST");
  if (toGet) {
    headers.delete("content-type");
    headers.delete("content-length");
    return { url: next, method: "GET", headers };
  }
  return { url: next, method: previous.method, headers, body: previous.body };
}

function validatorsOf(headers: Headers): FetchValidators {
  const v: FetchValidators = {};
  const etag = headers.get("etag");
  const lastModified = headers.get("last-modified");
  if (etag) v.etag = etag;
  if (lastModified) v.lastModified = lastModified;
  return v;
}

/**
 * Let go of a body we will not read. Not awaited: cancelling one branch of a teed stream (as
 * fetch mocks and caches hand out) only settles once every branch is cancelled.
 */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/**
 * The body, at most `maxBytes`: a larger Content-Length fails before reading; otherwise bytes are
 * counted as they arrive and reading stops at the limit. With `truncate`, the first `maxBytes`
 * are returned instead of failing.
 */
async function readBody(
  response: Response,
  maxBytes: number,
  truncate: boolean,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const declared = response.headers.get("content-length");
  if (!truncate && declared !== null && Number(declared) > maxBytes) {
    discard(response);
    throw new TooLarge(`Content-Length ${declared} is over the limit of ${maxBytes} bytes`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  // Not every fetch ends a body stream on abort; cancelling makes the pending read return.
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw new Error("aborted while reading the body");
      if (done) break;
      if (total + value.byteLength > maxBytes) {
        reader.cancel().catch(() => undefined);
        if (!truncate) throw new TooLarge(`body is over the limit of ${maxBytes} bytes`);
        chunks.push(value.subarray(0, maxBytes - total));
        total = maxBytes;
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A FetchResult whose text and charset are decoded on first read (most crawls of PDFs never need them). */
function resultOf(fields: {
  url: string;
  status: number;
  notModified: boolean;
  bytes: Uint8Array;
  contentTypeHeader: string | null;
  validators: FetchValidators;
  attempts: number;
}): FetchResult {
  let decoded: { text: string; charset: string } | undefined;
  const decodeOnce = () => (decoded ??= decodeBody(fields.bytes, fields.contentTypeHeader));
  const result: FetchResult = {
    url: fields.url,
    status: fields.status,
    notModified: fields.notModified,
    bytes: fields.bytes,
    get text() {
      return decodeOnce().text;
    },
    get charset() {
      return decodeOnce().charset;
    },
    validators: fields.validators,
    attempts: fields.attempts,
  };
  const contentType = mediaType(fields.contentTypeHeader);
  if (contentType !== undefined) result.contentType = contentType;
  return result;
}
