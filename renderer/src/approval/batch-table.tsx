/**
 * A batch in one compact table (up to 100 rows in the approval window): the website's name for each item, KySo's
 * own reading (pages and size, what the document is), identical files flagged (same SHA-256), a tick per item (an
 * unticked item is answered `user_rejected`, at least one stays ticked), a preview opened on demand, and while
 * signing each row's status with a progress bar and the time left.
 */
import { Fragment, useRef, useState } from "react";
import type { ApprovalItemView, ApprovalState, ItemResultView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { DocumentDescription } from "../../../main/domain/document-description.js";
import type { Formatter } from "../i18n/format.js";
import { summaryValue } from "../i18n/summary-value.js";
import { useI18n, type MessageKey, type Translate } from "../i18n/index.js";
import { DocumentView } from "./document-view.js";

/** The item's identity for duplicate detection: the SHA-256 KySo computed (a hash item's own value). */
function digestOf(description: DocumentDescription): string {
  return description.kind === "hash" ? description.hex.toLowerCase() : description.sha256;
}

/** For each item that repeats an earlier one, the number (1-based) of the first item with the same bytes. */
export function duplicatesOf(items: readonly ApprovalItemView[]): ReadonlyMap<number, number> {
  const first = new Map<string, number>();
  const duplicates = new Map<number, number>();
  for (const item of items) {
    const digest = digestOf(item.description);
    const seen = first.get(digest);
    if (seen === undefined) first.set(digest, item.index);
    else duplicates.set(item.index, seen + 1);
  }
  return duplicates;
}

function sizeText(d: DocumentDescription, t: Translate, format: Formatter): string {
  switch (d.kind) {
    case "pdf":
      return t("batch.pagesSize", { pages: d.pageCount, size: format.size(d.size) });
    case "hash":
      return t("common.none");
    default:
      return format.size(d.size);
  }
}

/** KySo's own one-line reading: the kind of document and, for a known XML layout, its first summary value. */
function kysoTitle(d: DocumentDescription, t: Translate, format: Formatter): string {
  switch (d.kind) {
    case "pdf":
      return t("batch.pdf");
    case "xml": {
      const layout = t(`doc.xmlLayout.${d.layout}` as MessageKey);
      const first = d.summary[0];
      return first ? `${layout}: ${summaryValue(first.value, t, format)}` : layout;
    }
    case "hash":
      return t("batch.hash");
    case "data":
      return d.textPreview ? `${t("batch.data")}: ${d.textPreview.slice(0, 60)}` : t("batch.data");
  }
}

type RowStatus = "waiting" | "signing" | "ok" | "failed" | "excluded";

function statusOf(index: number, results: ReadonlyMap<number, ItemResultView>, next: number | undefined, excluded: boolean): RowStatus {
  const result = results.get(index);
  if (result) return result.ok ? "ok" : result.excluded ? "excluded" : "failed";
  if (excluded) return "excluded";
  return index === next ? "signing" : "waiting";
}

/** Seconds left from the pace so far (clock of this window: the first item seen and the latest one). */
function useEta(done: number, total: number, signing: boolean): number | undefined {
  const started = useRef<{ at: number; done: number } | undefined>(undefined);
  if (!signing) {
    started.current = undefined;
    return undefined;
  }
  const now = Date.now();
  started.current ??= { at: now, done };
  const { at, done: base } = started.current;
  const finished = done - base;
  if (finished <= 0 || done >= total) return undefined;
  return Math.ceil((((now - at) / finished) * (total - done)) / 1000);
}

function etaText(seconds: number, t: Translate): string {
  if (seconds < 60) return t("batch.etaSeconds", { n: seconds });
  return t("batch.etaMinutes", { m: Math.floor(seconds / 60), s: seconds % 60 });
}

export interface BatchTableProps {
  readonly view: SignApprovalView;
  /** The approval's state as the window shows it (an ended request keeps its last results). */
  readonly state: ApprovalState | { readonly kind: "ended" };
  readonly excluded: ReadonlySet<number>;
  readonly onToggle?: (index: number) => void;
  /** Ticking is possible only while the request waits for the decision. */
  readonly editable: boolean;
}

export function BatchTable({ view, state, excluded, onToggle, editable }: BatchTableProps) {
  const { t, format } = useI18n();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const duplicates = duplicatesOf(view.items);
  const results = new Map<number, ItemResultView>(state.kind === "signing" || state.kind === "done" ? state.results.map((r) => [r.index, r]) : []);
  const signing = state.kind === "signing";
  const next = signing ? view.items.find((item) => !results.has(item.index) && !excluded.has(item.index))?.index : undefined;
  const showStatus = signing || state.kind === "done";
  const done = results.size;
  const eta = useEta(done, view.items.length, signing);
  const kept = view.items.length - excluded.size;
  const toggleExpanded = (index: number) =>
    setExpanded((current) => {
      const copy = new Set(current);
      if (!copy.delete(index)) copy.add(index);
      return copy;
    });

  return (
    <section className="batch" aria-labelledby="batch-table-heading" data-testid="batch">
      <div className="batch-summary">
        <h2 id="batch-table-heading">{t("approval.items", { count: view.items.length })}</h2>
        {editable ? (
          <p className="muted" data-testid="batch-selected" aria-live="polite">
            {t("batch.selected", { count: kept, total: view.items.length })}
          </p>
        ) : null}
      </div>
      {showStatus ? (
        <div className="batch-progress" data-testid="batch-progress" aria-live="polite">
          <progress max={view.items.length} value={done} aria-label={t("approval.progress")} />
          <span>
            {t("batch.progress", { done, total: view.items.length })}
            {eta !== undefined ? ` · ${t("batch.eta", { time: etaText(eta, t) })}` : ""}
          </span>
        </div>
      ) : null}
      <div className="batch-scroll" data-testid="batch-scroll" tabIndex={0} role="region" aria-label={t("batch.table")}>
        <table className="grid batch-table" data-testid="batch-table">
          <thead>
            <tr>
              <th scope="col">{showStatus ? t("batch.status") : t("batch.include")}</th>
              <th scope="col">{t("batch.number")}</th>
              <th scope="col">{t("batch.name")}</th>
              <th scope="col">{t("batch.pages")}</th>
              <th scope="col">{t("batch.kysoTitle")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("batch.view")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.items.map((item) => {
              const n = item.index + 1;
              const name = item.display?.fileName ?? item.display?.title ?? t("approval.item", { n });
              const isExcluded = excluded.has(item.index);
              const duplicateOf = duplicates.get(item.index);
              const open = expanded.has(item.index);
              const status = statusOf(item.index, results, next, isExcluded);
              return (
                <Fragment key={item.index}>
                  <tr className={isExcluded ? "excluded" : undefined} data-testid={`batch-row-${item.index}`}>
                    <td>
                      {showStatus ? (
                        <span className={`batch-status status-${status}`} data-status={status}>
                          {t(`batch.status.${status}`)}
                        </span>
                      ) : (
                        <input
                          type="checkbox"
                          checked={!isExcluded}
                          disabled={!editable || (!isExcluded && kept <= 1)}
                          onChange={() => onToggle?.(item.index)}
                          aria-label={t("batch.includeItem", { n, name })}
                        />
                      )}
                    </td>
                    <td>{n}</td>
                    <td className="batch-name">
                      <bdi>{name}</bdi>
                      {duplicateOf !== undefined ? (
                        <span className="badge badge-duplicate" data-testid="batch-duplicate">
                          {t("batch.duplicate", { n: duplicateOf })}
                        </span>
                      ) : null}
                    </td>
                    <td className="nowrap">{sizeText(item.description, t, format)}</td>
                    <td className="batch-title" title={kysoTitle(item.description, t, format)}>
                      <bdi>{kysoTitle(item.description, t, format)}</bdi>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        aria-expanded={open}
                        aria-controls={`batch-detail-${item.index}`}
                        aria-label={t(open ? "batch.hideItem" : "batch.viewItem", { n })}
                        onClick={() => toggleExpanded(item.index)}
                      >
                        {t("batch.view")}
                      </button>
                    </td>
                  </tr>
                  {open ? (
                    <tr className="batch-detail" id={`batch-detail-${item.index}`}>
                      <td colSpan={6}>
                        <DocumentView approvalId={view.id} item={item} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
