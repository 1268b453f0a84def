import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { ApprovalView, PairApprovalView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { ApprovalOutcome } from "./approval-outcome.js";
import { BatchTable } from "./batch-table.js";
import { chooseApproval, isCandidateUsable, isOpen, rememberRejected, selectedCertificate, type Outcome, type Shown } from "./approval-selection.js";
import { CertificateChooser } from "./certificate-chooser.js";
import { certificateName } from "../components/validity-badge.js";
import type { MessageKey } from "../i18n/index.js";
import { DocumentView, WebsiteText } from "./document-view.js";
import { FileApproval } from "./file-approval.js";
import { OriginHeader } from "./origin-header.js";
import { PinField } from "./pin-field.js";
import { PhoneWait } from "./phone-wait.js";
import { isRemoteToken } from "./phone-step.js";
import { TokenWait } from "./token-wait.js";
import { pinMessage } from "./pin-message.js";
import { formatName } from "./signature-details.js";

/**
 * Every approvalsChanged payload goes through `chooseApproval` in arrival order (functional updates are applied in
 * sequence), so a short-lived state such as "signing, 1 of 1 done" is seen even when the next event, which drops
 * the request, arrives in the same tick.
 */
function useShownApproval(): { list: readonly ApprovalView[] | undefined; current: Shown | undefined } {
  const [state, setState] = useState<{ list: readonly ApprovalView[] | undefined; current: Shown | undefined }>({ list: undefined, current: undefined });
  useEffect(() => {
    let live = true;
    const receive = (list: readonly ApprovalView[]) => setState((s) => ({ list, current: chooseApproval(list, s.current) }));
    api()
      .invoke("approvals.list")
      .then((l) => live && receive(l))
      .catch(() => live && receive([]));
    const off = api().on("approvalsChanged", receive);
    return () => {
      live = false;
      off();
    };
  }, []);
  return state;
}

/** undefined until the first answer, so certificates are not shown as unplugged while loading. */
function useTokens(): readonly TokenInfo[] | undefined {
  const [tokens, setTokens] = useState<readonly TokenInfo[]>();
  useEffect(() => {
    api().invoke("tokens.list").then(setTokens).catch(() => undefined);
    return api().on("tokensChanged", setTokens);
  }, []);
  return tokens;
}

export function ApprovalPage() {
  const { t } = useI18n();
  const { list, current } = useShownApproval();
  const tokens = useTokens();

  if (!list) return <p role="status">{t("common.loading")}</p>;
  if (!current) {
    return (
      <section className="approval-empty">
        <h1>{t("approval.heading")}</h1>
        <p data-testid="approval-none">{t("approval.none")}</p>
      </section>
    );
  }
  const { view, outcome } = current;
  const others = list.filter((a) => a.id !== view.id && isOpen(a)).length;
  // Other waiting requests are named inside the fixed header, so the note never pushes the decision out of view.
  const more = others > 0 ? <p className="muted more">{t("approval.more", { count: others })}</p> : null;
  if (view.kind === "file") {
    return (
      <>
        <FileApproval key={view.id} view={view} outcome={outcome} />
        {more}
      </>
    );
  }
  return view.kind === "sign" ? (
    <SignApproval key={view.id} view={view} outcome={outcome} tokens={tokens} more={more} />
  ) : (
    <>
      <PairApproval key={view.id} view={view} outcome={outcome} />
      {more}
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
    reject: () => {
      rememberRejected(approvalId);
      run(() => api().invoke("approvals.reject", { approvalId }));
    },
    /** The OTP the remote step asks for: sent once, never kept (approvals.otp). */
    otp: (otp: string) => run(() => api().invoke("approvals.otp", { approvalId, otp })),
    approve: (certificateId?: string, pin?: string, excludedItems?: readonly number[]) =>
      run(() =>
        api().invoke("approvals.approve", {
          approvalId,
          ...(certificateId ? { certificateId } : {}),
          ...(pin !== undefined ? { pin } : {}),
          ...(excludedItems && excludedItems.length > 0 ? { excludedItems: [...excludedItems] } : {}),
        }),
      ),
  };
}

/** What is signed, in one line for the fixed header: the document's name (the website's word), format, count. */
function SignedSummary({ view }: { view: SignApprovalView }) {
  const { t } = useI18n();
  const first = view.items[0];
  const name = view.batch ? (view.display?.title ?? undefined) : (first?.display?.fileName ?? (first?.description.kind === "pdf" ? first.description.claims.title : undefined));
  const formats = [...new Set(view.items.map((item) => (item.signature ? formatName(item.signature, t) : t(`sig.format.${item.format}` as MessageKey))))];
  return (
    <p className="signed-summary" data-testid="signed-summary">
      <span className="signed-count">{view.batch ? t("approval.summaryBatch", { count: view.items.length }) : t("approval.summaryOne")}</span>
      {name ? (
        <>
          {" "}
          <q className="signed-name">
            <bdi>{name}</bdi>
          </q>
        </>
      ) : null}
      <span className="signed-format"> · {formats.join(", ")}</span>
    </p>
  );
}

function SignApproval({ view, outcome, tokens, more }: { view: SignApprovalView; outcome?: Outcome | undefined; tokens: readonly TokenInfo[] | undefined; more: ReactNode }) {
  const { t } = useI18n();
  const open = !outcome && isOpen(view);
  const decision = useDecision(view.id);
  const pinRef = useRef<HTMLInputElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  const signRef = useRef<HTMLButtonElement>(null);
  // A certificate is usable while it is valid and its token is plugged in (tokensChanged updates this live).
  const plugged = (tokenId: string) => tokens === undefined || tokens.some((tk) => tk.id === tokenId);
  const usable = view.candidates.filter((c) => isCandidateUsable(c, plugged));
  const state = view.state;
  const pinning = state.kind === "entering-pin" ? state : undefined;
  // After a wrong PIN the choice stays editable: the user's pick wins, else the certificate the PIN was for, else
  // the core's pre-selection (ranked, remembered per site and format).
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  // Tokens seen while this request was open, so an unplugged one is still named by its label.
  const seenTokens = useRef(new Map<string, TokenInfo>());
  for (const token of tokens ?? []) seenTokens.current.set(token.id, token);
  const isUsable = (id: string | undefined) => id !== undefined && usable.some((c) => c.id === id);
  const selected = selectedCertificate(view, chosen, plugged);
  const certificateId = isUsable(chosen) ? chosen : isUsable(pinning?.certificateId) ? pinning!.certificateId : selected;
  const certificate = view.candidates.find((c) => c.id === certificateId);
  const token = tokens?.find((tk) => tk.id === certificate?.tokenId);
  // The PIN state the core recorded belongs to the certificate the PIN was typed for; another one has its token's.
  const samePin = pinning !== undefined && pinning.certificateId === certificateId;
  const pinPad = (samePin ? pinning.pinPad : undefined) ?? token?.protectedAuthenticationPath ?? false;
  const pinStatus = (samePin ? pinning.pinStatus : undefined) ?? token?.pinStatus ?? "ok";
  useEscapeRejects(open, decision.reject);
  // Batch items the user unticked (batch-table.tsx); the core answers them `user_rejected`.
  const [excluded, setExcluded] = useState<ReadonlySet<number>>(new Set());
  const toggleItem = (index: number) =>
    setExcluded((current) => {
      const copy = new Set(current);
      if (!copy.delete(index)) copy.add(index);
      return copy.size < view.items.length ? copy : current;
    });

  // The last signing certificate, so the success can name it after the core has dropped the request.
  const signedWith = useRef<string | undefined>(undefined);
  if (state.kind === "signing") signedWith.current = state.certificateId;

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
    decision.approve(certificateId, pin, [...excluded]);
  };

  const lastError = samePin ? pinning.lastError : undefined;
  const message = open ? pinMessage({ pinStatus, lastError, error: decision.error, support: certificate?.support }) : undefined;
  // Focus starts where the user's next keystroke belongs: the PIN (Enter signs, Esc rejects); on a PIN pad the
  // Sign button; with nothing usable, Reject. Again after a wrong PIN.
  const focusTarget = certificateId === undefined ? "reject" : pinPad ? "sign" : "pin";
  useEffect(() => {
    if (!open) return;
    (focusTarget === "pin" ? pinRef : focusTarget === "sign" ? signRef : rejectRef).current?.focus();
  }, [open, focusTarget, lastError]);
  const canSign = open && state.kind !== "queued" && certificateId !== undefined && pinStatus !== "locked";
  const doneState = outcome ?? state;
  const doneWith = doneState.kind === "done" ? (doneState.certificateId ?? signedWith.current) : undefined;
  const signerName = view.candidates.find((c) => c.id === doneWith);
  return (
    <form className="approval approval-layout" onSubmit={submit} aria-labelledby="approval-heading">
      <div className="approval-top">
        <h1 id="approval-heading">{t("approval.heading")}</h1>
        <OriginHeader origin={view.origin} expiresAt={view.expiresAt} open={open} />
        <SignedSummary view={view} />
        {more}
      </div>
      <div className="approval-body" data-testid="approval-body" tabIndex={-1} aria-label={t("approval.bodyLabel")} role="region">
        {view.batch ? <WebsiteText display={view.display} /> : null}
        {view.batch ? (
          <BatchTable view={view} state={outcome ?? state} excluded={excluded} onToggle={toggleItem} editable={open && !decision.busy && pinning === undefined} />
        ) : (
          <div data-testid="approval-items">
            {view.items.map((item) => (
              <DocumentView
                key={item.index}
                approvalId={view.id}
                item={item}
                signerName={certificate?.signatureName ?? (certificate ? certificateName(certificate) : undefined)}
              />
            ))}
          </div>
        )}
        {open ? (
          <>
            {state.kind === "queued" ? <p role="status">{t("approval.queued")}</p> : null}
            <TokenWait wait={view.tokenWait} />
            <CertificateChooser
              candidates={view.candidates}
              tokens={[...seenTokens.current.values()]}
              plugged={plugged}
              selected={certificateId}
              onSelect={setChosen}
              disabled={decision.busy}
            />
          </>
        ) : null}
      </div>
      <div className="approval-decision" data-testid="approval-decision">
        {open ? (
          <>
            {certificateId && isRemoteToken(certificate?.tokenId) ? (
              <p className="muted" data-testid="remote-no-pin">{t("remote.noPin", { provider: certificate?.label ?? "" })}</p>
            ) : certificateId ? (
              <PinField inputRef={pinRef} status={pinStatus} pinPad={pinPad} message={message} />
            ) : null}
            {!certificateId && message ? <p className="error" role="alert">{message.text ?? (message.key ? t(message.key, message.params) : "")}</p> : null}
            <div className="actions">
              {/* Reject first in the tab order; the PIN field has the focus, so Enter signs only once a PIN is typed. */}
              <button type="button" ref={rejectRef} className="secondary" onClick={decision.reject} disabled={decision.busy}>
                {t("approval.reject")}
              </button>
              <button type="submit" ref={signRef} className="primary" disabled={!canSign || decision.busy}>
                {!view.batch
                  ? t("approval.approve")
                  : excluded.size > 0
                    ? t("batch.approveSome", { count: view.items.length - excluded.size })
                    : t("approval.approveBatch", { count: view.items.length })}
              </button>
            </div>
            <p className="muted keys">{t("approval.keys")}</p>
          </>
        ) : doneState.kind === "signing" && doneState.phone ? (
          <PhoneWait phone={doneState.phone} onCancel={decision.reject} onOtp={decision.otp} busy={decision.busy} />
        ) : view.batch && doneState.kind === "signing" ? null : (
          // A batch's progress is in its table; the outcome follows once signing is over.
          <ApprovalOutcome state={doneState} items={view.items} signerName={signerName ? (signerName.signatureName ?? certificateName(signerName)) : undefined} />
        )}
      </div>
    </form>
  );
}

function PairApproval({ view, outcome }: { view: PairApprovalView; outcome?: Outcome }) {
  const { t } = useI18n();
  const open = !outcome && isOpen(view);
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
        <ApprovalOutcome state={outcome ?? view.state} items={[]} />
      )}
    </form>
  );
}
