import { useState } from "react";
import { Loaded } from "../components/loaded.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";
import type { PolicyView } from "../../../main/core/app-api/views.js";
import { diagnosticsReport, policySourceText, restartText } from "./diagnostics-report.js";
import { TrustBundleSection } from "./trust-bundle-section.js";
import { ModuleStatusText } from "./settings-page.js";

export function DiagnosticsPage() {
  const { t, formatDate } = useI18n();
  const { state, reload } = useApiRead(() => api().invoke("diagnostics.get"), ["tokensChanged", "settingsChanged"]);
  const [note, setNote] = useState<string>();
  const repair = () => {
    setNote(undefined);
    api()
      .invoke("diagnostics.repairLocalCertificate")
      .then(({ trusted }) => {
        setNote(t("diag.repaired", { result: trusted ? t("diag.trusted") : t("diag.notTrusted") }));
        reload();
      })
      .catch((e: unknown) => setNote(errorMessage(e)));
  };
  const copy = (report: string) => {
    navigator.clipboard.writeText(report).then(
      () => setNote(t("diag.copied")),
      // No clipboard permission (a locked-down session): the report stays selectable below.
      () => (document.getElementById("diag-report") as HTMLTextAreaElement | null)?.select(),
    );
  };
  return (
    <section aria-labelledby="diag-heading">
      <h1 id="diag-heading">{t("diag.heading")}</h1>
      <Loaded state={state}>
        {(d) => {
          const report = diagnosticsReport(d, t);
          const cert = d.bridge.localCertificate;
          return (
            <>
              <p>{t("diag.app", { version: d.app.version, platform: d.app.platform })}</p>
              <h2>{t("diag.bridge")}</h2>
              <p data-testid="diag-bridge">
                {d.bridge.listening.length > 0
                  ? t("diag.listening", { list: d.bridge.listening.map((l) => `${l.scheme}://127.0.0.1:${l.port}`).join(", ") })
                  : t("diag.notListening")}
                {d.bridge.paused ? ` · ${t("diag.paused")}` : ""}
              </p>
              <p>
                {t("diag.localCert")}:{" "}
                <span className={cert.trusted ? "ok" : "error"}>{cert.trusted ? t("diag.trusted") : t("diag.notTrusted")}</span>
                {cert.notAfter ? ` (${t("diag.certUntil", { date: formatDate(cert.notAfter) })})` : ""}
                {cert.problem ? <span className="muted"> · {cert.problem}</span> : null}{" "}
                <button type="button" onClick={repair}>
                  {t("diag.repair")}
                </button>
              </p>
              <h2>{t("diag.modules")}</h2>
              <p>{t("diag.tokens", { count: d.tokens })}</p>
              <ul className="list">
                {d.modules.map((m) => (
                  <li key={m.id}>
                    <span>
                      <strong>{m.vendor ?? t("settings.moduleUnnamed")}</strong> <code className="path">{m.path}</code> ·{" "}
                      <span className="muted">{t(`settings.moduleSource.${m.source}` as MessageKey)}</span> · <ModuleStatusText module={m} />
                      {m.recovery?.lastCrash ? (
                        <span className="muted" data-testid="module-restarted">
                          {" "}
                          · {restartText(m.recovery.crashes, m.recovery.lastCrash, t, (iso) => formatDate(iso, true))}
                        </span>
                      ) : null}
                    </span>
                  </li>
                ))}
              </ul>
              <PolicySection policy={d.policy} />
              {d.trustAnchors ? (
                <p data-testid="trust-anchor-counts">
                  {t("trust.anchors.counts", {
                    bundled: String(d.trustAnchors.counts.bundled),
                    policy: String(d.trustAnchors.counts.policy + d.trustAnchors.counts.file),
                    bundle: String(d.trustAnchors.counts["trust-bundle"]),
                    system: String(d.trustAnchors.counts.system),
                  })}
                  {" · "}
                  {t(d.trustAnchors.osStore ? "trust.anchors.osStoreOn" : "trust.anchors.osStoreOff")}
                </p>
              ) : null}
              {d.trustBundle?.configured ? <TrustBundleSection status={d.trustBundle} /> : null}
              <h2>{t("diag.lnaHeading")}</h2>
              <p>{t("diag.lnaHelp")}</p>
              <h2>{t("diag.report")}</h2>
              <textarea id="diag-report" readOnly value={report} rows={Math.min(14, report.split("\n").length + 1)} aria-label={t("diag.report")} />
              <p>
                <button type="button" onClick={() => copy(report)}>
                  {t("diag.copy")}
                </button>
              </p>
              {note ? <p role="status">{note}</p> : null}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

/** The policy in force: where it came from, every key the organisation set and the settings it fixes. */
function PolicySection({ policy }: { policy: PolicyView }) {
  const { t } = useI18n();
  const table = (caption: string, rows: PolicyView["keys"], testId: string) => (
    <table className="grid policy-keys" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("diag.policyKey")}</th>
          <th scope="col">{t("diag.policyValue")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, value }) => (
          <tr key={key}>
            <th scope="row">
              <code>{key}</code>
            </th>
            <td>
              <bdi className="policy-value">{value}</bdi>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section aria-labelledby="diag-policy-heading" data-testid="diag-policy">
      <h2 id="diag-policy-heading">{t("diag.policy")}</h2>
      <p data-testid="diag-policy-source">{policySourceText(policy, t)}</p>
      {policy.source !== "default" && policy.keys.length === 0 ? <p className="muted">{t("diag.policyNoKeys")}</p> : null}
      {policy.keys.length > 0 ? table(t("diag.policyKeys"), policy.keys, "diag-policy-keys") : null}
      {policy.managed.length > 0 ? table(t("diag.policyManaged"), policy.managed, "diag-policy-managed") : null}
    </section>
  );
}
