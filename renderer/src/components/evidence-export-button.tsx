import { useState } from "react";
import type { AuditEntryView } from "../../../main/core/app-api/views.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";

function download(fileName: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: "application/json;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * "Export evidence" for one signature line of the history: the JSON bundle of its certificate check (chain, OCSP
 * response or CRL, result) from `evidence.export`. Renders nothing for lines without evidence.
 */
export function EvidenceExportButton({ entry }: { readonly entry: AuditEntryView }) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const auditId = entry.id;
  if (!auditId || !entry.evidence?.length) return null;
  const exportEvidence = () => {
    setError(undefined);
    api()
      .invoke("evidence.export", { auditId })
      .then(({ fileName, json }) => download(fileName, json))
      .catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <>
      <button type="button" className="link" data-testid="export-evidence" title={t("activity.exportEvidenceTitle")} onClick={exportEvidence}>
        {t("activity.exportEvidence")}
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
