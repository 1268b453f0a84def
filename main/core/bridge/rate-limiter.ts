/**
 * Requests per origin per minute, as a sliding one-minute window of timestamps. Shared by every connection of
 * an origin, so opening more sockets does not buy more requests.
 */
export interface RateLimiter {
  /** Records a request; false when the origin is over its limit (the request is refused, not counted). */
  allow(origin: string): boolean;
}

const WINDOW_MS = 60_000;

export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    allow(origin) {
      const at = now();
      const recent = (windows.get(origin) ?? []).filter((t) => at - t < WINDOW_MS);
      if (recent.length >= perMinute) {
        windows.set(origin, recent);
        return false;
      }
      recent.push(at);
      windows.set(origin, recent);
      return true;
    },
  };
}
