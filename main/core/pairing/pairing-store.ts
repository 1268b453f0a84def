/**
 * Origins this user allowed through `pair` (in the app, never from the socket). Stored as normalised origins in
 * a `conf` file; revoking removes the entry and the next request from that origin gets `origin_not_allowed`.
 */
import Conf from "conf";
import type { PairingView } from "../app-api/views.js";
import { parseOrigin } from "../policy/origin.js";

interface StoredPairings {
  pairings: { origin: string; pairedAt: string }[];
}

export interface PairingStore {
  has(origin: string): boolean;
  add(origin: string, at: Date): void;
  revoke(origin: string): boolean;
  list(): readonly PairingView[];
}

export function createPairingStore(dataDir: string): PairingStore {
  const conf = new Conf<StoredPairings>({ cwd: dataDir, configName: "pairings", defaults: { pairings: [] } });
  const all = (): StoredPairings["pairings"] => conf.get("pairings");
  return {
    has: (origin) => all().some((p) => p.origin === origin),
    add(origin, at) {
      const parsed = parseOrigin(origin);
      if (!parsed) throw new Error(`refusing to store a non-normalised origin ${origin}`);
      if (all().some((p) => p.origin === parsed.origin)) return;
      conf.set("pairings", [...all(), { origin: parsed.origin, pairedAt: at.toISOString() }]);
    },
    revoke(origin) {
      const before = all();
      const after = before.filter((p) => p.origin !== origin);
      conf.set("pairings", after);
      return after.length !== before.length;
    },
    list: () => all().map((p) => ({ origin: p.origin, source: "user" as const, pairedAt: p.pairedAt })),
  };
}
