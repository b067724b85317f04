import { CrawlError } from "../errors.js";
import type { ApiRequestInit } from "../http/polite-fetcher.js";

/**
 * The one HTTP capability the TED client needs. The polite fetcher (`crawlers/http/`) implements
 * it with pacing, retries and robots.txt; `tedHttpFromFetch` is a plain adapter for tests and for
 * running without the polite fetcher. The client accepts either: an implementation may throw
 * `CrawlError` itself, or hand back any status and let the client classify it.
 */
export interface TedHttp {
  /** `init.conditional` is a hint; adapters may ignore it. */
  request(url: string, init: ApiRequestInit): Promise<TedHttpResponse>;
}

export interface TedHttpResponse {
  /** The final URL after redirects. */
  url: string;
  status: number;
  text: string;
  contentType?: string;
}

/** How long the plain adapter waits for one response before giving up. */
const FETCH_TIMEOUT_MS = 30_000;

/**
 * A `TedHttp` over a `fetch` function: no retries, no pacing. Every status is returned as is (the
 * client classifies it); only transport failures become `CrawlError`s here.
 */
export function tedHttpFromFetch(fetchFn: typeof fetch, userAgent: string): TedHttp {
  return {
    async request(url, init) {
      let response: Response;
      try {
        response = await fetchFn(url, {
          method: init.method,
          headers: { ...init.headers, "User-Agent": userAgent },
          body: init.body,
          redirect: "follow",
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
      } catch (e) {
        throw transportError(e, url);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (e) {
        throw transportError(e, url);
      }
      const contentType = response.headers.get("content-type") ?? undefined;
      return { url: response.url || url, status: response.status, text, contentType };
    },
  };
}

function transportError(e: unknown, url: string): CrawlError {
  const name = e instanceof Error ? e.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new CrawlError("timeout", `TED request timed out after ${FETCH_TIMEOUT_MS} ms`, { url }, true, {
      cause: e,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new CrawlError("network", `TED request failed: ${message}`, { url }, true, { cause: e });
}
