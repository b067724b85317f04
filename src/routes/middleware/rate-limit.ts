/**
 * Fixed-window write limits per key ("token:<id>", "ip:<address>"), in memory. On Node there is
 * one process, so the limits are exact; on Workers each isolate counts on its own, which makes
 * the limit per isolate (documented in the README).
 */
export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  hit(key: string, limitPerMinute: number, nowMs: number): RateDecision;
}

const WINDOW_MS = 60_000;

export function createRateLimiter(maxKeys = 50_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, limitPerMinute, nowMs) {
      let w = windows.get(key);
      if (!w || nowMs - w.start >= WINDOW_MS) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (nowMs - v.start >= WINDOW_MS) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        w = { start: nowMs, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      if (w.count <= limitPerMinute) return { allowed: true, retryAfterSeconds: 0 };
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((w.start + WINDOW_MS - nowMs) / 1000)),
      };
    },
  };
}
