/**
 * robots.txt: fetched once per origin (through the polite fetcher, so with the same pacing,
 * timeouts and retries as every other request), cached, and asked before every request.
 *
 * What an answer for /robots.txt means, following Google's rules
 * (https://developers.google.com/search/docs/crawling-indexing/robots/robots_txt#http-status-codes):
 *
 * - 2xx: the rules apply to our product token (`jointbid`), falling back to `*`;
 * - 4xx other than 429 (404, 410, but also 401 and 403): there are no rules, everything is allowed;
 * - more redirects than the fetcher follows: treated like a 404;
 * - 5xx or 429 after the retries, a network error or a timeout: the whole site is treated as
 *   disallowed. We cannot know what the owner allows, so we take the conservative reading; the
 *   verdict says "unavailable" with the status so that the crawl can report it and try again later
 *   (the error for it carries `retry: true`). The verdict is cached like any other, so one broken
 *   robots.txt costs one round of retries per origin, not one per page.
 *
 * Entries expire after `ttlMs` (24 hours by default, Google's cache time), so a long-lived fetcher
 * picks up changes and recovers from an unavailable robots.txt.
 */
import robotsParserExport from "robots-parser";
import { isCrawlError } from "../errors.js";

/** A robots.txt body; failures arrive as thrown CrawlErrors from the polite fetcher. */
export interface RobotsTxtResponse {
  status: number;
  text: string;
}

export interface RobotsCacheOptions {
  /** The product token groups are matched against, e.g. "jointbid". */
  agent: string;
  fetchRobotsTxt: (robotsUrl: string) => Promise<RobotsTxtResponse>;
  now: () => number;
  ttlMs?: number;
}

export type RobotsVerdict =
  | { allowed: true; crawlDelayMs?: number }
  | { allowed: false; reason: "disallowed" | "unavailable"; message: string; status?: number };

export interface RobotsCache {
  check(url: string): Promise<RobotsVerdict>;
}

// robots-parser is CommonJS (`module.exports = function`) typed as an ES default export, so under
// NodeNext the type checker puts the function at `.default` while at run time the default import is
// the function itself. Accept both shapes.
type RobotsParser = typeof robotsParserExport.default;
const robotsParser: RobotsParser =
  typeof robotsParserExport === "function" ? robotsParserExport : robotsParserExport.default;
type Rules = ReturnType<RobotsParser>;

type Entry =
  | { kind: "rules"; rules: Rules }
  | { kind: "allow-all"; status: number | undefined }
  | { kind: "unavailable"; status: number | undefined; detail: string };

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/** The product token of a User-Agent string: "jointbid/0.1 (+https://…)" → "jointbid". */
export function productToken(userAgent: string): string {
  return /^\s*([^\s/]+)/.exec(userAgent)?.[1]?.toLowerCase() ?? userAgent;
}

export function createRobotsCache(options: RobotsCacheOptions): RobotsCache {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const entries = new Map<string, { loadedAt: number; entry: Promise<Entry> }>();

  async function load(origin: string): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await options.fetchRobotsTxt(robotsUrl);
      return { kind: "rules", rules: robotsParser(robotsUrl, response.text) };
    } catch (error) {
      const status = isCrawlError(error) ? error.context.status : undefined;
      if (
        isCrawlError(error) &&
        error.kind === "http" &&
        status !== undefined &&
        status >= 400 &&
        status < 500 &&
        status !== 429
      ) {
        return { kind: "allow-all", status };
      }
      if (isCrawlError(error) && error.kind === "redirect") return { kind: "allow-all", status };
      const detail = error instanceof Error ? error.message : String(error);
      return { kind: "unavailable", status, detail };
    }
  }

  function entryFor(origin: string): Promise<Entry> {
    const cached = entries.get(origin);
    if (cached && options.now() - cached.loadedAt < ttlMs) return cached.entry;
    const fresh = { loadedAt: options.now(), entry: load(origin) };
    entries.set(origin, fresh);
    return fresh.entry;
  }

  return {
    async check(url) {
      const { origin } = new URL(url);
      const entry = await entryFor(origin);
      switch (entry.kind) {
        case "allow-all":
          return { allowed: true };
        case "unavailable":
          return {
            allowed: false,
            reason: "unavailable",
            status: entry.status,
            message: `robots.txt of ${origin} could not be read (${entry.detail}); the site is treated as disallowed for now`,
          };
        case "rules": {
          const delaySeconds = entry.rules.getCrawlDelay(options.agent);
          const crawlDelayMs =
            delaySeconds !== undefined && Number.isFinite(delaySeconds) && delaySeconds > 0
              ? delaySeconds * 1000
              : undefined;
          // undefined means the URL is not on this robots.txt's origin, which cannot happen here.
          if (entry.rules.isAllowed(url, options.agent) === false) {
            return {
              allowed: false,
              reason: "disallowed",
              message: `robots.txt of ${origin} disallows ${url} for ${options.agent}`,
            };
          }
          return crawlDelayMs === undefined ? { allowed: true } : { allowed: true, crawlDelayMs };
        }
      }
    },
  };
}
