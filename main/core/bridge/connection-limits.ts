/** Open connections in total and per origin; a new one over either limit is refused at the upgrade (503). */
export interface ConnectionLimits {
  tryAcquire(origin: string): boolean;
  release(origin: string): void;
  readonly total: number;
}

export function createConnectionLimits(maxTotal: number, maxPerOrigin: number): ConnectionLimits {
  const perOrigin = new Map<string, number>();
  let total = 0;
  return {
    tryAcquire(origin) {
      const current = perOrigin.get(origin) ?? 0;
      if (total >= maxTotal || current >= maxPerOrigin) return false;
      perOrigin.set(origin, current + 1);
      total++;
      return true;
    },
    release(origin) {
      const current = perOrigin.get(origin) ?? 0;
      if (current <= 1) perOrigin.delete(origin);
      else perOrigin.set(origin, current - 1);
      total = Math.max(0, total - 1);
    },
    get total() {
      return total;
    },
  };
}
