/**
 * Open connections, in two pools that never borrow from each other (threat model, "Resource limits"):
 *
 * - `trusted`: allowlisted or paired origins, `maxConnections` in total and `maxConnectionsPerOrigin` each;
 * - `unknown`: every other origin, sharing `maxUnknownConnections`, `maxConnectionsPerUnknownOrigin` each.
 *
 * So any number of unknown sites can fill only their own small pool, never a slot a trusted portal needs.
 * The pool is chosen when the connection is accepted; a connection keeps counting in that pool until it closes,
 * even if the origin is paired (or unpaired) meanwhile — its next connections go to the new pool.
 *
 * A slot is an object whose `release()` works once: the listener ties it to the socket's `close`, which every
 * path (refused, aborted, errored or closed upgrade; closed WebSocket) ends with, so a slot cannot leak and
 * cannot be returned twice.
 */
export type ConnectionPool = "trusted" | "unknown";

export interface PoolLimits {
  readonly total: number;
  readonly perOrigin: number;
}

export interface ConnectionSlot {
  readonly origin: string;
  readonly pool: ConnectionPool;
  /** Idempotent: only the first call gives the slot back. */
  release(): void;
}

export interface ConnectionLimits {
  /** A slot, or undefined when the origin's pool (in total, or for this origin) is full. */
  tryAcquire(origin: string, pool: ConnectionPool): ConnectionSlot | undefined;
  /** Open slots, both pools. */
  readonly total: number;
  count(pool: ConnectionPool, origin?: string): number;
}

export function createConnectionLimits(limits: Readonly<Record<ConnectionPool, PoolLimits>>): ConnectionLimits {
  // Only origins with an open slot are keys, so the maps never hold more than the pool's total.
  const perOrigin: Record<ConnectionPool, Map<string, number>> = { trusted: new Map(), unknown: new Map() };
  const totals: Record<ConnectionPool, number> = { trusted: 0, unknown: 0 };

  return {
    tryAcquire(origin, pool) {
      const current = perOrigin[pool].get(origin) ?? 0;
      if (totals[pool] >= limits[pool].total || current >= limits[pool].perOrigin) return undefined;
      perOrigin[pool].set(origin, current + 1);
      totals[pool]++;
      let held = true;
      return {
        origin,
        pool,
        release() {
          if (!held) return;
          held = false;
          const left = (perOrigin[pool].get(origin) ?? 1) - 1;
          if (left <= 0) perOrigin[pool].delete(origin);
          else perOrigin[pool].set(origin, left);
          totals[pool]--;
        },
      };
    },
    get total() {
      return totals.trusted + totals.unknown;
    },
    count(pool, origin) {
      return origin === undefined ? totals[pool] : (perOrigin[pool].get(origin) ?? 0);
    },
  };
}
