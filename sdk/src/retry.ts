/**
 * Back-off for `connectWithRetry`: exponential, capped, with "equal jitter" (half fixed, half random) so pages
 * that lost KySo at the same moment (an app update) do not all knock again in the same millisecond. The random
 * half comes from `crypto.getRandomValues` (Math.random is banned in this code base).
 */
export function retryDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = cryptoRandom): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const half = ceiling / 2;
  return Math.max(0, Math.round(half + half * random()));
}

/** A number in [0, 1). Without Web Crypto (very old runtimes) the jitter is simply left out. */
function cryptoRandom(): number {
  const crypto = (globalThis as { crypto?: { getRandomValues(array: Uint32Array): Uint32Array } }).crypto;
  if (!crypto) return 0.5;
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
