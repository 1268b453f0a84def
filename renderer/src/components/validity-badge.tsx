import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { certificateDisplayName } from "../../../main/domain/display-name.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

export type Validity = "valid" | "expiringSoon" | "expired" | "notYetValid" | "unusable";

/** Certificates expiring within this many days get the "expires soon" badge (renewal takes a CA visit). */
export const EXPIRES_SOON_DAYS = 30;

export function validityOf(cert: CertificateInfo, now: number = Date.now()): Validity {
  if (cert.problems.includes("expired")) return "expired";
  if (cert.problems.includes("notYetValid")) return "notYetValid";
  if (!cert.valid) return "unusable";
  const left = Date.parse(cert.notAfter) - now;
  return left < EXPIRES_SOON_DAYS * 86_400_000 ? "expiringSoon" : "valid";
}

export function ValidityBadge({ cert }: { cert: CertificateInfo }) {
  const { t } = useI18n();
  const validity = validityOf(cert);
  return <span className={`badge badge-${validity}`}>{t(`cert.badge.${validity}` as MessageKey)}</span>;
}

const ID_KEYS = ["taxCode", "personalId", "oldPersonalId", "passport", "budgetCode"] as const;

/** Tax code / citizen ID lines, the way Vietnamese users recognise their certificate. */
export function Identifiers({ cert }: { cert: CertificateInfo }) {
  const { t } = useI18n();
  const present = ID_KEYS.filter((key) => cert.vn[key]);
  if (present.length === 0) return null;
  return (
    <span className="identifiers">
      {present.map((key) => (
        <span key={key}>
          {t(`cert.id.${key}` as MessageKey)}: <bdi>{cert.vn[key]}</bdi>
        </span>
      ))}
    </span>
  );
}

/** The same name the visible PDF stamp prints (main/domain/display-name.ts): CN, else O, else a readable attribute. */
export function certificateName(cert: CertificateInfo): string {
  return certificateDisplayName(cert.subject);
}
