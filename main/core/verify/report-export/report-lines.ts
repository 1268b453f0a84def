/**
 * The verification report in words, for the exported PDF: the same message keys the verify page shows
 * (`verify.*`, `verify.page.*`, `trust.root.*`), so the page and the file a clerk keeps say the same thing. Times
 * are written in UTC with the zone named: a report for the record must not depend on the reader's computer.
 */
import type { Language } from "../../../domain/errors/kyso-error.js";
import { message, type MessageKey } from "../../../domain/messages/index.js";
import type { SignatureReport, VerificationReport } from "../../../domain/wire/verify-report.js";

export interface ReportSection {
  readonly heading: string;
  /** The verdict line of the section, shown larger. */
  readonly verdict?: string;
  readonly rows: readonly (readonly [label: string, value: string])[];
}

/** The words of each official-document status (stamps-{en,vi}.ts). */
export const OFFICIAL_KEY = {
  "not-assessed": "notAssessed",
  complete: "complete",
  "leader-missing": "leaderMissing",
  "seal-missing": "sealMissing",
  "wrong-order": "wrongOrder",
} as const;

export function utcTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function reportWords(language: Language) {
  const t = (key: MessageKey, params?: Readonly<Record<string, string | number>>): string => message(language, key, params);
  const day = (iso: string): string => iso.slice(0, 10);

  function integrity(s: SignatureReport): string {
    if (s.integrity.hash === "invalid") return t("verify.page.integrity.hashInvalid");
    if (s.integrity.signature === "invalid") return t("verify.page.integrity.signatureInvalid");
    if (s.integrity.hash === "valid" && s.integrity.signature === "valid") return t("verify.page.integrity.valid");
    return t("verify.page.integrity.notChecked");
  }

  function anchor(s: SignatureReport): string {
    if (!s.chain?.trusted) return t("verify.page.anchorNone");
    if (s.chain.nationalRoot === "vn-national-root" || s.chain.nationalRoot === "vn-gov-root-g2") return t(`trust.root.${s.chain.nationalRoot}`);
    return s.chain.anchor ?? t("verify.page.anchorNone");
  }

  function revocation(s: SignatureReport): string {
    const r = s.revocation;
    if (!r) return t("common.none");
    if (!("kind" in r)) return t(r.status === "missing" ? "verify.page.revocation.missing" : "verify.page.revocation.none");
    const where = { kind: r.kind.toUpperCase(), source: t(`verify.page.source.${r.source}`) };
    return r.status === "good" ? t("verify.page.revocation.good", where) : t("verify.page.revocation.revoked", { ...where, time: r.revokedAt ? utcTime(r.revokedAt) : "?" });
  }

  function timestamp(s: SignatureReport): string {
    if (!s.timestamp) return t("verify.page.timestampNone");
    return s.timestamp.imprintValid ? utcTime(s.timestamp.time) : t("verify.page.timestampIgnored", { time: utcTime(s.timestamp.time) });
  }

  function laterUpdates(s: SignatureReport): string {
    if (s.laterUpdates.length === 0) return t("verify.page.laterNone");
    return s.laterUpdates
      .map((u) => t("verify.page.laterRevision", { revision: u.revision, kinds: u.kinds.map((k) => t(`verify.update.${k}`)).join(", ") }))
      .join("\n");
  }

  function signatureSection(s: SignatureReport, index: number): ReportSection {
    const rows: [string, string][] = [];
    const signer = s.signer;
    rows.push([t("verify.page.field"), s.fieldName]);
    if (signer) {
      rows.push([t("verify.page.signer"), signer.displayName]);
      if (signer.organization) rows.push([t("verify.page.organization"), signer.organization]);
      if (signer.taxCode) rows.push([t("verify.page.taxCode"), signer.taxCode]);
      if (signer.personalId) rows.push([t("verify.page.personalId"), signer.personalId]);
      rows.push([t("verify.page.issuer"), signer.issuer]);
    }
    rows.push([t("verify.page.anchor"), anchor(s)]);
    if (s.claimedSigningTime) rows.push([t("verify.page.claimedTime"), utcTime(s.claimedSigningTime)]);
    rows.push([t("verify.page.timestamp"), timestamp(s)]);
    rows.push([t("verify.page.integrity"), `${integrity(s)}. ${t(`verify.page.coverage.${s.coverage}`, { revision: s.revision ?? "?" })}`]);
    if (signer && s.certificateValidAtSigningTime !== undefined) {
      const range = { from: day(signer.notBefore), to: day(signer.notAfter) };
      rows.push([t("verify.page.validity"), t(s.certificateValidAtSigningTime ? "verify.page.validity.valid" : "verify.page.validity.invalid", range)]);
    }
    rows.push([t("verify.page.revocation"), revocation(s)]);
    if (s.warnings.length > 0) rows.push([t("verify.page.warnings"), s.warnings.map((w) => t(`verify.warning.${w}`)).join("\n")]);
    rows.push([t("verify.page.laterUpdates"), laterUpdates(s)]);
    if (s.result.detail) rows.push(["", t("verify.page.technical", { detail: s.result.detail })]);
    return { heading: t("verify.page.signature", { n: index + 1 }), verdict: verdictLine(s.result), rows };
  }

  function verdictLine(result: VerificationReport["result"]): string {
    const code = [result.indication, result.subIndication].filter(Boolean).join(" / ");
    return `${t(`verify.indication.${result.indication}`)}: ${t(`verify.reason.${result.reason}`)} (${code})`;
  }

  return { t, integrity, anchor, revocation, timestamp, laterUpdates, signatureSection, verdictLine };
}

/** Title, document verdict and one section per signature. */
export function reportSections(report: VerificationReport, fileName: string, language: Language): {
  title: string;
  document: ReportSection;
  signatures: ReportSection[];
  generated: (version: string, time: string) => string;
} {
  const words = reportWords(language);
  const { t } = words;
  return {
    title: t("verify.report.title"),
    document: {
      heading: t("verify.page.documentVerdict"),
      verdict: words.verdictLine(report.result),
      rows: [
        ["", t("verify.report.fileLine", { name: fileName, size: report.size, revisions: report.revisions })],
        ["", t("verify.report.sha256", { hash: report.sha256 })],
        ["", t("verify.page.validationTime", { time: utcTime(report.validationTime) })],
        ["", t("verify.page.signatures", { count: report.signatures.length })],
        ...(report.officialDocument ? [[t("official.heading"), t(`official.${OFFICIAL_KEY[report.officialDocument.status]}`)] as const] : []),
      ],
    },
    signatures: report.signatures.map((s, i) => words.signatureSection(s, i)),
    generated: (version, time) => t("verify.report.generated", { version, time }),
  };
}
