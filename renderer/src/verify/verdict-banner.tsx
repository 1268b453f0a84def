import type { Indication, VerificationResult } from "../../../main/domain/wire/verify-report.js";
import { useI18n } from "../i18n/index.js";

const CLASS: Readonly<Record<Indication, string>> = {
  "TOTAL-PASSED": "verdict-passed",
  "TOTAL-FAILED": "verdict-failed",
  INDETERMINATE: "verdict-indeterminate",
};

/** Hợp lệ / Không hợp lệ / Chưa xác định được with the reason in one sentence (ETSI EN 319 102-1 indications). */
export function Verdict({ result, testId }: { readonly result: VerificationResult; readonly testId: string }) {
  const { t } = useI18n();
  const code = [result.indication, result.subIndication].filter(Boolean).join(" / ");
  return (
    <div className={`verdict ${CLASS[result.indication]}`} data-testid={testId} data-indication={result.indication}>
      <p className="verdict-word">{t(`verify.indication.${result.indication}`)}</p>
      <p className="verdict-reason">{t(`verify.reason.${result.reason}`)}</p>
      <p className="verdict-code muted">
        <code>{code}</code>
      </p>
    </div>
  );
}
