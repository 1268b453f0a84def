import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ApprovalView, PairApprovalView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { TokenInfo } from "../../../main/core/domain/token.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { ApprovalOutcome } from "./approval-outcome.js";
import { CertificateChooser } from "./certificate-chooser.js";
import { DocumentView, WebsiteText } from "./document-view.js";
import { OriginHeader } from "./origin-header.js";
import { PinField } from "./pin-field.js";

export function isOpen(view: ApprovalView): boolean {
  return view.state.kind === "queued" || view.state.kind === "choosing-certificate" || view.state.kind === "entering-pin";
}

/**
 * Which request the window shows: the one on screen while the core still lists it (its final state stays visible
 * after the core drops it), else the oldest open one. A new request never replaces one the user is deciding on.
 */
export function chooseApproval(list: readonly ApprovalView[], current: ApprovalView | undefined): ApprovalView | undefined {
  const updated = current && list.find((a) => a.id === current.id);
  if (updated) return updated;
  if (current && isOpen(current)) return current;
  return list.find(isOpen) ?? current ?? list[0];
}

function useApprovals(): readonly ApprovalView[] | undefined {
  const [list, setList] = useState<readonly ApprovalView[]>();
  useEffect(() => {
    let live = true;
    api()
      .invoke("approvals.list")
      .then((l) => live && setList(l))
      .catch(() => live && setList([]));
    const off = api().on("approvalsChanged", (l) => setList(l));
    return () => {
      live = false;
      off();
    };
  }, []);
  return list;
}

function useTokens(): readonly TokenInfo[] {
  const [tokens, setTokens] = useState<readonly TokenInfo[]>([]);
  useEffect(() => {
    api().invoke("tokens.list").then(setTokens).catch(() => undefined);
    return api().on("tokensChanged", setTokens);
  }, []);
  return tokens;
}

export function ApprovalPage() {
  const { t } = useI18n();
  const list = useApprovals();
  const tokens = useTokens();
  const [current, setCurrent] = useState<ApprovalView>();
  useEffect(() => {
    if (list) setCurrent((c) => chooseApproval(list, c));
  }, [list]);

  if (!list) return <p role="status">{t("common.loading")}</p>;
  if (!current) {
    return (
      <section className="approval-empty">
        <h1>{t("approval.heading")}</h1>
        <p data-testid="approval-none">{t("approval.none")}</p>
      </section>
    );
  }
  const others = list.filter((a) => a.id !== current.id && isOpen(a)).length;
  return (
    <>
      {current.kind === "sign" ? <SignApproval key={current.id} view={current} tokens={tokens} /> : <PairApproval key={current.id} view={current} />}
      {others > 0 ? <p className="muted more">{t("approval.more", { count: others })}</p> : null}
    </>
  );
}

/** Escape rejects while the request is open, wherever the focus is. */
function useEscapeRejects(open: boolean, reject: () => void): void {
  const latest = useRef(reject);
  latest.current = reject;
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        latest.current();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
}

function useDecision(approvalId: string) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    call()
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  return {
    busy,
    error,
    reject: () => run(() => api().invoke("approvals.reject", { approvalId })),
    approve: (certificateId?: string, pin?: string) =>
      run(() =>
        api().invoke("approvals.approve", {
          approvalId,
          ...(certificateId ? { certificateId } : {}),
          ...(pin !== undefined ? { pin } : {}),
        }),
      ),
  };
}

