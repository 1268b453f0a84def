import type { ReactNode } from "react";
import type { SignatureReport } from "../../../main/domain/wire/verify-report.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { Verdict } from "./verdict-banner.js";

function Row({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function integrityKey(s: SignatureReport): MessageKey {
  if (s.integrity.hash === "invalid") return "verify.page.integrity.hashInvalid";
  if (s.integrity.signature === "invalid") return "verify.page.integrity.signatureInvalid";
  if (s.integrity.hash === "valid" && s.integrity.signature === "valid") return "verify.page.integrity.valid";
  return "verify.page.integrity.notChecked";
}

/** The trust anchor: the two Vietnamese national roots by name, another anchor by its subject. */
function Anchor({ s }: { readonly s: SignatureReport }) {
  const { t } = useI18n();
  if (!s.chain?.trusted) return <>{t("verify.page.anchorNone")}</>;
  const root = s.chain.nationalRoot;
  if (root === "vn-national-root" || root === "vn-gov-root-g2") return <span data-national-root={root}>{t(`trust.root.${root}`)}</span>;
  return <bdi>{s.chain.anchor ?? t("verify.page.anchorNone")}</bdi>;
}

function Revocation({ s }: { readonly s: SignatureReport }) {
  const { t, formatDate } = useI18n();
  const r = s.revocation;
  if (!r) return <>{t("common.none")}</>;
  if (!("kind" in r)) return <>{t(r.status === "missing" ? "verify.page.revocation.missing" : "verify.page.revocation.none")}</>;
  const where = { kind: r.kind.toUpperCase(), source: t(`verify.page.source.${r.source}`) };
  if (r.status === "good") return <>{t("verify.page.revocation.good", where)}</>;
  return <>{t("verify.page.revocation.revoked", { ...where, time: r.revokedAt ? formatDate(r.revokedAt, true) : "?" })}</>;
}

function Timestamp({ s }: { readonly s: SignatureReport }) {
  const { t, formatDate } = useI18n();
  if (!s.timestamp) return <>{t("verify.page.timestampNone")}</>;
  const time = formatDate(s.timestamp.time, true);
  return <>{s.timestamp.imprintValid ? time : t("verify.page.timestampIgnored", { time })}</>;
}

function LaterUpdates({ s }: { readonly s: SignatureReport }) {
  const { t } = useI18n();
  if (s.laterUpdates.length === 0) return <>{t("verify.page.laterNone")}</>;
  return (
    <ul className="later-updates">
      {s.laterUpdates.map((u) => (
        <li key={u.revision} data-kinds={u.kinds.join(" ")}>
          {t("verify.page.laterRevision", { revision: u.revision, kinds: u.kinds.map((k) => t(`verify.update.${k}`)).join(", ") })}
        </li>
      ))}
    </ul>
  );
}

/** One signature: who signed, under which root, when (claimed vs timestamped), and what each check found. */
export function SignatureCard({ s, index }: { readonly s: SignatureReport; readonly index: number }) {
  const { t, formatDate } = useI18n();
  const signer = s.signer;
  const headingId = `signature-${index}`;
  return (
    <section className="card signature-card" aria-labelledby={headingId} data-testid="verify-signature">
      <h3 id={headingId}>
        {t("verify.page.signature", { n: index + 1 })}
        {signer ? (
          <>
            {": "}
            <bdi>{signer.displayName}</bdi>
          </>
        ) : null}
      </h3>
      <Verdict result={s.result} testId="signature-verdict" />
      <dl className="verify-details">
        <Row label={t("verify.page.field")}>
          <bdi>{s.fieldName}</bdi>
        </Row>
        {signer ? (
          <>
            <Row label={t("verify.page.signer")}>
              <bdi>{signer.displayName}</bdi>
            </Row>
            {signer.organization ? (
              <Row label={t("verify.page.organization")}>
                <bdi>{signer.organization}</bdi>
              </Row>
            ) : null}
            {signer.taxCode ? <Row label={t("verify.page.taxCode")}>{signer.taxCode}</Row> : null}
            {signer.personalId ? <Row label={t("verify.page.personalId")}>{signer.personalId}</Row> : null}
            <Row label={t("verify.page.issuer")}>
              <bdi>{signer.issuer}</bdi>
            </Row>
          </>
        ) : null}
        <Row label={t("verify.page.anchor")}>
          <Anchor s={s} />
        </Row>
        {s.claimedSigningTime ? <Row label={t("verify.page.claimedTime")}>{formatDate(s.claimedSigningTime, true)}</Row> : null}
        <Row label={t("verify.page.timestamp")}>
          <Timestamp s={s} />
        </Row>
        <Row label={t("verify.page.integrity")}>
          {t(integrityKey(s))}. {t(`verify.page.coverage.${s.coverage}`, { revision: s.revision ?? "?" })}
        </Row>
        {signer && s.certificateValidAtSigningTime !== undefined ? (
          <Row label={t("verify.page.validity")}>
            {t(s.certificateValidAtSigningTime ? "verify.page.validity.valid" : "verify.page.validity.invalid", { from: formatDate(signer.notBefore), to: formatDate(signer.notAfter) })}
          </Row>
        ) : null}
        <Row label={t("verify.page.revocation")}>
          <Revocation s={s} />
        </Row>
        {s.warnings.length > 0 ? (
          <Row label={t("verify.page.warnings")}>
            <ul className="verify-warnings">
              {s.warnings.map((w) => (
                <li key={w}>{t(`verify.warning.${w}`)}</li>
              ))}
            </ul>
          </Row>
        ) : null}
        <Row label={t("verify.page.laterUpdates")}>
          <LaterUpdates s={s} />
        </Row>
      </dl>
      {s.result.detail ? <p className="muted">{t("verify.page.technical", { detail: s.result.detail })}</p> : null}
    </section>
  );
}
