/**
 * "Kiểm tra chữ ký" / "Verify signatures": the user opens (file input) or drops a signed file anywhere on the page;
 * the core validates it in its document worker (`verify.file`) and the page shows the document's verdict, then
 * each signature, and offers the report as PDF and ETSI XML. Nothing here judges a signature: every word comes
 * from the report's keys.
 */
import { useEffect, useRef, useState, type ChangeEvent } from "react";
import type { AppResult } from "../../../preload/api.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { fileToBase64 } from "../verify/file-bytes.js";
import { OfficialDocument } from "../verify/official-document.js";
import { ReportExportButtons } from "../verify/report-export-buttons.js";
import { SignatureCard } from "../verify/signature-card.js";
import { Verdict } from "../verify/verdict-banner.js";

type Checked = AppResult<"verify.file"> & { readonly size: number };

type State =
  | { readonly kind: "idle" }
  | { readonly kind: "checking"; readonly fileName: string }
  | { readonly kind: "done"; readonly checked: Checked }
  | { readonly kind: "failed"; readonly fileName: string; readonly message: string };

function Result({ checked }: { readonly checked: Checked }) {
  const { t, format, formatDate } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  // A new result takes the focus, so keyboard and screen-reader users land on it.
  useEffect(() => heading.current?.focus(), [checked.reportId]);
  const { report } = checked;
  return (
    <section className="verify-result" aria-labelledby="verify-result-heading" data-testid="verify-result">
      <h2 id="verify-result-heading" tabIndex={-1} ref={heading}>
        {t("verify.page.documentVerdict")}
      </h2>
      <p className="muted">
        <bdi>{t("verify.page.file", { name: checked.fileName, size: format.size(checked.size) })}</bdi>
        {" · "}
        {t("verify.page.validationTime", { time: formatDate(report.validationTime, true) })}
      </p>
      <Verdict result={report.result} testId="document-verdict" />
      <ReportExportButtons reportId={checked.reportId} />
      {report.officialDocument ? <OfficialDocument assessment={report.officialDocument} /> : null}
      <h2>{t("verify.page.signatures", { count: report.signatures.length })}</h2>
      {report.signatures.map((s, i) => (
        <SignatureCard key={`${i}-${s.fieldName}`} s={s} index={i} />
      ))}
    </section>
  );
}

export function VerifyPage() {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: "idle" });
  const [detached, setDetached] = useState<File | undefined>();
  const [dragging, setDragging] = useState(false);
  const generation = useRef(0);

  const check = async (file: File) => {
    const mine = ++generation.current;
    setState({ kind: "checking", fileName: file.name });
    try {
      const params = {
        fileName: file.name || "document",
        base64: await fileToBase64(file),
        ...(detached ? { detachedContent: { fileName: detached.name || "content", base64: await fileToBase64(detached) } } : {}),
      };
      const result = await api().invoke("verify.file", params);
      if (mine === generation.current) setState({ kind: "done", checked: { ...result, size: file.size } });
    } catch (error) {
      if (mine === generation.current) setState({ kind: "failed", fileName: file.name, message: errorMessage(error) });
    }
  };

  // A file dropped anywhere on the window is checked; the browser must not open it in place of the app.
  useEffect(() => {
    const over = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      setDragging(true);
    };
    const leave = () => setDragging(false);
    const drop = (event: DragEvent) => {
      event.preventDefault();
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file) void check(file);
    };
    window.addEventListener("dragover", over);
    window.addEventListener("dragleave", leave);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("drop", drop);
    };
  });

  const chosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ""; // the same file again is a new check
    if (file) void check(file);
  };

  return (
    <section className={dragging ? "verify-page dragging" : "verify-page"}>
      <h1>{t("verify.page.title")}</h1>
      <p>{t("verify.page.intro")}</p>
      <div className="verify-open">
        <label className="file-pick">
          <span className="file-pick-label">{t("verify.page.choose")}</span>
          <input type="file" data-testid="verify-file" accept=".pdf,.xml,.p7s,.p7m,application/pdf,application/xml,text/xml" onChange={chosen} />
        </label>
        <p className="muted">{t("verify.page.dropHint")}</p>
        <label className="file-pick secondary-pick">
          <span>{t("verify.page.detached")}</span>
          <input type="file" data-testid="verify-detached" onChange={(e) => setDetached(e.target.files?.[0])} />
        </label>
      </div>
      {state.kind === "checking" ? (
        <p role="status" className="muted">
          {t("verify.page.checking", { name: state.fileName })}
        </p>
      ) : null}
      {state.kind === "failed" ? (
        <p role="alert" className="error" data-testid="verify-error">
          <bdi>{state.fileName}</bdi>: {state.message}
        </p>
      ) : null}
      {state.kind === "done" ? <Result checked={state.checked} /> : null}
    </section>
  );
}
