/**
 * CMS / CAdES validation of a `.p7s` (detached, with its content given alongside) or an attached CMS (the content
 * encapsulated), with the same report and verdict rules as PDF. The cryptographic checks are cms-check.ts' (the one
 * PDF uses), over the content instead of a /ByteRange. Runs in the bounded document worker only.
 */
import { createHash } from "node:crypto";
import type * as asn1js from "asn1js";
import type * as pkijs from "pkijs";
import { KysoError } from "../../domain/errors/index.js";
import { MAX_DATA_BYTES } from "../signing/limits.js";
import { MAX_SIGNATURE_CMS_BYTES } from "../signing/pdf/pdf-limits.js";
import { memorySource } from "../signing/pdf/pdf-source.js";
import { assessSignature } from "./assess.js";
import { checkCms } from "./cms-check.js";
import { parseSignedData } from "../signing/cms/signer-info-check.js";
import type { SignatureReport, VerificationReport } from "../../domain/wire/verify-report.js";
import { documentResult } from "./verdict.js";
import type { VerifyOptions } from "./verify-options.js";

/**
 * An attached CMS holds its content: the file may be as large as raw data KySo signs. A detached `.p7s` is only
 * the signature: the same cap as a PDF's /Contents.
 */
export const MAX_ATTACHED_CMS_BYTES = MAX_DATA_BYTES;

/** The encapsulated content (primitive or constructed OCTET STRING), or undefined for a detached CMS. */
function encapsulatedContent(cms: Uint8Array): Uint8Array | undefined {
  let signedData: pkijs.SignedData;
  try {
    signedData = parseSignedData(cms);
  } catch {
    return undefined; // checkCms reports what is wrong with it
  }
  const content = signedData.encapContentInfo.eContent;
  if (!content) return undefined;
  if (!content.idBlock.isConstructed) return new Uint8Array(content.valueBlock.valueHexView);
  const parts = (content.valueBlock.value as asn1js.OctetString[]).map((p) => Buffer.from(p.valueBlock.valueHexView));
  return new Uint8Array(Buffer.concat(parts));
}

export async function verifyCms(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  if (bytes.length > MAX_ATTACHED_CMS_BYTES) throw new KysoError("document_too_large", `CMS is ${bytes.length} bytes, limit ${MAX_ATTACHED_CMS_BYTES}`);
  const now = options.now ?? new Date();
  const attachedContent = encapsulatedContent(bytes);
  if (!attachedContent && bytes.length > MAX_SIGNATURE_CMS_BYTES) throw new KysoError("document_too_large", `a detached CMS of ${bytes.length} bytes`);
  const content = attachedContent ?? options.detachedContent;
  const report = (signature: SignatureReport): VerificationReport => ({
    format: "cms",
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    revisions: 1,
    cms: {
      attached: attachedContent !== undefined,
      ...(content ? { contentSize: content.length, contentSha256: createHash("sha256").update(content).digest("hex") } : {}),
    },
    validationTime: now.toISOString(),
    signatures: [signature],
    result: documentResult([signature]),
  });
  // Without its content a detached signature can still name its signer, but what it signed cannot be checked.
  const data = content ?? new Uint8Array(0);
  const check = checkCms(bytes, memorySource(data), [0, data.length, data.length, 0]);
  if (check.problem === "not-cms" && !check.signerCertificate) throw new KysoError("document_invalid", check.detail ?? "not a CMS SignedData");
  return report(
    await assessSignature({
      fieldName: "SignerInfo 1",
      coverage: "whole-file",
      check: content ? check : { ...check, hash: "not-checked", signature: "not-checked" },
      ...(content ? {} : { formatResult: { indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "detachedContentMissing" } as const }),
      intermediates: [],
      embedded: { dssOcsps: [], dssCrls: [], cmsOcsps: check.ocspResponses, cmsCrls: check.crls },
      warnings: new Set(),
      options,
      now,
    }),
  );
}
