/**
 * A seeded pseudo-random generator for the fuzzers (xoshiro128**, public domain by Blackman and Vigna): the same seed
 * gives the same cases on every machine, so a failing seed can be replayed and turned into a regression test. Not
 * for anything secret (KySo's ids come from node:crypto).
 */
export interface Prng {
  /** Uniform 32-bit unsigned integer. */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [min, max]. */
  range(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Uint8Array;
}

export function createPrng(seed: number): Prng {
  // splitmix32 expands the seed into the four words of state (never all zero).
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state = [splitmix(), splitmix(), splitmix(), splitmix()];
  const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(state[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (state[1]! << 9) >>> 0;
    state[2] = (state[2]! ^ state[0]!) >>> 0;
    state[3] = (state[3]! ^ state[1]!) >>> 0;
    state[1] = (state[1]! ^ state[2]!) >>> 0;
    state[0] = (state[0]! ^ state[3]!) >>> 0;
    state[2] = (state[2]! ^ t) >>> 0;
    state[3] = rotl(state[3]!, 11);
    return result;
  };
  const int = (n: number): number => (n <= 0 ? 0 : Math.floor((next() / 0x1_0000_0000) * n));
  return {
    next,
    int,
    range: (min, max) => min + int(max - min + 1),
    chance: (p) => next() / 0x1_0000_0000 < p,
    pick: (items) => items[int(items.length)]!,
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}
