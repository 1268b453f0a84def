import { useState } from "react";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { base64ToBytes, downloadBytes } from "./file-bytes.js";

/** "Export report (PDF)" / "Export report (XML)": the core writes them from its own copy of the report. */
export function ReportExportButtons({ reportId }: { readonly reportId: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const exportAs = (format: "pdf" | "xml") => {
    setError(undefined);
    api()
      .invoke("verify.exportReport", { reportId, format })
      .then(({ fileName, mediaType, base64 }) => downloadBytes(fileName, mediaType, base64ToBytes(base64)))
      .catch((e: unknown) => setError(errorMessage(e)));
  };
  return (
    <div className="verify-exports">
      <button type="button" data-testid="export-report-pdf" onClick={() => exportAs("pdf")}>
        {t("verify.page.exportPdf")}
      </button>
      <button type="button" data-testid="export-report-xml" onClick={() => exportAs("xml")}>
        {t("verify.page.exportXml")}
      </button>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
