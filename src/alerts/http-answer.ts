import type { ChannelResult } from "./channel.port.js";

/**
 * What an HTTP answer or failure means for a delivery, shared by the channels that POST (webhooks,
 * the mail provider's API): 2xx delivered; a redirect is never followed and is final; 408, 429
 * and 5xx are retried; any other 4xx is final. Pure, no Node-only imports (the Worker uses it).
 */
export function classifyStatus(status: number, location?: string | null): ChannelResult {
  if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
  if ((status >= 300 && status < 400) || status === 0) {
    const to = location ? ` to ${location}` : "";
    return { ok: false, retryable: false, error: `HTTP ${status}: redirect${to} not followed` };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return { ok: false, retryable, error: `HTTP ${status}` };
}

/** A request that ran out of its `AbortSignal.timeout`. */
export function isTimeout(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "name" in error &&
    (error.name === "TimeoutError" || error.name === "AbortError")
  );
}

/** An error's message with its cause's (fetch wraps the network error in `cause`). */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