function SignApproval({ view, tokens }: { view: SignApprovalView; tokens: readonly TokenInfo[] }) {
  const { t } = useI18n();
  const open = isOpen(view);
  const decision = useDecision(view.id);
  const pinRef = useRef<HTMLInputElement>(null);
  const firstValid = view.candidates.find((c) => c.valid)?.id;
  const [chosen, setChosen] = useState<string | undefined>(firstValid);
  // A removed token takes its certificates out of the candidates: fall back to what is still there.
  const selected = view.candidates.some((c) => c.id === chosen && c.valid) ? chosen : firstValid;
  const state = view.state;
  const pinning = state.kind === "entering-pin" ? state : undefined;
  const certificateId = pinning?.certificateId ?? selected;
  const token = tokens.find((tk) => tk.id === view.candidates.find((c) => c.id === certificateId)?.tokenId);
  const pinPad = pinning?.pinPad ?? token?.protectedAuthenticationPath ?? false;
  const pinStatus = pinning?.pinStatus ?? token?.pinStatus ?? "ok";
  useEscapeRejects(open, decision.reject);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!open || decision.busy || !certificateId) return;
    const input = pinRef.current;
    const pin = pinPad || !input ? undefined : input.value;
    if (input) input.value = "";
    if (!pinPad && !pin) {
      input?.focus();
      return;
    }
    decision.approve(certificateId, pin);
  };

  const error = decision.error ?? pinning?.lastError?.message;
  const canSign = open && state.kind !== "queued" && certificateId !== undefined && pinStatus !== "locked";
  return (
    <form className="approval" onSubmit={submit} aria-labelledby="approval-heading">
      <h1 id="approval-heading">{t("approval.heading")}</h1>
      <OriginHeader origin={view.origin} expiresAt={view.expiresAt} open={open} />
      {view.batch ? <WebsiteText display={view.display} /> : null}
      {view.batch ? <h2>{t("approval.items", { count: view.items.length })}</h2> : null}
      <div className={view.batch ? "batch-items" : undefined} data-testid="approval-items">
        {view.items.map((item) => (
          <DocumentView key={item.index} approvalId={view.id} item={item} heading={view.batch ? t("approval.item", { n: item.index + 1 }) : undefined} />
        ))}
      </div>
      {open ? (
        <>
          {state.kind === "queued" ? <p role="status">{t("approval.queued")}</p> : null}
          <CertificateChooser
            candidates={view.candidates}
            tokens={tokens}
            selected={certificateId}
            onSelect={setChosen}
            disabled={decision.busy || pinning !== undefined}
          />
          {certificateId ? <PinField inputRef={pinRef} status={pinStatus} pinPad={pinPad} error={error} /> : null}
          {!certificateId && error ? <p className="error" role="alert">{error}</p> : null}
          <div className="actions">
            {/* Reject comes first and has the focus: signing is the destructive choice (style habit 9). */}
            <button type="button" className="secondary" autoFocus onClick={decision.reject} disabled={decision.busy}>
              {t("approval.reject")}
            </button>
            <button type="submit" className="primary" disabled={!canSign || decision.busy}>
              {view.batch ? t("approval.approveBatch", { count: view.items.length }) : t("approval.approve")}
            </button>
          </div>
          <p className="muted keys">{t("approval.keys")}</p>
        </>
      ) : (
        <ApprovalOutcome state={state} items={view.items} />
      )}
    </form>
  );
}

function PairApproval({ view }: { view: PairApprovalView }) {
  const { t } = useI18n();
  const open = isOpen(view);
  const decision = useDecision(view.id);
  useEscapeRejects(open, decision.reject);
  return (
    <form
      className="approval"
      aria-labelledby="approval-heading"
      onSubmit={(e) => {
        e.preventDefault();
        if (open) decision.approve();
      }}
    >
      <h1 id="approval-heading">{t("approval.pairHeading")}</h1>
      <OriginHeader origin={view.origin} expiresAt={view.expiresAt} open={open} />
      {open ? (
        <>
          <p>{t("approval.pairExplain")}</p>
          {decision.error ? <p className="error" role="alert">{decision.error}</p> : null}
          <div className="actions">
            <button type="button" className="secondary" autoFocus onClick={decision.reject} disabled={decision.busy}>
              {t("approval.reject")}
            </button>
            <button type="submit" className="primary" disabled={decision.busy}>
              {t("approval.allow")}
            </button>
          </div>
        </>
      ) : (
        <ApprovalOutcome state={view.state} items={[]} />
      )}
    </form>
  );
}
