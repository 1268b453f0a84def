/**
 * The user's settings, in a `conf` JSON file in the data folder (not the Electron shell's settings package, which needs the Electron runtime: core runs in plain Node).
 * Values the machine policy manages win over the file and are reported as `managed`.
 */
import Conf from "conf";
import type { Language, SettingsView } from "../app-api/views.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import { ensurePrivateDirSync, PRIVATE_FILE_MODE, tightenFileSync } from "../storage/private-files.js";

interface StoredSettings {
  language: Language;
  startAtLogin: boolean;
  userModules: string[];
  pinCacheMinutes: number;
  bridgePaused: boolean;
  approvalAutoHideSeconds: number;
}

export type SettingsPatch = Partial<Pick<StoredSettings, "language" | "startAtLogin" | "pinCacheMinutes" | "bridgePaused" | "approvalAutoHideSeconds">>;

/** The approval window hides itself this long after a success unless the user changes it (0 = stays open). */
export const DEFAULT_APPROVAL_AUTO_HIDE_SECONDS = 3;

export interface SettingsStore {
  view(): SettingsView;
  update(patch: SettingsPatch): SettingsView;
  addModule(path: string): boolean;
  removeModule(path: string): boolean;
}

export function createSettingsStore(dataDir: string, policy: KysoPolicy, defaults: { language: Language }): SettingsStore {
  // The folder first (conf would create it 0755), then every write as 0600, and a file left wider tightened now.
  ensurePrivateDirSync(dataDir);
  const conf = new Conf<StoredSettings>({
    cwd: dataDir,
    configName: "settings",
    configFileMode: PRIVATE_FILE_MODE,
    defaults: { language: defaults.language, startAtLogin: true, userModules: [], pinCacheMinutes: 0, bridgePaused: false, approvalAutoHideSeconds: DEFAULT_APPROVAL_AUTO_HIDE_SECONDS },
  });
  tightenFileSync(conf.path);
  const managed = policy.managed;

  function view(): SettingsView {
    const stored = conf.store;
    return {
      language: managed.language ?? stored.language,
      startAtLogin: managed.startAtLogin ?? stored.startAtLogin,
      userModules: [...stored.userModules],
      // A cache the policy does not allow is reported (and used) as off whatever the file says.
      pinCacheMinutes: policy.pinCacheAllowed ? (managed.pinCacheMinutes ?? stored.pinCacheMinutes) : 0,
      pinCacheAllowed: policy.pinCacheAllowed,
      bridgePaused: managed.bridgePaused ?? stored.bridgePaused,
      approvalAutoHideSeconds: stored.approvalAutoHideSeconds ?? DEFAULT_APPROVAL_AUTO_HIDE_SECONDS,
      managed: (Object.keys(managed) as (keyof typeof managed)[]).filter((key) => managed[key] !== undefined),
    };
  }

  return {
    view,
    update(patch) {
      for (const [key, value] of Object.entries(patch) as [keyof SettingsPatch, unknown][]) {
        if (value === undefined || (key !== "approvalAutoHideSeconds" && managed[key] !== undefined)) continue;
        if (key === "pinCacheMinutes" && !policy.pinCacheAllowed) continue;
        conf.set(key, value as never);
      }
      return view();
    },
    addModule(path) {
      const modules = conf.get("userModules");
      if (modules.includes(path)) return false;
      conf.set("userModules", [...modules, path]);
      return true;
    },
    removeModule(path) {
      const modules = conf.get("userModules");
      if (!modules.includes(path)) return false;
      conf.set(
        "userModules",
        modules.filter((m) => m !== path),
      );
      return true;
    },
  };
}
