/**
 * Errors below HTTP. A crawler never speaks in status codes to its callers: it says what kind of
 * failure it was, whether trying again may help, and where it happened.
 */
export const CRAWL_ERROR_KINDS = [
  /** The server answered with an error status that retrying will not fix (4xx) or kept failing (5xx, 429). */
  "http",
  /** The content could not be read: malformed notice, no plan on the page, invalid row. */
  "parse",
  /** DNS, connection refused or reset. */
  "network",
  "timeout",
  /** robots.txt disallows the URL for our user agent. */
  "robots",
  /** The body exceeded the size limit. */
  "too-large",
  /** More than the allowed number of redirects, or a redirect loop. */
  "redirect",
] as const;
export type CrawlErrorKind = (typeof CRAWL_ERROR_KINDS)[number];

export interface CrawlErrorContext {
  url?: string;
  status?: number;
  /** Where in a document: "lot LOT-0002", "table 1, row 4". */
  where?: string;
  /** What was missing or wrong, one entry per problem. */
  missing?: string[];
  attempts?: number;
}

export class CrawlError extends Error {
  override readonly name = "CrawlError";
  constructor(
    readonly kind: CrawlErrorKind,
    message: string,
    readonly context: CrawlErrorContext = {},
    /** Whether the same request may succeed later. */
    readonly retry = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What `context.missing` lists that the message does not already say. */
export function unsaidMissing(error: CrawlError): string[] {
  return (error.context.missing ?? []).filter((m) => !error.message.includes(m));
}

export function isCrawlError(e: unknown): e is CrawlError {
  return e instanceof CrawlError;
}
