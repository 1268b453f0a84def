import { useMemo, useState } from "react";
import type { AuditEntryView } from "../../../main/core/app-api/views.js";
import { EvidenceExportButton } from "../components/evidence-export-button.js";
import { Loaded } from "../components/loaded.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";

function downloadCsv(csv: string): void {
  const url = URL.createObjectURL(new Blob([`\uFEFF${csv}`], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `kyso-activity-${new Date().toISOString().slice(0, 10)}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The audit log, newest first; the filters are applied by the core (`audit.list`). */
export function ActivityPage() {
  const { t, formatDate } = useI18n();
  const [site, setSite] = useState("");
  const [result, setResult] = useState("");
  const [exportError, setExportError] = useState<string>();
  const all = useApiRead(() => api().invoke("audit.list", {}), ["approvalsChanged"]);
  const filtered = useApiRead(
    () => api().invoke("audit.list", { ...(site ? { origin: site } : {}), ...(result ? { result } : {}) }),
    ["approvalsChanged"],
  );
  const { reload } = filtered;
  const options = useMemo(() => {
    const entries = all.state.kind === "loaded" ? all.state.value : [];
    return { sites: [...new Set(entries.map((e) => e.origin))].sort(), results: [...new Set(entries.map((e) => e.result))].sort() };
  }, [all.state]);

  const newestFirst = (entries: readonly AuditEntryView[]) => [...entries].sort((a, b) => b.time.localeCompare(a.time));
  const exportCsv = () => {
    setExportError(undefined);
    api()
      .invoke("audit.exportCsv")
      .then(({ csv }) => downloadCsv(csv))
      .catch((e: unknown) => setExportError(errorMessage(e)));
  };

  return (
    <section aria-labelledby="activity-heading">
      <h1 id="activity-heading">{t("activity.heading")}</h1>
      <div className="toolbar">
        <label>
          {t("activity.filterSite")}
          <select
            value={site}
            onChange={(e) => {
              setSite(e.target.value);
              reload();
            }}
          >
            <option value="">{t("activity.all")}</option>
            {options.sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("activity.filterResult")}
          <select
            value={result}
            onChange={(e) => {
              setResult(e.target.value);
              reload();
            }}
          >
            <option value="">{t("activity.all")}</option>
            {options.results.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={exportCsv}>
          {t("activity.export")}
        </button>
      </div>
      {exportError ? <p className="error" role="alert">{exportError}</p> : null}
      <Loaded state={filtered.state}>
        {(entries) =>
          entries.length === 0 ? (
            <p data-testid="activity-empty">{t("activity.empty")}</p>
          ) : (
            <table className="grid" data-testid="activity-table">
              <thead>
                <tr>
                  <th scope="col">{t("activity.time")}</th>
                  <th scope="col">{t("activity.site")}</th>
                  <th scope="col">{t("activity.action")}</th>
                  <th scope="col">{t("activity.format")}</th>
                  <th scope="col">{t("activity.decision")}</th>
                  <th scope="col">{t("activity.result")}</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst(entries).map((entry, i) => (
                  <tr key={`${entry.time}-${i}`}>
                    <td>{formatDate(entry.time, true)}</td>
                    <td>
                      <bdi>{entry.origin}</bdi>
                    </td>
                    <td>{entry.method}</td>
                    <td>{entry.format ?? t("common.none")}</td>
                    <td>{t(`decision.${entry.decision}` as MessageKey)}</td>
                    <td>{entry.result} <EvidenceExportButton entry={entry} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}
