/**
 * How long to wait before trying again: the server's Retry-After when it gives one, otherwise
 * jittered exponential backoff.
 */

/**
 * Milliseconds asked for by a Retry-After header: delay-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2026 07:28:00 GMT", relative to `now`). Undefined when absent or unreadable; a
 * date in the past means 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP-date always names a day or a month; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * "Equal jitter" exponential backoff: before retry n (1, 2, 3, …) wait between half and all of
 * base·2^(n−1), capped at `capMs`. Half is kept fixed so that a retry never comes right away, the
 * other half is random so that crawlers that failed together do not come back together.
 */
export function backoffDelayMs(retry: number, baseMs: number, random: () => number, capMs: number): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
