/**
 * The user's settings, in a `conf` JSON file in the data folder (not the Electron shell's settings package, which needs the Electron runtime: core runs in plain Node).
 * Values the machine policy manages win over the file and are reported as `managed`.
 */
import Conf from "conf";
import type { Language, RemoteAccountSetting, SettingsView } from "../app-api/views.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import { ensurePrivateDirSync, PRIVATE_FILE_MODE, tightenFileSync } from "../storage/private-files.js";

interface StoredSettings {
  language: Language;
  startAtLogin: boolean;
  userModules: string[];
  pinCacheMinutes: number;
  bridgePaused: boolean;
  /** The certificate last chosen per "<origin> <format key>" (bridge/candidates.ts), newest last. */
  certificateChoices: Record<string, string>;
  approvalAutoHideSeconds: number;
  /** The user's own account at each policy remote provider (by provider id): an id, never a password or token. */
  remoteAccounts: Record<string, RemoteAccountSetting>;
}

export type SettingsPatch = Partial<Pick<StoredSettings, "language" | "startAtLogin" | "pinCacheMinutes" | "bridgePaused" | "approvalAutoHideSeconds" | "remoteAccounts">>;

/** The approval window hides itself this long after a success unless the user changes it (0 = stays open). */
export const DEFAULT_APPROVAL_AUTO_HIDE_SECONDS = 3;

/** The user's last certificate per (origin, format key), kept in the settings file (key `certificateChoices`). */
export interface CertificateChoices {
  remembered(origin: string, formatKey: string): string | undefined;
  remember(origin: string, formatKey: string, certificateId: string): void;
}

export interface SettingsStore {
  view(): SettingsView;
  update(patch: SettingsPatch): SettingsView;
  addModule(path: string): boolean;
  removeModule(path: string): boolean;
  /** The user's last certificate per (origin, format), pre-selected next time while it is still usable. */
  readonly certificateChoices: CertificateChoices;
}

/** Enough for every portal a user signs on; the oldest choice goes first. */
export const MAX_CERTIFICATE_CHOICES = 200;

export function createSettingsStore(dataDir: string, policy: KysoPolicy, defaults: { language: Language }): SettingsStore {
  // The folder first (conf would create it 0755), then every write as 0600, and a file left wider tightened now.
  ensurePrivateDirSync(dataDir);
  const conf = new Conf<StoredSettings>({
    cwd: dataDir,
    configName: "settings",
    configFileMode: PRIVATE_FILE_MODE,
    defaults: { language: defaults.language, startAtLogin: true, userModules: [], pinCacheMinutes: 0, bridgePaused: false, certificateChoices: {}, approvalAutoHideSeconds: DEFAULT_APPROVAL_AUTO_HIDE_SECONDS, remoteAccounts: {} },
  });
  tightenFileSync(conf.path);
  // Read once and kept: conf's `store` getter reads and parses the file on every access, and a sign request reads the
  // settings several times. KySo is the file's only writer; every write saves the whole object, and only when a value
  // changed (a synchronous write with fsync per request cost the core's thread ~2.5 ms: docs/performance.md).
  let stored: StoredSettings = conf.store;
  const save = (next: StoredSettings): void => {
    stored = next;
    conf.store = next;
  };
  const managed = policy.managed;
  const remoteIds = new Set(policy.remoteSigning.providers.map((p) => p.id));

  function view(): SettingsView {
    return {
      language: managed.language ?? stored.language,
      startAtLogin: managed.startAtLogin ?? stored.startAtLogin,
      userModules: [...stored.userModules],
      // A cache the policy does not allow is reported (and used) as off whatever the file says.
      pinCacheMinutes: policy.pinCacheAllowed ? (managed.pinCacheMinutes ?? stored.pinCacheMinutes) : 0,
      pinCacheAllowed: policy.pinCacheAllowed,
      bridgePaused: managed.bridgePaused ?? stored.bridgePaused,
      approvalAutoHideSeconds: stored.approvalAutoHideSeconds ?? DEFAULT_APPROVAL_AUTO_HIDE_SECONDS,
      // Only accounts at providers the policy still configures: a removed provider's account is not offered.
      remoteAccounts: Object.fromEntries(Object.entries(stored.remoteAccounts ?? {}).filter(([id]) => remoteIds.has(id))),
      managed: (Object.keys(managed) as (keyof typeof managed)[]).filter((key) => managed[key] !== undefined),
    };
  }

  // A whole-object read and write: origins contain dots, which conf's get/set would take for a path.
  const choiceKeyOf = (origin: string, formatKey: string): string => `${origin} ${formatKey}`;
  const certificateChoices: CertificateChoices = {
    remembered(origin, formatKey) {
      const value = stored.certificateChoices?.[choiceKeyOf(origin, formatKey)];
      return typeof value === "string" ? value : undefined;
    },
    remember(origin, formatKey, certificateId) {
      const key = choiceKeyOf(origin, formatKey);
      const all = Object.entries(stored.certificateChoices ?? {});
      const newest = all.at(-1);
      // Already the newest choice: nothing to move, nothing to write (the usual case: the same portal again).
      if (newest && newest[0] === key && newest[1] === certificateId) return;
      const entries = all.filter(([k]) => k !== key);
      entries.push([key, certificateId]);
      save({ ...stored, certificateChoices: Object.fromEntries(entries.slice(-MAX_CERTIFICATE_CHOICES)) });
    },
  };

  return {
    view,
    certificateChoices,
    update(patch) {
      let next = stored;
      for (const [key, value] of Object.entries(patch) as [keyof SettingsPatch, unknown][]) {
        if (value === undefined || (key !== "approvalAutoHideSeconds" && key !== "remoteAccounts" && managed[key] !== undefined)) continue;
        if (key === "pinCacheMinutes" && !policy.pinCacheAllowed) continue;
        next = { ...next, [key]: value };
      }
      if (next !== stored) save(next);
      return view();
    },
    addModule(path) {
      if (stored.userModules.includes(path)) return false;
      save({ ...stored, userModules: [...stored.userModules, path] });
      return true;
    },
    removeModule(path) {
      if (!stored.userModules.includes(path)) return false;
      save({ ...stored, userModules: stored.userModules.filter((m) => m !== path) });
      return true;
    },
  };
}
