/**
 * Test helpers for the polite fetcher: a fake clock whose sleep records the delay and moves time on
 * (so a test of a 30-second Retry-After takes milliseconds), and a log of every request msw saw.
 */
import { setupServer, type SetupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { CrawlError } from "../../../../crawlers/errors.js";
import { createPoliteFetcher, type PoliteFetcherOptions } from "../../../../crawlers/http/polite-fetcher.js";

export const USER_AGENT = "jointbid/0.1 (+https://example.org/about/crawler)";

export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every delay asked for, in order. */
  sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 2, 2, 8, 0, 0)): FakeClock {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
    advance: (ms) => {
      time += ms;
    },
  };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
  /** The fake clock when the request went out. */
  at: number;
}

/** Records every request that reaches msw (handled or not), with the fake time it was sent. */
export function recordRequests(
  server: SetupServer,
  clock: FakeClock,
): { seen: SeenRequest[]; unhandled: string[] } {
  const seen: SeenRequest[] = [];
  const unhandled: string[] = [];
  server.events.on("request:start", ({ request }) => {
    seen.push({ method: request.method, url: request.url, headers: request.headers, at: clock.now() });
  });
  server.events.on("request:unhandled", ({ request }) => {
    unhandled.push(`${request.method} ${request.url}`);
  });
  return { seen, unhandled };
}

/** The bytes of a string in ISO-8859-1 (every character must be below U+0100). */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A response body of `chunks` chunks of `size` bytes, produced only as they are read. */
export function lazyBody(
  chunks: number,
  size: number,
): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
      if (pulls >= chunks) controller.close();
    },
  });
  return { stream, pulled: () => pulls };
}

/**
 * An msw server with the fetcher tests' lifecycle (strict about unhandled requests, a fresh fake
 * clock and request log per test), and a polite fetcher on that clock. `h.clock` and `h.log`
 * are the current test's.
 */
export function fetcherHarness(defaults: Partial<PoliteFetcherOptions> = {}) {
  const server = setupServer();
  const h = {
    server,
    clock: fakeClock(),
    log: { seen: [] as SeenRequest[], unhandled: [] as string[] },
    fetcher(options: Partial<PoliteFetcherOptions> = {}) {
      return createPoliteFetcher({
        userAgent: USER_AGENT,
        sleep: (ms) => h.clock.sleep(ms),
        now: () => h.clock.now(),
        random: () => 0.5,
        ...defaults,
        ...options,
      });
    },
  };
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  beforeEach(() => {
    server.events.removeAllListeners();
    h.clock = fakeClock();
    h.log = recordRequests(server, h.clock);
  });
  afterEach(() => {
    server.resetHandlers();
    expect(h.log.unhandled).toEqual([]);
  });
  afterAll(() => server.close());
  return h;
}

/** The CrawlError a promise rejects with (fails the test if it resolves or throws something else). */
export async function crawlError(promise: Promise<unknown>): Promise<CrawlError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CrawlError) return error;
    throw error;
  }
  throw new Error("expected a CrawlError, the request succeeded");
}
