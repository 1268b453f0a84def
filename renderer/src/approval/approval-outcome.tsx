import type { ApprovalItemView, ApprovalState, ItemResultView } from "../../../main/core/app-api/approval-view.js";
import { useI18n } from "../i18n/index.js";

function ItemResults({ results, items }: { results: readonly ItemResultView[]; items: readonly ApprovalItemView[] }) {
  const { t } = useI18n();
  if (items.length <= 1) return null;
  return (
    <ol className="item-results" data-testid="item-results">
      {results.map((result) => (
        <li key={result.index} className={result.ok ? "ok" : "failed"}>
          {t("approval.item", { n: result.index + 1 })}
          {items[result.index]?.display?.fileName ? (
            <>
              {" "}(<bdi>{items[result.index]?.display?.fileName}</bdi>)
            </>
          ) : null}
          : {result.ok ? t("approval.itemOk") : t("approval.itemFailed", { message: result.error.message })}
        </li>
      ))}
    </ol>
  );
}

/** Everything after the user's decision: progress, results, or why nothing was signed. */
export function ApprovalOutcome({ state, items, signerName }: {
  state: ApprovalState | { readonly kind: "ended" };
  items: readonly ApprovalItemView[];
  /** The display name of the certificate that signed, for the success state. */
  signerName?: string | undefined;
}) {
  const { t } = useI18n();
  switch (state.kind) {
    case "signing":
      return (
        <section aria-live="polite" data-testid="approval-signing">
          <p>{t("approval.signing", { done: state.done, total: state.total })}</p>
          <progress max={state.total} value={state.done} aria-label={t("approval.progress")} />
          <ItemResults results={state.results} items={items} />
        </section>
      );
    case "done": {
      const ok = state.results.filter((r) => r.ok).length;
      const all = ok === state.results.length;
      return (
        <section aria-live="polite" data-testid="approval-done" className={all ? "done-success" : undefined}>
          {all ? (
            <p className="success strong" data-testid="approval-success">
              <span aria-hidden="true">✓ </span>
              {signerName ? t("approval.doneWith", { count: ok, name: signerName }) : t("approval.doneCount", { count: ok })}
            </p>
          ) : (
            <p className="warning">{t("approval.doneBatch", { ok, total: state.results.length })}</p>
          )}
          {items.length > 1 ? <progress max={state.results.length} value={state.results.length} aria-label={t("approval.progress")} /> : null}
          <ItemResults results={state.results} items={items} />
        </section>
      );
    }
    case "failed":
      return (
        <section role="alert" data-testid="approval-failed">
          <p className="error">
            {t("approval.failed")}: {state.error.message}
          </p>
        </section>
      );
    case "cancelled":
      return (
        <section aria-live="polite" data-testid="approval-cancelled">
          <p className="muted">{t(`approval.cancelled.${state.reason}`)}</p>
        </section>
      );
    case "ended":
      return (
        <section aria-live="polite" data-testid="approval-ended">
          <p className="muted">{t("approval.ended")}</p>
        </section>
      );
    default:
      return null;
  }
}
