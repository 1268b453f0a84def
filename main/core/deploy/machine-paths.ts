/**
 * Where a per-machine install keeps what it made (docs/admin.md, "What the per-machine installers do"): the local
 * TLS set every user's KySo serves, and the record of what was written so uninstall removes exactly that. All
 * admin-owned, readable by users. `root` is "/" on a real machine and a temporary folder in tests.
 */
import { join } from "node:path";

export interface MachineTarget {
  readonly platform: NodeJS.Platform;
  /** Prefix for every absolute POSIX path ("/" for real; tests inject a temporary folder). */
  readonly root: string;
  /** Windows: `%ProgramData%` (tests inject a temporary folder). */
  readonly programData?: string;
}

/** KySo's machine folder (not the policy's folder on Linux: /etc is configuration, this is state). */
export function machineDir(target: MachineTarget): string {
  switch (target.platform) {
    case "win32":
      return join(target.programData ?? "C:\\ProgramData", "KySo");
    case "darwin":
      return join(target.root, "Library", "Application Support", "KySo");
    default:
      return join(target.root, "var", "lib", "kyso");
  }
}

export const machineTlsDir = (target: MachineTarget): string => join(machineDir(target), "tls");
const MANIFEST_FILE = "machine-install.json";
export const machineManifestPath = (target: MachineTarget): string => join(machineDir(target), MANIFEST_FILE);

/** An absolute POSIX path under the target's root. */
export const underRoot = (target: MachineTarget, absolute: string): string => join(target.root, absolute);
