/**
 * Creates the core for the app: token hosts in Electron utility processes, data in the user's profile, the local
 * CA installed into the user's trust stores (the app is the one place that does it), and the machine policy main.ts
 * discovered in the admin-owned places (core/policy/machine-policy.ts).
 */
import { createCore, type KysoCore } from "../core/kyso-core.js";
import type { Language } from "../domain/errors/kyso-error.js";
import type { MachinePolicy } from "../core/policy/machine-policy.js";
import { utilityProcessSpawner } from "./utility-host-spawner.js";

export interface ShellCoreOptions {
  readonly dataDir: string;
  readonly language: Language;
  readonly hostEntry: string;
  readonly machinePolicy: MachinePolicy;
  /** The per-machine install's certificate folder (served instead of the user's own while it is good). */
  readonly machineTlsDir?: string;
}

export function loadCore(options: ShellCoreOptions): KysoCore {
  return createCore({
    dataDir: options.dataDir,
    language: options.language,
    spawner: utilityProcessSpawner(options.hostEntry),
    installTrust: true,
    machinePolicy: options.machinePolicy,
    ...(options.machineTlsDir ? { machineTlsDir: options.machineTlsDir } : {}),
  });
}
