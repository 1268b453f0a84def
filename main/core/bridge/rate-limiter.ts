/**
 * Requests per key (an origin, or one key for "all unknown origins") per minute, as a sliding one-minute window
 * of timestamps. Shared by every connection of an origin, so opening more sockets does not buy more requests.
 *
 * Memory is bounded whatever the number of distinct keys a flood of made-up origins brings: a key whose window
 * is empty is dropped (swept every `SWEEP_EVERY` calls), and past `maxKeys` the oldest key is evicted. Evicting
 * an unknown origin's window gives it nothing: the shared unknown-origins key still holds it (controller.ts).
 */
export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export interface RateLimiter {
  /** Records a request; `{ok: false, retryAfterMs}` when the key is over its limit (refused, not counted). */
  take(key: string): RateDecision;
  /** `take(key).ok`. */
  allow(key: string): boolean;
  /** Keys currently tracked (tests: bounded). */
  readonly size: number;
}

export const RATE_WINDOW_MS = 60_000;
/** Most keys one limiter tracks; far above the origins that can be connected at once (connection-limits.ts). */
export const MAX_RATE_KEYS = 4096;
const SWEEP_EVERY = 256;

export function createRateLimiter(perMinute: number, now: () => number = Date.now, maxKeys = MAX_RATE_KEYS): RateLimiter {
  const windows = new Map<string, number[]>();
  let calls = 0;

  function sweep(at: number): void {
    for (const [key, times] of windows) if (times.length === 0 || at - times[times.length - 1]! >= RATE_WINDOW_MS) windows.delete(key);
  }

  const limiter: RateLimiter = {
    take(key) {
      const at = now();
      if (++calls % SWEEP_EVERY === 0) sweep(at);
      const times = windows.get(key) ?? [];
      while (times.length > 0 && at - times[0]! >= RATE_WINDOW_MS) times.shift();
      if (times.length >= perMinute) {
        windows.set(key, times);
        return { ok: false, retryAfterMs: Math.max(1, RATE_WINDOW_MS - (at - times[0]!)) };
      }
      times.push(at);
      // Re-inserted at the end: Map order is then least recently used first, which is what eviction takes.
      windows.delete(key);
      windows.set(key, times);
      if (windows.size > maxKeys) {
        sweep(at);
        while (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
      }
      return { ok: true };
    },
    allow: (key) => limiter.take(key).ok,
    get size() {
      return windows.size;
    },
  };
  return limiter;
}
