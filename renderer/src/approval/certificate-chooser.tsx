import type { CandidateRevocationView, CandidateView } from "../../../main/core/app-api/approval-view.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { Identifiers, ValidityBadge, certificateName } from "../components/validity-badge.js";
import { ChainLine } from "../components/chain-line.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { documentTaxCodeOf, isCandidateUsable } from "./approval-selection.js";
import { algorithmText } from "./algorithm-text.js";
import { keyUsageAllowsSigning, keyUsageText } from "./key-usage-text.js";

type Translate = ReturnType<typeof useI18n>["t"];

/**
 * The usable certificates as radio rows, in the core's order (candidates.ts `rankCandidates`); the ones that cannot
 * sign this request folded under "not usable (n)", each with its reason, as compact rows that cannot be chosen.
 */
export function CertificateChooser(props: {
  candidates: readonly CandidateView[];
  tokens: readonly TokenInfo[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  disabled: boolean;
  plugged: (tokenId: string) => boolean;
}) {
  const { t } = useI18n();
  // A certificate whose token was pulled out stays in the main list (disabled, "token removed"): plugged back, it is usable again.
  const listed = props.candidates.filter((c) => c.valid && !c.refusal);
  const unusable = props.candidates.filter((c) => !listed.includes(c));
  const none = !props.candidates.some((c) => isCandidateUsable(c, props.plugged));
  const documentTaxCode = documentTaxCodeOf(props.candidates);
  return (
    <fieldset className="chooser" disabled={props.disabled}>
      <legend>{t("cert.choose")}</legend>
      {none ? (
        <p className="warning" role="alert" data-testid="no-certificate">
          {documentTaxCode ? t("cert.noneForDocument", { taxCode: documentTaxCode }) : t("cert.none")}
        </p>
      ) : null}
      {listed.map((cert) => (
        <CertificateRow key={cert.id} cert={cert} {...props} />
      ))}
      {unusable.length > 0 ? (
        <details className="unusable" data-testid="unusable-certificates">
          <summary>{t("cert.unusable", { count: unusable.length })}</summary>
          <ul className="unusable-list">
            {unusable.map((cert) => (
              <li key={cert.id} className="unusable-row" data-testid="unusable-certificate">
                <bdi className="choice-title">{certificateName(cert)}</bdi> <Identifiers cert={cert} />
                <span className="error" data-testid="unusable-reason">
                  {reasonsOf(cert, t).join("; ")}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </fieldset>
  );
}

function CertificateRow(props: {
  cert: CandidateView;
  tokens: readonly TokenInfo[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  plugged: (tokenId: string) => boolean;
}) {
  const { t, formatDate } = useI18n();
  const { cert } = props;
  const token = props.tokens.find((tk) => tk.id === cert.tokenId);
  const id = `cert-${cert.fingerprintSha256.slice(0, 16)}`;
  const usable = isCandidateUsable(cert, props.plugged);
  return (
    <label htmlFor={id} className={`choice${usable ? "" : " choice-disabled"}`}>
      <input id={id} type="radio" name="certificate" value={cert.id} checked={props.selected === cert.id} disabled={!usable} onChange={() => props.onSelect(cert.id)} />
      <span className="choice-body">
        <span className="choice-title">
          <bdi>{certificateName(cert)}</bdi> <ValidityBadge cert={cert} />
        </span>
        <Identifiers cert={cert} />
        <span className="muted">
          {t("cert.token", { label: token?.label ?? cert.tokenId })} · {t("cert.validUntil", { date: formatDate(cert.notAfter) })}
        </span>
        <span className={keyUsageAllowsSigning(cert.keyUsage) ? "muted" : "warning"} data-testid="key-usage-status">
          {keyUsageText(cert.keyUsage, t)}
        </span>
        {cert.algorithm ? (
          <span className={cert.algorithm.allowed ? "muted" : "warning"} data-testid="algorithm-status">
            {algorithmText(cert.algorithm, t)}
          </span>
        ) : null}
        {cert.revocation ? <RevocationLine revocation={cert.revocation} /> : null}
        {cert.trustChain ? <ChainLine chain={cert.trustChain} /> : null}
        {!props.plugged(cert.tokenId) ? <span className="error">{t("cert.tokenRemoved")}</span> : null}
      </span>
    </label>
  );
}

/** Why a certificate cannot sign this request, in the user's words: its own problems, then the request's refusal. */
function reasonsOf(cert: CandidateView, t: Translate): string[] {
  const reasons = cert.problems.map((p) => t(`cert.problem.${p}` as MessageKey));
  const refusal = cert.refusal;
  if (!refusal) return reasons;
  const details = refusal.details ?? {};
  if (refusal.code === "tax_code_mismatch") {
    const document = String(details.documentTaxCode ?? "");
    const own = typeof details.certificateTaxCode === "string" ? details.certificateTaxCode : undefined;
    reasons.push(own ? t("cert.refusal.taxCode", { document, certificate: own }) : t("cert.refusal.noTaxCode", { document }));
  } else if (refusal.code === "certificate_invalid" && Array.isArray(details.problems)) {
    for (const p of details.problems) reasons.push(refusalProblem(String(p), t));
  } else {
    reasons.push(t("cert.refusal.document"));
  }
  return reasons;
}

/** A `certificate_invalid` problem of this request: revocation (revocation-gate.ts) or the chain (chain-gate.ts). */
function refusalProblem(problem: string, t: Translate): string {
  if (problem === "revoked") return t("cert.problem.revoked");
  if (problem === "untrustedChain" || problem === "intermediateRevoked" || problem === "intermediateRevocationUnknown") return t(`trust.refusal.${problem}`);
  return t("cert.refusal.revocationUnknown");
}

/** One line: the status checked before the approval opened, where it came from and when (policy `revocationCheck`). */
function RevocationLine({ revocation }: { revocation: CandidateRevocationView }) {
  const { t, formatDate } = useI18n();
  const key = revocation.status === "good" ? "good" : (revocation.warning?.slice("revocation.".length) ?? "unchecked");
  const status = t(`cert.revocation.${key}` as MessageKey);
  const text =
    revocation.source === "none"
      ? t("cert.revocation.lineUnchecked", { status })
      : t("cert.revocation.line", { status, source: revocation.source.toUpperCase(), time: formatDate(revocation.checkedAt, true) });
  return (
    <span className={revocation.status === "good" ? "muted" : "warning"} data-testid="revocation-status">
      {text}
    </span>
  );
}
