import { useEffect, useRef, useState } from "react";
import type { ApprovalItemView, WebsiteDisplay } from "../../../main/core/app-api/approval-view.js";
import type { DocumentDescription, ExistingSignature } from "../../../main/domain/document-description.js";
import { groupHex } from "../i18n/format.js";
import { summaryLabel, summaryValue } from "../i18n/summary-value.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { PdfPreview, type PlacePoint } from "./pdf-preview.js";
import { SignatureDetails } from "./signature-details.js";

/** The document bytes the core holds for this item (for the PDF preview and the raw XML). */
function useDocument(approvalId: string, index: number, wanted: boolean): Uint8Array | undefined {
  const [bytes, setBytes] = useState<Uint8Array>();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    api()
      .invoke("approvals.document", { approvalId, index })
      .then(({ base64 }) => live && setBytes(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [approvalId, index, wanted]);
  return bytes;
}

/**
 * The user placing a leader or seal image on the preview: each point goes to the core (`approvals.placeStamp`),
 * which checks it and prepares the signature again before the PIN; the preview then shows the core's rectangle
 * (through `approvalsChanged`). One point at a time: a click while the last one is being checked is dropped.
 */
function usePlacement(approvalId: string, item: ApprovalItemView): { onPlace?: (at: PlacePoint) => void; checking: boolean; error?: string } {
  const [checking, setChecking] = useState(false);
  const busy = useRef(false);
  const [error, setError] = useState<string>();
  if (!item.placeable) return { checking: false };
  return {
    checking,
    ...(error ? { error } : {}),
    onPlace(at) {
      if (busy.current) return;
      busy.current = true;
      setChecking(true);
      setError(undefined);
      api()
        .invoke("approvals.placeStamp", { approvalId, index: item.index, at })
        .catch((e: unknown) => setError(errorMessage(e)))
        .finally(() => {
          busy.current = false;
          setChecking(false);
        });
    },
  };
}

/** KySo's own reading: produced by the formats' describe(), the part of the screen the user can rely on. */
function KysoReading({ description }: { description: DocumentDescription }) {
  const { t, format } = useI18n();
  switch (description.kind) {
    case "pdf":
      return (
        <>
          <p>{t("doc.pdf", { pages: description.pageCount, size: format.size(description.size) })}</p>
          {description.existingSignatures.length === 0 ? (
            <p>{t("doc.noExistingSignatures")}</p>
          ) : (
            <ul className="existing-signatures">
              {description.existingSignatures.map((s, i) => (
                <PdfSignature key={i} signature={s} />
              ))}
            </ul>
          )}
          <Fingerprint hex={description.sha256} />
        </>
      );
    case "xml":
      return (
        <>
          <p>
            {t("doc.xml", {
              layout: t(`doc.xmlLayout.${description.layout}` as MessageKey),
              root: description.rootElement,
              size: format.size(description.size),
            })}
          </p>
          <p data-testid="xml-signed-node">
            {description.signedNode.wholeDocument
              ? t("doc.xmlSignedWhole")
              : t("doc.xmlSignedNode", { name: description.signedNode.localName, id: description.signedNode.id ?? "" })}
          </p>
          {description.summary.length > 0 ? (
            <table className="summary">
              <caption>{t("doc.xmlSummary")}</caption>
              <tbody>
                {description.summary.map((row, i) => (
                  <tr key={i}>
                    <th scope="row">{summaryLabel(row, t)}</th>
                    <td>
                      <bdi>{summaryValue(row.value, t, format)}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {description.existingSignatures > 0 ? <p>{t("doc.xmlExistingSignatures", { count: description.existingSignatures })}</p> : null}
          <Fingerprint hex={description.sha256} />
        </>
      );
    case "hash":
      return (
        <>
          <p className="warning strong" role="note">
            {t("doc.hashWarning")}
          </p>
          <p>{t("doc.hash", { algorithm: description.hashAlgorithm })}</p>
          <code className="hex" data-testid="hash-hex">
            {groupHex(description.hex)}
          </code>
        </>
      );
    case "data":
      return (
        <>
          <p>{t("doc.data", { size: format.size(description.size) })}</p>
          {description.textPreview !== undefined ? (
            <>
              <p>{t("doc.textPreview")}:</p>
              <pre className="text-preview">{description.textPreview}</pre>
            </>
          ) : null}
          <Fingerprint hex={description.sha256} />
        </>
      );
  }
}

/** One existing signature: shown as valid only when KySo verified it (integrity "intact"). */
function PdfSignature({ signature: s }: { signature: ExistingSignature }) {
  const { t } = useI18n();
  // The reason in words (catalogue); the technical detail only as a tooltip for support.
  const detail = s.integrityReason ? t(`doc.sigReason.${s.integrityReason}` satisfies MessageKey) : (s.integrityDetail ?? "");
  if (s.integrity === "intact") {
    return (
      <li className="signature-intact" data-integrity="intact">
        {s.signerName ? t("doc.pdfSigIntact", { signer: s.signerName }) : t("doc.pdfSigIntactNoName", { field: s.fieldName })}
        {s.coverage === "revision" ? <> {t("doc.pdfSigRevision")}</> : null}
        {s.coverage === "partial" ? <strong className="warning"> {t("doc.pdfSigPartial")}</strong> : null}
      </li>
    );
  }
  return (
    <li className={s.integrity === "broken" ? "signature-broken warning strong" : "signature-unchecked"} data-integrity={s.integrity} title={s.integrityDetail}>
      {t(s.integrity === "broken" ? "doc.pdfSigBroken" : "doc.pdfSigUnsupported", { field: s.fieldName, detail })}
    </li>
  );
}

/**
 * What a PDF says about itself (its /Info title, the names and times written in signature dictionaries): quoted
 * under "the document says", outside KySo's own reading, like the website's text.
 */
function PdfClaims({ description }: { description: DocumentDescription }) {
  const { t } = useI18n();
  if (description.kind !== "pdf") return null;
  const rows: { label: string; value: string }[] = [];
  if (description.claims.title) rows.push({ label: t("doc.pdfClaimTitle"), value: description.claims.title });
  for (const s of description.existingSignatures) {
    const parts = [
      s.claims.name ? t("doc.pdfClaimName", { name: s.claims.name }) : undefined,
      s.claims.signedAt ? t("doc.pdfClaimSignedAt", { time: s.claims.signedAt }) : undefined,
    ].filter((p): p is string => p !== undefined);
    if (parts.length > 0) rows.push({ label: t("doc.pdfClaimSignature", { field: s.fieldName }), value: parts.join(", ") });
  }
  if (rows.length === 0) return null;
  return (
    <section className="document-claims website-text" aria-label={t("doc.pdfClaims")}>
      <h3>{t("doc.pdfClaims")}</h3>
      <dl>
        {rows.map((row, i) => (
          <div key={i}>
            <dt>{row.label}</dt>
            <dd>
              <q>
                <bdi>{row.value}</bdi>
              </q>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Fingerprint({ hex }: { hex: string }) {
  const { t } = useI18n();
  return (
    <p className="fingerprint">
      {t("doc.sha256")}: <code className="hex">{groupHex(hex)}</code>
    </p>
  );
}

/** What the website said about the request: quoted, labelled as unchecked, never styled like KySo's own text. */
export function WebsiteText({ display }: { display: WebsiteDisplay | undefined }) {
  const { t } = useI18n();
  if (!display || (!display.title && !display.fileName && !display.description)) return null;
  const rows: [MessageKey, string | undefined][] = [
    ["approval.websiteTitle", display.title],
    ["approval.websiteFileName", display.fileName],
    ["approval.websiteDescription", display.description],
  ];
  return (
    <section className="website-text" aria-label={t("approval.websiteText")}>
      <h3>{t("approval.websiteText")}</h3>
      <dl>
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{t(label)}</dt>
              <dd>
                <q>
                  <bdi>{value}</bdi>
                </q>
              </dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

/**
 * One document. In a batch (`compact`), the PDF preview is folded and fetched only when the user opens it, so a
 * twenty-document batch stays a readable list.
 */
export function DocumentView({ approvalId, item, heading, compact = false, signerName }: {
  approvalId: string;
  item: ApprovalItemView;
  heading?: string | undefined;
  compact?: boolean;
  /** The selected certificate's name as the signature will carry it. */
  signerName?: string | undefined;
}) {
  const { t } = useI18n();
  const kind = item.description.kind;
  const [previewOpen, setPreviewOpen] = useState(!compact);
  const bytes = useDocument(approvalId, item.index, (kind === "pdf" && previewOpen) || kind === "xml");
  const placement = usePlacement(approvalId, item);
  const placing = (
    <>
      {placement.checking ? <p role="status">{t("preset.place.checking")}</p> : null}
      {placement.error ? (
        <p className="warning" role="alert" data-testid="stamp-place-error">
          {placement.error}
        </p>
      ) : null}
    </>
  );
  return (
    <article className="document" data-testid={`document-${item.index}`}>
      {heading ? <h3>{heading}</h3> : null}
      <section className="kyso-reading" aria-label={t("approval.kysoReading")}>
        <h3>{t("approval.kysoReading")}</h3>
        <KysoReading description={item.description} />
      </section>
      {item.signature ? <SignatureDetails signature={item.signature} signerName={signerName} /> : null}
      <PdfClaims description={item.description} />
      <WebsiteText display={item.display} />
      {kind === "pdf" && compact ? (
        <details className="pdf-fold" onToggle={(e) => setPreviewOpen(e.currentTarget.open)}>
          <summary>{t("doc.preview")}</summary>
          {placing}
          {bytes ? <PdfPreview data={bytes} stamp={item.signature?.stamp} onPlace={placement.onPlace} /> : null}
        </details>
      ) : kind === "pdf" && bytes ? (
        <>
          {placing}
          <PdfPreview data={bytes} stamp={item.signature?.stamp} onPlace={placement.onPlace} />
        </>
      ) : null}
      {kind === "xml" && bytes ? (
        <details className="raw-xml">
          <summary>{t("doc.rawXml")}</summary>
          <pre>{new TextDecoder().decode(bytes)}</pre>
        </details>
      ) : null}
    </article>
  );
}
