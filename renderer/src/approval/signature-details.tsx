import type { SignatureView } from "../../../main/core/app-api/approval-view.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

/** "PAdES B-T", "CAdES B-B", "XML-DSig": the standard's name, then the level where the format has one. */
export function formatName(signature: Pick<SignatureView, "format" | "level">, t: (key: MessageKey) => string): string {
  const name = t(`sig.format.${signature.format}` as MessageKey);
  return signature.level ? `${name} ${signature.level}` : name;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Everything KySo will write into this item's signature, as KySo's own reading of the validated request (the
 * core's approval view): format and level, signer name as written, reason, location, contact, the timestamp
 * authority for B-T and where the stamp goes. The website's `display` text is shown elsewhere, as its claim.
 */
export function SignatureDetails({ signature, signerName }: { signature: SignatureView; signerName: string | undefined }) {
  const { t } = useI18n();
  const rows: { key: string; label: string; value: string; testId: string }[] = [];
  const add = (label: MessageKey, value: string | undefined, testId: string) => {
    if (value) rows.push({ key: testId, label: t(label), value, testId });
  };
  const timestamped = signature.level !== undefined && signature.level !== "B-B";
  const longTerm = signature.level === "B-LT" || signature.level === "B-LTA";
  const notes = [timestamped ? t("sig.withTimestamp") : undefined, longTerm ? t("sig.withValidationData") : undefined].filter(Boolean).join(", ");
  add("sig.format", `${formatName(signature, t)}${notes ? ` (${notes})` : ""}`, "sig-format");
  add("sig.signer", signerName, "sig-signer");
  add("sig.reason", signature.reason, "sig-reason");
  add("sig.location", signature.location, "sig-location");
  add("sig.contact", signature.contactInfo, "sig-contact");
  if (timestamped) add("sig.tsa", signature.timestampAuthority ? hostOf(signature.timestampAuthority) : t("sig.tsaMissing"), "sig-tsa");
  if (signature.format === "pades") {
    add("sig.appearance", signature.stamp ? t("sig.visibleOnPage", { page: signature.stamp.page }) : t("sig.invisible"), "sig-appearance");
  }
  // A Decree 30/2020 preset: which one, how its place was found, and the copy's scan warnings.
  const preset = signature.preset;
  if (preset) {
    add("preset.label", t(`preset.name.${preset.name}`), "sig-preset");
    // The leader found in the text layer: the line read from the page, so the user sees which block was taken.
    const page = signature.stamp?.page ?? 1;
    const where = preset.placedBy === "text-layer" && preset.foundUnder ? t("preset.placedBy.foundUnder", { page, line: preset.foundUnder }) : t(`preset.placedBy.${preset.placedBy}`, { page });
    add("preset.where", where, "sig-preset-where");
    const warnings = (preset.warnings ?? []).map((w) => t(`preset.warning.${w}`, { dpi: preset.scanDpi ?? 0 }));
    add("preset.warnings", warnings.join(" ") || undefined, "sig-preset-warnings");
  }
  return (
    <section className="signature-details" aria-label={t("sig.heading")} data-testid="signature-details">
      <h3>{t("sig.heading")}</h3>
      <dl>
        {rows.map((row) => (
          <div key={row.key}>
            <dt>{row.label}</dt>
            <dd data-testid={row.testId}>
              <bdi>{row.value}</bdi>
              {row.testId === "sig-tsa" && signature.timestampAuthority ? <span className="muted"> ({signature.timestampAuthority})</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
