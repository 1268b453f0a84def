import { useState, type ChangeEvent } from "react";
import type { FileApprovalView } from "../../../main/core/app-api/approval-view.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { fileToBase64 } from "../verify/file-bytes.js";
import { ApprovalOutcome } from "./approval-outcome.js";
import type { Outcome } from "./approval-selection.js";
import { OriginHeader } from "./origin-header.js";
import { WebsiteText } from "./document-view.js";

const megabytes = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))} MB`;

/**
 * A vendor file flow that names no file (VGCA, empty `FileName`): the user chooses the PDF here. The bytes go to the
 * core (`approvals.provideFile`), which reads them in the document worker and opens the normal sign approval, where
 * the document is shown and Approve is enabled. Reject is the vendor's "cancelled by the user".
 */
export function FileApproval({ view, outcome }: { view: FileApprovalView; outcome?: Outcome | undefined }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const open = !outcome && view.state.kind === "needs-file";
  const reject = () => {
    setBusy(true);
    api()
      .invoke("approvals.reject", { approvalId: view.id })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  const chosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    // Checked here too so a huge file is not read into memory for nothing; the core checks again.
    if (file.size > view.maxBytes) {
      setError(t("fileApproval.tooLarge", { size: megabytes(view.maxBytes) }));
      return;
    }
    setBusy(true);
    setError(undefined);
    fileToBase64(file)
      .then((base64) => api().invoke("approvals.provideFile", { approvalId: view.id, fileName: file.name, base64 }))
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  const ended = outcome ?? (view.state.kind === "needs-file" ? undefined : view.state);
  return (
    <section className="approval" aria-labelledby="approval-heading" data-testid="file-approval">
      <h1 id="approval-heading">{t("fileApproval.heading")}</h1>
      <OriginHeader origin={view.origin} expiresAt={view.expiresAt} open={open} />
      <WebsiteText display={view.display} />
      {open ? (
        <>
          <p>{t("fileApproval.explain")}</p>
          <label>
            {t("fileApproval.choose")}{" "}
            <input type="file" data-testid="approval-file" accept=".pdf,application/pdf" onChange={chosen} disabled={busy} />
          </label>
          <p className="muted">{t("fileApproval.limit", { size: megabytes(view.maxBytes) })}</p>
          {busy ? <p role="status">{t("fileApproval.reading")}</p> : null}
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="actions">
            <button type="button" className="secondary" onClick={reject} disabled={busy}>
              {t("approval.reject")}
            </button>
          </div>
        </>
      ) : ended?.kind === "done" ? (
        <p role="status" data-testid="file-received">{t("fileApproval.received")}</p>
      ) : ended ? (
        <ApprovalOutcome state={ended} items={[]} />
      ) : null}
    </section>
  );
}
