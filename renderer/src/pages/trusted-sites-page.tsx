import { useState } from "react";
import { Loaded } from "../components/loaded.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";

/** Sites the organisation lists (read-only) and sites the user paired (revocable). */
export function TrustedSitesPage() {
  const { t, formatDate } = useI18n();
  const { state, reload } = useApiRead(() => api().invoke("pairings.list"), ["approvalsChanged"]);
  const [error, setError] = useState<string>();
  const revoke = (origin: string) => {
    setError(undefined);
    api()
      .invoke("pairings.revoke", { origin })
      .then(reload)
      .catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <section aria-labelledby="sites-heading">
      <h1 id="sites-heading">{t("sites.heading")}</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <Loaded state={state}>
        {(pairings) => {
          const policy = pairings.filter((p) => p.source === "policy");
          const user = pairings.filter((p) => p.source === "user");
          return (
            <>
              <section aria-labelledby="sites-policy" data-testid="sites-policy">
                <h2 id="sites-policy">
                  {t("sites.policy")} <span className="badge badge-managed">{t("settings.managed")}</span>
                </h2>
                <p className="muted">{t("sites.policyNote")}</p>
                {policy.length === 0 ? (
                  <p>{t("sites.emptyPolicy")}</p>
                ) : (
                  <ul className="list">
                    {policy.map((p) => (
                      <li key={p.origin}>
                        <bdi className="origin-inline">{p.origin}</bdi>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="sites-user" data-testid="sites-user">
                <h2 id="sites-user">{t("sites.user")}</h2>
                {user.length === 0 ? (
                  <p>{t("sites.emptyUser")}</p>
                ) : (
                  <ul className="list">
                    {user.map((p) => (
                      <li key={p.origin}>
                        <span>
                          <bdi className="origin-inline">{p.origin}</bdi>
                          {p.pairedAt ? <span className="muted"> · {t("sites.pairedAt", { date: formatDate(p.pairedAt) })}</span> : null}
                        </span>
                        <button type="button" aria-label={t("sites.revokeLabel", { origin: p.origin })} onClick={() => revoke(p.origin)}>
                          {t("sites.revoke")}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
