import { sha256Hex } from "../domain/hash.js";
import type { AlertEvent, Subscription } from "../domain/subscription.js";
import { RETRY_WINDOW_HOURS } from "../domain/subscription.js";

/**
 * When alerts are due and retried, and how they are keyed. Pure functions of their inputs
 * (the clock and the randomness are passed in).
 */

/** The first retry waits about this long; each next one twice as long. */
export const FIRST_RETRY_MS = 30_000;
/** No retry waits longer than this. */
export const MAX_RETRY_MS = 60 * 60_000;
export const RETRY_WINDOW_MS = RETRY_WINDOW_HOURS * 60 * 60_000;

/**
 * The wait before the next attempt after `attempts` failed ones (1, 2, …): 30 s doubling up to
 * 1 h, with "equal jitter" (between half and all of it) so that many failing deliveries do not
 * retry in step.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * What to do after a failed attempt: retry at a time, or give up. Retries stop 24 h after the
 * first attempt (the last one is at that moment at the latest); a failure that will not change
 * (`retryable: false`) is dead at once.
 */
export function afterFailure(options: {
  now: Date;
  firstAttemptAt: Date;
  attempts: number;
  retryable: boolean;
  random?: () => number;
}): { retryAt: Date } | { dead: true } {
  const { now, firstAttemptAt, attempts, retryable } = options;
  if (!retryable) return { dead: true };
  const deadline = firstAttemptAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return { dead: true };
  const at = Math.min(now.getTime() + retryDelayMs(attempts, options.random), deadline);
  return { retryAt: new Date(at) };
}

const partsFormat = new Map<string, Intl.DateTimeFormat>();

/** Year, month, day, hour, minute of an instant in a time zone. */
function localParts(
  at: number,
  timeZone: string,
): { y: number; mo: number; d: number; h: number; mi: number } {
  let format = partsFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    partsFormat.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(at))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year ?? 0,
    mo: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    mi: parts.minute ?? 0,
  };
}

/** Offset of the zone from UTC at an instant, in ms (Copenhagen in summer: +2 h). */
function offsetMs(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
  return asUtc - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant of a local wall-clock time. A time that does not exist (the hour skipped when
 * clocks go forward) is the moment after the gap; a time that exists twice (clocks go back) is
 * the first of the two.
 */
export function zonedTime(y: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(y, month - 1, day, hour);
  const candidates = [
    ...new Set([
      offsetMs(wall - 36 * 3_600_000, timeZone),
      offsetMs(wall + 36 * 3_600_000, timeZone),
      offsetMs(wall, timeZone),
    ]),
  ]
    .map((off) => wall - off)
    .filter((at) => {
      const p = localParts(at, timeZone);
      return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi) === wall;
    })
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return new Date(first);
  // In the gap: the wall time plus the offset before the change lands just after it.
  return new Date(wall - offsetMs(wall - 36 * 3_600_000, timeZone));
}

/**
 * The next daily digest time of a subscription after `now`: `hour`:00 local time in `timeZone`,
 * today if that is still ahead, else tomorrow. DST-safe (each day's instant is computed from the
 * zone's rules, not by adding 24 h).
 */
export function nextDigestAt(now: Date, hour: number, timeZone: string): Date {
  const today = localParts(now.getTime(), timeZone);
  for (let add = 0; add <= 2; add++) {
    const day = new Date(Date.UTC(today.y, today.mo - 1, today.d + add));
    const at = zonedTime(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  return new Date(now.getTime() + 24 * 3_600_000);
}

/** When a new delivery for this subscription is first due: now, or at its next digest. */
export function firstDueAt(
  sub: Pick<Subscription, "frequency" | "digestHour" | "timeZone">,
  now: Date,
): Date {
  return sub.frequency === "daily" ? nextDigestAt(now, sub.digestHour, sub.timeZone) : now;
}

/** Length of an idempotency key: hex SHA-256 cut to 128 bits. */
const KEY_LENGTH = 32;

/**
 * The idempotency key of an alert: the hex SHA-256 of `<subscription>:<tender>:<event>:<version>`,
 * first 32 characters. A consortium opportunity is keyed by its members (sorted) instead of the
 * version, so the same group is alerted once however often the tender changes.
 */
export async function deliveryKey(
  subscriptionId: string,
  tenderId: string,
  event: AlertEvent,
  versionOrMembers: number | readonly string[],
): Promise<string> {
  const last =
    typeof versionOrMembers === "number" ? String(versionOrMembers) : [...versionOrMembers].sort().join(",");
  return (await sha256Hex(`${subscriptionId}:${tenderId}:${event}:${last}`)).slice(0, KEY_LENGTH);
}

/** The key of an outbox event: one per tender, event and version. */
export async function eventKey(tenderId: string, event: AlertEvent, version: number): Promise<string> {
  return (await sha256Hex(`${tenderId}:${event}:${version}`)).slice(0, KEY_LENGTH);
}

/** The key of an enterprise outbox event: one per enterprise, event and enterprise version. */
export async function enterpriseEventKey(
  enterpriseId: string,
  event: string,
  version: number,
): Promise<string> {
  return (await sha256Hex(`enterprise:${enterpriseId}:${event}:${version}`)).slice(0, KEY_LENGTH);
}

/** The key of a digest message: a hash of its items' keys. */
export async function digestKey(itemKeys: readonly string[]): Promise<string> {
  return (await sha256Hex([...itemKeys].sort().join(","))).slice(0, KEY_LENGTH);
}
