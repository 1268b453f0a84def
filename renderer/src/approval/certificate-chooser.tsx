import type { CandidateRevocationView, CandidateView } from "../../../main/core/app-api/approval-view.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { Identifiers, ValidityBadge, certificateName } from "../components/validity-badge.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

export function CertificateChooser(props: {
  candidates: readonly CandidateView[];
  tokens: readonly TokenInfo[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  disabled: boolean;
  plugged: (tokenId: string) => boolean;
}) {
  const { t, formatDate } = useI18n();
  const none = !props.candidates.some((c) => c.valid && props.plugged(c.tokenId));
  return (
    <fieldset className="chooser" disabled={props.disabled}>
      <legend>{t("cert.choose")}</legend>
      {none ? (
        <p className="warning" role="alert" data-testid="no-certificate">
          {t("cert.none")}
        </p>
      ) : null}
      {/* Usable certificates first; the others stay listed so the user sees why they cannot be chosen. */}
      {[...props.candidates]
        .sort((a, b) => Number(b.valid && props.plugged(b.tokenId)) - Number(a.valid && props.plugged(a.tokenId)))
        .map((cert) => {
        const token = props.tokens.find((tk) => tk.id === cert.tokenId);
        const id = `cert-${cert.fingerprintSha256.slice(0, 16)}`;
        const usable = cert.valid && props.plugged(cert.tokenId);
        return (
          <label key={cert.id} htmlFor={id} className={`choice${usable ? "" : " choice-disabled"}`}>
            <input
              id={id}
              type="radio"
              name="certificate"
              value={cert.id}
              checked={props.selected === cert.id}
              disabled={!usable}
              onChange={() => props.onSelect(cert.id)}
            />
            <span className="choice-body">
              <span className="choice-title">
                <bdi>{certificateName(cert)}</bdi> <ValidityBadge cert={cert} />
              </span>
              <Identifiers cert={cert} />
              <span className="muted">
                {t("cert.token", { label: token?.label ?? cert.tokenId })} · {t("cert.validUntil", { date: formatDate(cert.notAfter) })}
              </span>
              {cert.revocation ? <RevocationLine revocation={cert.revocation} /> : null}
              {!props.plugged(cert.tokenId) ? <span className="error">{t("cert.tokenRemoved")}</span> : null}
              {cert.problems.length > 0 ? (
                <span className="muted">{cert.problems.map((p) => t(`cert.problem.${p}` as MessageKey)).join(", ")}</span>
              ) : null}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
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
