/**
 * The verification report as an ETSI TS 119 102-2 (v1.2.1) validation report: XML in the namespace
 * `http://uri.etsi.org/19102/v1.2.1#`, element names and order as in the published schema (19102-2 XSD), the
 * indications as its URIs (`urn:etsi:019102:mainindication:total-passed`, `urn:etsi:019102:subindication:HASH_FAILURE`).
 *
 * A faithful subset: only what KySo's report knows is written, never invented. Written per signature:
 * SignatureIdentifier (HashOnly, DocHashOnly, DAIdentifier = the PDF field name), ValidationTimeInfo
 * (ValidationTime, BestSignatureTime: the timestamp's time when its imprint matched, else the validation time),
 * SignatureAttributes (SigningTime as claimed, SignatureTimeStamp, SubFilter), SignerInformation (SignerCertificate
 * referencing a certificate ValidationObject identified by its SHA-256 digest, Signer), SignatureValidationStatus
 * (MainIndication, SubIndication, AssociatedValidationReportData with RevocationStatusInformation when revoked and
 * AdditionalValidationReportData for the reason key, the trust anchor's name, warnings and later updates);
 * SignatureValidationObjects with one certificate object per signer.
 *
 * Omitted (KySo's report does not carry the data they need): ValidationConstraintsEvaluationReport (per-constraint
 * results), SignersDocument (the digest of each signed revision), SignatureQuality, SignatureValidationProcess,
 * CertificateChain and TrustAnchor references (the report names the anchor, it does not keep its certificate: the
 * name is in AdditionalValidationReportData instead), CryptoInformation, POE/POEProvisioning of validation objects,
 * SignatureValidator and the report's own ds:Signature (the report is not signed). The schema has no place for the
 * document-level verdict; it is derivable from the signatures' indications (docs/verify.md "Verdict rules").
 */
import type { SignatureReport, VerificationReport } from "../../../domain/wire/verify-report.js";

export const ETSI_VR_NAMESPACE = "http://uri.etsi.org/19102/v1.2.1#";
const DS_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#";
const SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256";
const CERTIFICATE_TYPE = "urn:etsi:019102:validationObject:certificate";
/** KySo's own ReportData types (the schema lets a report add typed data; these URIs are KySo's). */
const KYSO_DATA = "urn:kyso:verify:";

export function mainIndicationUri(indication: string): string {
  return `urn:etsi:019102:mainindication:${indication.toLowerCase()}`;
}

export function subIndicationUri(subIndication: string): string {
  return `urn:etsi:019102:subindication:${subIndication}`;
}

/** Text and attribute escaping; characters XML 1.0 cannot carry at all are dropped (a PDF field name may hold them). */
export function xmlEscape(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

type Node = string | readonly Node[];

function el(name: string, children: Node | undefined, attributes: Readonly<Record<string, string>> = {}): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xmlEscape(value)}"`)
    .join("");
  const body = children === undefined ? "" : flatten(children);
  return body === "" ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}

function flatten(node: Node): string {
  return typeof node === "string" ? node : node.map(flatten).join("");
}

const text = (name: string, value: string): string => el(name, xmlEscape(value));

/** The XSD's xs:dateTime: an ISO instant as the report has it (already UTC, `Z`). */
const dateTime = (iso: string): string => new Date(iso).toISOString();

function reportData(type: string, value: string): string {
  return el("vr:ReportData", [text("vr:Type", `${KYSO_DATA}${type}`), text("vr:Value", value)]);
}

function certificateObjectId(signature: SignatureReport): string | undefined {
  return signature.signer ? `C-${signature.signer.fingerprintSha256.toUpperCase()}` : undefined;
}

