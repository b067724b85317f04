/**
 * Per-host pacing: requests to one host run strictly one at a time, in the order they were asked
 * for, and each starts at least the host's delay after the previous one started. Different hosts
 * never wait for each other. A host can be told to rest until a moment (Retry-After, backoff), which
 * holds back every request to it, not only the one that is retried.
 */

export interface HostPacerOptions {
  minDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export interface HostPacer {
  /** Run `task` in the host's next slot; the slot is held until the task settles. */
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Raise the host's delay between request starts (robots.txt Crawl-delay); never lowers it below the minimum. */
  setDelay(host: string, delayMs: number): void;
  /** No request to the host starts before `time` (a clock value of `now`). */
  restUntil(host: string, time: number): void;
}

interface HostState {
  /** Settles when the last queued task for the host has finished. */
  tail: Promise<void>;
  lastStart: number;
  delayMs: number;
  notBefore: number;
}

export function createHostPacer(options: HostPacerOptions): HostPacer {
  const hosts = new Map<string, HostState>();

  function state(host: string): HostState {
    let s = hosts.get(host);
    if (!s) {
      s = {
        tail: Promise.resolve(),
        lastStart: Number.NEGATIVE_INFINITY,
        delayMs: options.minDelayMs,
        notBefore: Number.NEGATIVE_INFINITY,
      };
      hosts.set(host, s);
    }
    return s;
  }

  return {
    async run<T>(host: string, task: () => Promise<T>): Promise<T> {
      const s = state(host);
      const previous = s.tail;
      let release: () => void = () => undefined;
      s.tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        await previous;
        const wait = Math.max(s.lastStart + s.delayMs, s.notBefore) - options.now();
        if (wait > 0) await options.sleep(wait);
        s.lastStart = options.now();
        return await task();
      } finally {
        release();
      }
    },
    setDelay(host, delayMs) {
      const s = state(host);
      s.delayMs = Math.max(options.minDelayMs, delayMs);
    },
    restUntil(host, time) {
      const s = state(host);
      s.notBefore = Math.max(s.notBefore, time);
    },
  };
}
