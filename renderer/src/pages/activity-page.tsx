import { useState } from "react";
import type { AuditRowView } from "../../../main/core/app-api/views.js";
import { EvidenceExportButton } from "../components/evidence-export-button.js";
import { Loaded } from "../components/loaded.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";

/** The CSV the core built (BOM included) saved through the browser's download (Electron asks where to save it). */
function saveCsv(csv: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `yyyy-mm-dd` from a date input → the ISO instant of that local midnight (`days` later). */
function localDayStart(value: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}

interface Filters {
  readonly kind: "signing" | "all";
  readonly site: string;
  readonly from: string;
  readonly to: string;
}

function queryOf(f: Filters) {
  const from = localDayStart(f.from);
  const to = localDayStart(f.to, 1); // "to" includes the whole day
  return { kind: f.kind, ...(f.site.trim() ? { site: f.site.trim() } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * "Nhật ký ký số": the audit log in plain words (the core words each line in the UI language), signatures only
 * unless the user asks for every event; filtered and exported by the core.
 */
export function ActivityPage() {
  const { t, formatDate } = useI18n();
  const [filters, setFilters] = useState<Filters>({ kind: "signing", site: "", from: "", to: "" });
  const [note, setNote] = useState<{ kind: "error" | "status"; text: string }>();
  const { state, reload } = useApiRead(() => api().invoke("audit.list", queryOf(filters)), ["approvalsChanged", "settingsChanged"]);
  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    reload();
  };
  const exportCsv = () => {
    setNote(undefined);
    api()
      .invoke("audit.exportCsv", queryOf(filters))
      .then(({ csv, fileName }) => {
        saveCsv(csv, fileName);
        setNote({ kind: "status", text: t("activity.exported", { name: fileName }) });
      })
      .catch((e: unknown) => setNote({ kind: "error", text: errorMessage(e) }));
  };

  return (
    <section aria-labelledby="activity-heading">
      <h1 id="activity-heading">{t("activity.heading")}</h1>
      <p className="muted">{t("activity.intro")}</p>
      <div className="toolbar" role="search">
        <label>
          {t("activity.kind")}
          <select value={filters.kind} onChange={(e) => update({ kind: e.target.value === "all" ? "all" : "signing" })}>
            <option value="signing">{t("activity.kindSigning")}</option>
            <option value="all">{t("activity.kindAll")}</option>
          </select>
        </label>
        <label>
          {t("activity.search")}
          <input type="search" value={filters.site} maxLength={200} onChange={(e) => update({ site: e.target.value })} />
        </label>
        <label>
          {t("activity.from")}
          <input type="date" value={filters.from} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          {t("activity.to")}
          <input type="date" value={filters.to} onChange={(e) => update({ to: e.target.value })} />
        </label>
        <button type="button" onClick={exportCsv}>
          {t("activity.export")}
        </button>
      </div>
      {note ? (
        <p className={note.kind === "error" ? "error" : "muted"} role={note.kind === "error" ? "alert" : undefined} data-testid="activity-note">
          {note.text}
        </p>
      ) : null}
      <Loaded state={state}>
        {(entries) =>
          entries.length === 0 ? (
            <p data-testid="activity-empty">{t("activity.empty")}</p>
          ) : (
            <div className="table-scroll">
              <table className="grid" data-testid="activity-table">
                <thead>
                  <tr>
                    <th scope="col">{t("activity.time")}</th>
                    <th scope="col">{t("activity.document")}</th>
                    <th scope="col">{t("activity.site")}</th>
                    <th scope="col">{t("activity.certificate")}</th>
                    {filters.kind === "all" ? <th scope="col">{t("activity.action")}</th> : null}
                    <th scope="col">{t("activity.result")}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry: AuditRowView, i) => (
                    <tr key={`${entry.time}-${i}`}>
                      <td>{formatDate(entry.time, true)}</td>
                      <td>
                        {entry.documentName ? <bdi>{entry.documentName}</bdi> : (entry.words.format ?? t("common.none"))}
                        {entry.documentName && entry.words.format ? <span className="muted"> · {entry.words.format}</span> : null}
                      </td>
                      <td>
                        <bdi>{entry.origin}</bdi>
                      </td>
                      <td>{entry.certificateName ? <bdi>{entry.certificateName}</bdi> : t("common.none")}</td>
                      {filters.kind === "all" ? <td>{entry.words.action}</td> : null}
                      <td className={entry.words.ok ? "ok" : "result-failed"}>
                        {entry.words.result} <EvidenceExportButton entry={entry} />
                        {entry.count && entry.count > 1 ? <span className="muted"> · {t("activity.count", { count: entry.count })}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