function signatureReport(signature: SignatureReport, index: number, report: VerificationReport): string {
  const certificateId = certificateObjectId(signature);
  const timestampCounts = signature.timestamp?.imprintValid === true;
  const bestTime = timestampCounts && signature.timestamp ? signature.timestamp.time : report.validationTime;
  const attributes: string[] = [];
  if (signature.claimedSigningTime) attributes.push(el("vr:SigningTime", text("vr:Time", dateTime(signature.claimedSigningTime)), { Signed: "true" }));
  if (signature.timestamp) attributes.push(el("vr:SignatureTimeStamp", text("vr:TimeStampValue", dateTime(signature.timestamp.time)), { Signed: "false" }));
  if (signature.subFilter) attributes.push(el("vr:SubFilter", text("vr:SubFilterElement", signature.subFilter.replace(/^\//, "")), { Signed: "true" }));

  const extra: string[] = [reportData("reason", signature.result.reason)];
  if (signature.result.detail) extra.push(reportData("detail", signature.result.detail));
  if (signature.chain?.anchor) extra.push(reportData("trustAnchor", signature.chain.anchor));
  if (signature.chain?.nationalRoot) extra.push(reportData("nationalRoot", signature.chain.nationalRoot));
  extra.push(reportData("coverage", signature.coverage));
  extra.push(reportData("integrity", `hash=${signature.integrity.hash} signature=${signature.integrity.signature}`));
  if (signature.revocation) extra.push(reportData("revocation", revocationText(signature)));
  for (const warning of signature.warnings) extra.push(reportData("warning", warning));
  for (const update of signature.laterUpdates) extra.push(reportData("laterUpdate", `revision ${update.revision}: ${update.kinds.join(" ")}`));

  const associated: string[] = [];
  if (signature.revocation?.status === "revoked" && signature.revocation.revokedAt && certificateId) {
    associated.push(
      el("vr:RevocationStatusInformation", [
        el("vr:ValidationObjectId", undefined, { VOReference: certificateId }),
        text("vr:RevocationTime", dateTime(signature.revocation.revokedAt)),
      ]),
    );
  }
  associated.push(el("vr:AdditionalValidationReportData", extra));

  const id = `S-${index + 1}`;
  return el("vr:SignatureValidationReport", [
    el("vr:SignatureIdentifier", [text("vr:HashOnly", "false"), text("vr:DocHashOnly", "false"), text("vr:DAIdentifier", signature.fieldName)], { id }),
    el("vr:ValidationTimeInfo", [
      text("vr:ValidationTime", dateTime(report.validationTime)),
      el("vr:BestSignatureTime", [text("vr:POETime", dateTime(bestTime)), text("vr:TypeOfProof", "urn:etsi:019102:poetype:validation")]),
    ]),
    attributes.length > 0 ? el("vr:SignatureAttributes", attributes) : "",
    signature.signer && certificateId
      ? el("vr:SignerInformation", [el("vr:SignerCertificate", undefined, { VOReference: certificateId }), text("vr:Signer", signature.signer.displayName)])
      : "",
    el("vr:SignatureValidationStatus", [
      text("vr:MainIndication", mainIndicationUri(signature.result.indication)),
      signature.result.subIndication ? text("vr:SubIndication", subIndicationUri(signature.result.subIndication)) : "",
      el("vr:AssociatedValidationReportData", associated),
    ]),
  ]);
}

function revocationText(signature: SignatureReport): string {
  const r = signature.revocation;
  if (!r) return "";
  if (!("kind" in r)) return r.status;
  return `${r.status} ${r.kind} ${r.source}${r.revokedAt ? ` revokedAt=${r.revokedAt}` : ""}`;
}

function certificateObject(signature: SignatureReport): string | undefined {
  const id = certificateObjectId(signature);
  if (!id || !signature.signer) return undefined;
  const digest = Buffer.from(signature.signer.fingerprintSha256, "hex").toString("base64");
  return el("vr:ValidationObject", [
    text("vr:ObjectType", CERTIFICATE_TYPE),
    el("vr:ValidationObjectRepresentation", el("vr:DigestAlgAndValue", [el("ds:DigestMethod", undefined, { Algorithm: SHA256_URI }), text("ds:DigestValue", digest)])),
  ], { id });
}

/**
 * The XML text (UTF-8, with its declaration). A document without signatures still yields a ValidationReport, with
 * no SignatureValidationReport (the schema wants at least one: that file says "nothing was validated" in the
 * only honest way left, and a schema validator rejects it).
 */
export function validationReportXml(report: VerificationReport): string {
  const objects = new Map<string, string>();
  for (const signature of report.signatures) {
    const object = certificateObject(signature);
    const id = certificateObjectId(signature);
    if (object && id && !objects.has(id)) objects.set(id, object);
  }
  const body = [
    ...report.signatures.map((signature, index) => signatureReport(signature, index, report)),
    objects.size > 0 ? el("vr:SignatureValidationObjects", [...objects.values()]) : "",
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el("vr:ValidationReport", body, { "xmlns:vr": ETSI_VR_NAMESPACE, "xmlns:ds": DS_NAMESPACE })}\n`;
}
