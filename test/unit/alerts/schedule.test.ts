import { describe, expect, it } from "vitest";
import {
  afterFailure,
  deliveryKey,
  nextDigestAt,
  retryDelayMs,
  zonedTime,
} from "../../../src/alerts/schedule.js";

describe("nextDigestAt", () => {
  it("is the local digest hour today when it is still ahead, else tomorrow", () => {
    // 05:00 UTC is 06:00 in Copenhagen in winter: 07:00 local (06:00 UTC) is ahead.
    expect(nextDigestAt(new Date("2026-01-15T05:00:00Z"), 7, "Europe/Copenhagen").toISOString()).toBe(
      "2026-01-15T06:00:00.000Z",
    );
    expect(nextDigestAt(new Date("2026-01-15T06:00:00Z"), 7, "Europe/Copenhagen").toISOString()).toBe(
      "2026-01-16T06:00:00.000Z",
    );
    // Summer: 07:00 in Copenhagen is 05:00 UTC.
    expect(nextDigestAt(new Date("2026-07-01T12:00:00Z"), 7, "Europe/Copenhagen").toISOString()).toBe(
      "2026-07-02T05:00:00.000Z",
    );
  });

  it("stays on the local hour across the clock changes", () => {
    // Clocks go forward on 29 March 2026 in the EU: 07:00 is 06:00 UTC before, 05:00 UTC after.
    expect(nextDigestAt(new Date("2026-03-28T07:00:00Z"), 7, "Europe/Stockholm").toISOString()).toBe(
      "2026-03-29T05:00:00.000Z",
    );
    // And back on 25 October 2026.
    expect(nextDigestAt(new Date("2026-10-24T06:00:00Z"), 7, "Europe/Oslo").toISOString()).toBe(
      "2026-10-25T06:00:00.000Z",
    );
    expect(nextDigestAt(new Date("2026-03-28T08:00:00Z"), 7, "Europe/London").toISOString()).toBe(
      "2026-03-29T06:00:00.000Z",
    );
  });

  it("takes the moment after a skipped hour, and the first of a repeated one", () => {
    // 02:00 does not exist in Copenhagen on 29 March 2026: 03:00 CEST (01:00 UTC).
    expect(zonedTime(2026, 3, 29, 2, "Europe/Copenhagen").toISOString()).toBe("2026-03-29T01:00:00.000Z");
    // 02:00 happens twice on 25 October 2026: the first (CEST, 00:00 UTC).
    expect(zonedTime(2026, 10, 25, 2, "Europe/Copenhagen").toISOString()).toBe("2026-10-25T00:00:00.000Z");
  });
});

describe("retries", () => {
  it("waits 30 s doubling up to 1 h, jittered between half and all of it", () => {
    expect(retryDelayMs(1, () => 1)).toBe(30_000);
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(2, () => 1)).toBe(60_000);
    expect(retryDelayMs(8, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(30, () => 1)).toBe(3_600_000);
  });

  it("gives up 24 h after the first attempt, and at once when the failure will not change", () => {
    const first = new Date("2026-05-01T00:00:00Z");
    expect(afterFailure({ now: first, firstAttemptAt: first, attempts: 1, retryable: false })).toEqual({
      dead: true,
    });
    const soon = afterFailure({
      now: first,
      firstAttemptAt: first,
      attempts: 1,
      retryable: true,
      random: () => 1,
    });
    expect(soon).toEqual({ retryAt: new Date("2026-05-01T00:00:30Z") });
    const late = new Date("2026-05-01T23:59:00Z");
    expect(
      afterFailure({ now: late, firstAttemptAt: first, attempts: 20, retryable: true, random: () => 1 }),
    ).toEqual({
      retryAt: new Date("2026-05-02T00:00:00Z"),
    });
    expect(
      afterFailure({
        now: new Date("2026-05-02T00:00:00Z"),
        firstAttemptAt: first,
        attempts: 21,
        retryable: true,
      }),
    ).toEqual({ dead: true });
  });
});

describe("deliveryKey", () => {
  it("is the first 32 hex characters of the SHA-256 of subscription:tender:event:version", async () => {
    const { createHash } = await import("node:crypto");
    const expected = createHash("sha256").update("s1:test:t1:tender.new:1").digest("hex").slice(0, 32);
    expect(await deliveryKey("s1", "test:t1", "tender.new", 1)).toBe(expected);
  });

  it("keys a group by its sorted members", async () => {
    expect(await deliveryKey("s1", "t", "consortium.opportunity", ["b", "a"])).toBe(
      await deliveryKey("s1", "t", "consortium.opportunity", ["a", "b"]),
    );
  });
});
