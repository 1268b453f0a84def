/**
 * Origins this user allowed through `pair` (in the app, never from the socket). Stored as normalised origins in
 * a `conf` file; revoking removes the entry and the next request from that origin gets `origin_not_allowed`.
 */
import Conf from "conf";
import type { PairingView } from "../app-api/views.js";
import { parseOrigin } from "../policy/origin.js";
import { ensurePrivateDirSync, PRIVATE_FILE_MODE, tightenFileSync } from "../storage/private-files.js";

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
  // Which sites may ask to sign is for this user only: folder 0700, file 0600 (tightened if left wider).
  ensurePrivateDirSync(dataDir);
  const conf = new Conf<StoredPairings>({ cwd: dataDir, configName: "pairings", configFileMode: PRIVATE_FILE_MODE, defaults: { pairings: [] } });
  tightenFileSync(conf.path);
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
