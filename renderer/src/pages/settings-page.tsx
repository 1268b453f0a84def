import { useState, type ReactNode } from "react";
import type { SettingsView } from "../../../main/core/app-api/views.js";
import type { ModuleDiagnostic } from "../../../main/domain/token.js";
import type { AppParams } from "../../../preload/api.js";
import { Loaded } from "../components/loaded.js";
import { CATALOGUES, useI18n, type Language, type MessageKey, type Translate } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";
import { RemoteAccountsSection } from "./remote-accounts-section.js";

type SettingKey = SettingsView["managed"][number];
type SettingsChange = AppParams<"settings.set">;
const PIN_CACHE_CHOICES = [0, 5, 15, 30, 60] as const;
/** Seconds the approval window stays after a success before hiding itself (0: it stays until closed). */
const AUTO_HIDE_CHOICES = [0, 3, 5, 10] as const;

function Managed({ settings, name, children }: { settings: SettingsView; name: SettingKey; children: ReactNode }) {
  const { t } = useI18n();
  const managed = settings.managed.includes(name);
  return (
    <div className={`setting${managed ? " setting-managed" : ""}`} data-testid={`setting-${name}`}>
      {children}
      {managed ? <span className="badge badge-managed">🔒 {t("settings.managed")}</span> : null}
    </div>
  );
}

/** The core sends a failure code and the raw technical detail; the words come from the catalogue. */
function moduleFailureText(code: string, t: Translate): string {
  const key = `settings.moduleFailure.${code}`;
  return key in CATALOGUES.en ? t(key as MessageKey) : t("settings.moduleFailure.error");
}

export function ModuleStatusText({ module }: { module: ModuleDiagnostic }) {
  const { t } = useI18n();
  switch (module.status.kind) {
    case "ready":
      return <span className="ok">{t("settings.moduleStatus.ready", { tokens: module.status.tokens })}</span>;
    case "failed":
      return (
        <span className="error">
          {t("settings.moduleStatus.failed", { reason: moduleFailureText(module.status.code, t) })}{" "}
          <code className="muted">{module.status.reason}</code>
        </span>
      );
    case "starting":
      return <span className="muted">{t("settings.moduleStatus.starting")}</span>;
  }
}

function Modules({ settings }: { settings: SettingsView }) {
  const { t } = useI18n();
  const { state, reload } = useApiRead(() => api().invoke("diagnostics.get"), ["tokensChanged", "settingsChanged"]);
  const [path, setPath] = useState("");
  const [error, setError] = useState<string>();
  const locked = settings.managed.includes("userModules");
  const act = (call: Promise<unknown>) => {
    setError(undefined);
    call.then(reload).catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <section aria-labelledby="modules-heading">
      <h2 id="modules-heading">{t("settings.modules")}</h2>
      <p className="muted">{t("settings.modulesNote")}</p>
      <Loaded state={state}>
        {(diagnostics) =>
          diagnostics.modules.length === 0 ? (
            <p>{t("settings.noModules")}</p>
          ) : (
            <ul className="list" data-testid="modules">
              {diagnostics.modules.map((m) => (
                <li key={m.id}>
                  <span>
                    <strong>{m.vendor ?? t("settings.moduleUnnamed")}</strong> <code className="path">{m.path}</code>
                    <br />
                    <span className="muted">{t(`settings.moduleSource.${m.source}` as MessageKey)}</span> · <ModuleStatusText module={m} />
                  </span>
                  {m.source === "user" && !locked ? (
                    <button type="button" aria-label={t("settings.removeModuleLabel", { path: m.path })} onClick={() => act(api().invoke("modules.remove", { path: m.path }))}>
                      {t("settings.removeModule")}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <Managed settings={settings} name="userModules">
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) act(api().invoke("modules.add", { path: path.trim() }).then(() => setPath("")));
          }}
        >
          <label>
            {t("settings.modulePath")}
            <input value={path} onChange={(e) => setPath(e.target.value)} disabled={locked} placeholder="/usr/lib/…/libpkcs11.so" />
          </label>
          <button type="submit" disabled={locked || !path.trim()}>
            {t("settings.addModule")}
          </button>
        </form>
      </Managed>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </section>
  );
}

export function SettingsPage() {
  const { t } = useI18n();
  const { state, reload } = useApiRead(() => api().invoke("settings.get"), ["settingsChanged"]);
  const [error, setError] = useState<string>();
  const set = (change: SettingsChange) => {
    setError(undefined);
    api()
      .invoke("settings.set", change)
      .then(reload)
      .catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t("settings.heading")}</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <Loaded state={state}>
        {(settings) => (
          <>
            <Managed settings={settings} name="language">
              <label>
                {t("settings.language")}
                <select
                  value={settings.language}
                  disabled={settings.managed.includes("language")}
                  onChange={(e) => set({ language: e.target.value as Language })}
                  data-testid="language-select"
                >
                  <option value="vi" lang="vi">
                    {t("lang.vi")}
                  </option>
                  <option value="en" lang="en">
                    {t("lang.en")}
                  </option>
                </select>
              </label>
            </Managed>
            <Managed settings={settings} name="startAtLogin">
              <label className="check">
                <input
                  type="checkbox"
                  checked={settings.startAtLogin}
                  disabled={settings.managed.includes("startAtLogin")}
                  onChange={(e) => set({ startAtLogin: e.target.checked })}
                />
                {t("settings.startAtLogin")}
              </label>
            </Managed>
            <Managed settings={settings} name="bridgePaused">
              <label className="check">
                <input
                  type="checkbox"
                  checked={settings.bridgePaused}
                  disabled={settings.managed.includes("bridgePaused")}
                  onChange={(e) => set({ bridgePaused: e.target.checked })}
                />
                {t("settings.bridgePaused")}
              </label>
            </Managed>
            <Managed settings={settings} name="pinCacheMinutes">
              <label>
                {t("settings.pinCache")}
                <select
                  value={settings.pinCacheMinutes}
                  disabled={!settings.pinCacheAllowed || settings.managed.includes("pinCacheMinutes")}
                  onChange={(e) => set({ pinCacheMinutes: Number(e.target.value) })}
                >
                  {[...new Set([...PIN_CACHE_CHOICES, settings.pinCacheMinutes])].map((n) => (
                    <option key={n} value={n}>
                      {n === 0 ? t("settings.pinCacheOff") : t("settings.pinCacheMinutes", { n })}
                    </option>
                  ))}
                </select>
              </label>
              {!settings.pinCacheAllowed ? <p className="muted">{t("settings.pinCacheNotAllowed")}</p> : null}
            </Managed>
            <label>
              {t("settings.approvalAutoHide")}
              <select
                value={settings.approvalAutoHideSeconds}
                onChange={(e) => set({ approvalAutoHideSeconds: Number(e.target.value) })}
                data-testid="settings-auto-hide"
              >
                {[...new Set([...AUTO_HIDE_CHOICES, settings.approvalAutoHideSeconds])].map((n) => (
                  <option key={n} value={n}>
                    {n === 0 ? t("settings.approvalAutoHideOff") : t("settings.approvalAutoHideSeconds", { n })}
                  </option>
                ))}
              </select>
            </label>
            <Modules settings={settings} />
            <RemoteAccountsSection settings={settings} />
          </>
        )}
      </Loaded>
    </section>
  );
}
