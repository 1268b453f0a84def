/**
 * Creates the core for the app: token hosts in Electron utility processes, data in the user's profile, the local
 * CA installed into the user's trust stores (the app is the one place that does it), and the machine policy main.ts
 * discovered in the admin-owned places (core/policy/machine-policy.ts), remote-signing tokens in the OS secret
 * store, and the CSC sign-in in the system browser.
 */
import { join } from "node:path";
import { safeStorage, shell } from "electron";
import { createCore, type KysoCore } from "../core/kyso-core.js";
import { loopbackSignIn } from "../core/remote/csc-sign-in.js";
import type { Language } from "../domain/errors/kyso-error.js";
import type { MachinePolicy } from "../core/policy/machine-policy.js";
import { REMOTE_SECRETS_FILE, SafeStorageSecretStore } from "./safe-storage-secret-store.js";
import type { FileDialogs } from "../core/files/file-dialogs.js";
import { utilityProcessSpawner } from "./utility-host-spawner.js";

export interface ShellCoreOptions {
  readonly dataDir: string;
  readonly language: Language;
  readonly hostEntry: string;
  readonly machinePolicy: MachinePolicy;
  /** "Sign files": Electron's open dialogs (file-dialogs.ts). */
  readonly fileDialogs: FileDialogs;
  /** The per-machine install's certificate folder (served instead of the user's own while it is good). */
  readonly machineTlsDir?: string;
}

export function loadCore(options: ShellCoreOptions): KysoCore {
  // Remote-signing tokens only in the OS secret store (after `ready`: safeStorage needs it); without one it
  // refuses and the settings page says how to turn a keyring on. CSC sign-in: the system browser.
  const secretStore = new SafeStorageSecretStore(join(options.dataDir, REMOTE_SECRETS_FILE), safeStorage);
  return createCore({
    remote: {
      secretStore,
      secretStoreStatus: () => secretStore.status(),
      cscSignIn: loopbackSignIn({ open: (url) => shell.openExternal(url) }),
    },
    dataDir: options.dataDir,
    language: options.language,
    spawner: utilityProcessSpawner(options.hostEntry),
    installTrust: true,
    machinePolicy: options.machinePolicy,
    fileDialogs: options.fileDialogs,
    ...(options.machineTlsDir ? { machineTlsDir: options.machineTlsDir } : {}),
  });
}
