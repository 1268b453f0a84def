import { useState } from "react";
import type { RemoteProviderView, SettingsView } from "../../../main/core/app-api/views.js";
import { Loaded } from "../components/loaded.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";

/**
 * Settings, "Remote signing accounts": the providers the machine policy configures (`remote.status`), the user's
 * account id at each (setting `remoteAccounts`, validated by the core), and for CSC the browser sign-in with its
 * state. When the machine has no secure secret store, says so and how to fix it (the core refuses the sign-in).
 */
export function RemoteAccountsSection({ settings }: { settings: SettingsView }) {
  const { t } = useI18n();
  const { state, reload } = useApiRead(() => api().invoke("remote.status"), ["settingsChanged", "tokensChanged"]);
  return (
    <section aria-labelledby="remote-accounts-heading" data-testid="remote-accounts">
      <h2 id="remote-accounts-heading">{t("remoteAccounts.heading")}</h2>
      <Loaded state={state}>
        {(view) =>
          view.providers.length === 0 ? (
            <p className="muted">{t("remoteAccounts.none")}</p>
          ) : (
            <>
              <p className="muted">{t("remoteAccounts.note")}</p>
              {view.secretStore.kind === "unavailable" ? (
                <div className="warning" role="alert" data-testid="secret-store-unavailable">
                  <p>{t("remoteAccounts.storeUnavailable")}</p>
                  <p>{t(`remoteAccounts.storeFix.${view.secretStore.reason}` as MessageKey)}</p>
                </div>
              ) : view.secretStore.kind === "memory" ? (
                <p className="muted" data-testid="secret-store-memory">{t("remoteAccounts.storeMemory")}</p>
              ) : null}
              <ul className="list">
                {view.providers.map((provider) => (
                  <ProviderRow key={provider.id} provider={provider} settings={settings} canSignIn={view.secretStore.kind !== "unavailable"} onChanged={reload} />
                ))}
              </ul>
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function ProviderRow({ provider, settings, canSignIn, onChanged }: { provider: RemoteProviderView; settings: SettingsView; canSignIn: boolean; onChanged: () => void }) {
  const { t, formatDate } = useI18n();
  const [userId, setUserId] = useState(provider.userId ?? "");
  const [busy, setBusy] = useState<"save" | "signIn" | "signOut">();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const run = (what: "save" | "signIn" | "signOut", call: () => Promise<unknown>) => {
    setBusy(what);
    setError(undefined);
    setSaved(false);
    call()
      .then(() => {
        if (what === "save") setSaved(true);
        onChanged();
      })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(undefined));
  };
  const saveAccount = (next: string) => {
    const accounts = { ...settings.remoteAccounts };
    if (next) accounts[provider.id] = { ...accounts[provider.id], userId: next };
    else delete accounts[provider.id];
    run("save", () => api().invoke("settings.set", { remoteAccounts: accounts }));
  };
  const signIn = provider.signIn;
  return (
    <li data-testid={`remote-provider-${provider.id}`}>
      <div>
        <strong>{provider.name}</strong> <span className="muted">({t(`remoteAccounts.kind.${provider.kind}` as MessageKey)}, {provider.id})</span>
        <div className="inline-form">
          <label>
            {t("remoteAccounts.userId", { provider: provider.name })}
            <input value={userId} maxLength={128} onChange={(e) => setUserId(e.target.value)} data-testid={`remote-user-${provider.id}`} />
          </label>
          <button type="button" disabled={busy !== undefined || userId.trim() === (provider.userId ?? "")} onClick={() => saveAccount(userId.trim())} data-testid={`remote-save-${provider.id}`}>
            {t("remoteAccounts.save")}
          </button>
          {saved ? <span className="ok" role="status">{t("remoteAccounts.saved")}</span> : null}
        </div>
        {signIn ? (
          <div className="inline-form" data-testid={`remote-signin-${provider.id}`} data-state={signIn.signedIn ? "signed-in" : "signed-out"}>
            <span>
              {busy === "signIn"
                ? t("remoteAccounts.signingIn")
                : signIn.signedIn && signIn.expiresAt
                  ? t(signIn.refreshable ? "remoteAccounts.signedInRenews" : "remoteAccounts.signedIn", { time: formatDate(signIn.expiresAt, true) })
                  : t("remoteAccounts.signedOut")}
            </span>
            {signIn.signedIn ? (
              <button type="button" disabled={busy !== undefined} onClick={() => run("signOut", () => api().invoke("remote.signOut", { providerId: provider.id }))}>
                {t("remoteAccounts.signOut")}
              </button>
            ) : (
              <button type="button" disabled={busy !== undefined || !canSignIn} onClick={() => run("signIn", () => api().invoke("remote.signIn", { providerId: provider.id }))} data-testid={`remote-signin-button-${provider.id}`}>
                {t("remoteAccounts.signIn")}
              </button>
            )}
          </div>
        ) : null}
        {error ? <p className="error" role="alert">{error}</p> : null}
      </div>
    </li>
  );
}
