/**
 * `KySo --machine-install` / `KySo --machine-uninstall`: run by the per-machine installers as administrator/root
 * (build/installer.nsh, build/linux/after-install.sh and before-remove.sh, build/mac/postinstall), then exit
 * without starting the tray or the bridge. The work is core's (main/core/deploy/machine-install.ts); this only
 * reads the machine policy from the admin-owned places and reports.
 */
import { machineInstall, machineUninstall } from "../core/deploy/machine-install.js";
import { runFile } from "../core/bridge/local-tls/trust-store.js";
import { describeMachinePolicy, discoverMachinePolicy } from "../core/policy/machine-policy.js";
import { defaultPolicy } from "../core/policy/policy-schema.js";
import type { MachineTarget } from "../core/deploy/machine-paths.js";

export type MachineCommand = "install" | "uninstall";

const MACHINE_SWITCHES: Readonly<Record<string, MachineCommand>> = { "--machine-install": "install", "--machine-uninstall": "uninstall" };

export function machineCommandOf(argv: readonly string[]): MachineCommand | undefined {
  for (const arg of argv) if (arg in MACHINE_SWITCHES) return MACHINE_SWITCHES[arg];
  return undefined;
}

/** The machine this runs on (its own root; `%ProgramData%` on Windows). */
export function thisMachine(env: Readonly<Record<string, string | undefined>> = process.env): MachineTarget {
  return { platform: process.platform, root: "/", ...(env.ProgramData ? { programData: env.ProgramData } : {}) };
}

/** 0 on success. An invalid policy still gets the certificate (browser policies wait for a valid one). */
export async function runMachineCommand(command: MachineCommand, development: boolean): Promise<number> {
  try {
    if (command === "uninstall") {
      for (const line of await machineUninstall(thisMachine(), runFile)) console.log(`kyso: ${line}`);
      return 0;
    }
    const discovered = discoverMachinePolicy({ platform: process.platform, env: process.env, development });
    console.log(`kyso: ${describeMachinePolicy(discovered)}`);
    const policy = discovered.status === "invalid" ? defaultPolicy() : discovered.policy;
    const { log } = await machineInstall(policy, thisMachine(), runFile);
    for (const line of log) console.log(`kyso: ${line}`);
    return 0;
  } catch (error) {
    console.error(`kyso: machine ${command} failed: ${(error as Error).message}`);
    return 1;
  }
}
