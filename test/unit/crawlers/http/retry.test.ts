import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfter } from "../../../../crawlers/http/retry.js";

const NOW = Date.UTC(2026, 2, 2, 8, 0, 0);

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP-dates, and a date in the past as no wait", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("Mon, 02 Mar 2026 08:01:30 GMT", NOW)).toBe(90_000);
    expect(parseRetryAfter("Mon, 02 Mar 2026 07:00:00 GMT", NOW)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("-5", NOW)).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("doubles per retry, stays between half and all of it, and respects the cap", () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, 1000, () => 0, 60_000))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, 1000, () => 1, 60_000))).toEqual([1000, 2000, 4000]);
    expect(backoffDelayMs(20, 1000, () => 1, 60_000)).toBe(60_000);
  });
});
