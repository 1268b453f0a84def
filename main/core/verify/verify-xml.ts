/**
 * XML signature validation (XAdES, plain XMLDSig, the Vietnamese tax declaration and e-invoice layouts), with the
 * same report and verdict rules as PDF (docs/verify.md "XML"). Runs in the bounded document worker only; the XML
 * is read with the parser KySo uses for every untrusted XML (safe-xml.ts: no DTD, no entities, structural limits).
 *
 * Every top-level ds:Signature is validated on its own (counter-signatures inside a signature's objects are not
 * listed). What a signature covers is reported per Reference; content outside every reference of a signature,
 * other than signatures and their containers, is named (`unsignedContent`) and warned about.
 */
import { createHash } from "node:crypto";
import type { Document, Element, Node } from "@xmldom/xmldom";
import { KysoError, isKysoError } from "../../domain/errors/index.js";
import { MAX_VERIFIED_SIGNATURES } from "../signing/pdf/pdf-limits.js";
import { DSIG_NS, parseXml } from "../signing/xml/safe-xml.js";
import { registerXmlDependencies } from "../signing/xml/xml-dependencies.js";
import { assessSignature } from "./assess.js";
import type { SignatureReport, VerificationReport, VerifyWarning } from "../../domain/wire/verify-report.js";
import { documentResult } from "./verdict.js";
import type { VerifyOptions } from "./verify-options.js";
import { checkXmlSignature } from "./xml-signature.js";
import { indexIds } from "./xml-references.js";

/** Names listed in `unsignedContent` at most. */
const MAX_UNSIGNED_NAMES = 10;

const isSignature = (node: Node): boolean => node.nodeType === 1 && (node as Element).namespaceURI === DSIG_NS && (node as Element).localName === "Signature";

function topLevelSignatures(doc: Document): Element[] {
  const all = doc.getElementsByTagNameNS(DSIG_NS, "Signature");
  const out: Element[] = [];
  for (let i = 0; i < all.length; i++) {
    const sig = all.item(i) as Element;
    let nested = false;
    for (let p = sig.parentNode; p && !nested; p = p.parentNode) nested = isSignature(p);
    if (!nested) out.push(sig);
  }
  return out;
}

export async function verifyXml(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const now = options.now ?? new Date();
  registerXmlDependencies();
  const doc = parseXml(bytes);
  try {
    const ids = indexIds(doc);
    const signatures = topLevelSignatures(doc);
    const reports: SignatureReport[] = [];
    for (const [i, signature] of signatures.entries()) {
      const fieldName = signature.getAttribute("Id") || `Signature ${i + 1}`;
      if (i >= MAX_VERIFIED_SIGNATURES) {
        reports.push({ fieldName, coverage: "partial", integrity: { hash: "not-checked", signature: "not-checked" }, laterUpdates: [], warnings: [], result: { indication: "INDETERMINATE", subIndication: "FORMAT_FAILURE", reason: "tooManySignatures" } });
        continue;
      }
      const xml = checkXmlSignature(doc, signature, ids);
      // A signature whose references name only its own objects signs nothing a reader sees: KySo's choice is
      // INDETERMINATE/SIGNED_DATA_NOT_FOUND (EU DSS reports such a signature without a signature scope).
      const formatResult =
        xml.formatResult ??
        (xml.covered.length === 0 ? ({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "referenceNotFound", detail: "no reference to the document" } as const) : undefined);
      const unsigned = unsignedContent(doc.documentElement!, xml.covered, signatures);
      const warnings = new Set<VerifyWarning>(unsigned.length > 0 ? ["contentNotSigned"] : []);
      reports.push(
        await assessSignature({
          fieldName,
          coverage: xml.references.some((r) => r.scope === "whole-document") ? "whole-file" : "document-part",
          check: xml.check,
          ...(formatResult ? { formatResult } : {}),
          ...(xml.claimedSigningTime ? { claimedTime: xml.claimedSigningTime } : {}),
          intermediates: [],
          embedded: { dssOcsps: [], dssCrls: [], cmsOcsps: [], cmsCrls: [], xadesOcsps: xml.xadesOcsps, xadesCrls: xml.xadesCrls },
          warnings,
          options,
          now,
          extra: { references: xml.references, ...(unsigned.length > 0 ? { unsignedContent: unsigned } : {}) },
        }),
      );
    }
    return {
      format: "xml",
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      revisions: 1,
      validationTime: now.toISOString(),
      signatures: reports,
      result: documentResult(reports),
    };
  } catch (error) {
    if (isKysoError(error)) throw error;
    throw new KysoError("document_invalid", `XML signature unreadable: ${String(error)}`, undefined, { cause: error });
  }
}

/**
 * Elements no reference of this signature covers, other than signatures, the elements that hold them (DSCKS/NBan,
 * CKyDTu) and empty placeholders (the buyer's empty NMua): what a reader sees that this signer did not sign.
 */
export function unsignedContent(root: Element, covered: readonly (Document | Element)[], signatures: readonly Element[]): string[] {
  if (covered.some((n) => n.nodeType === 9 || n === root)) return [];
  const coveredSet = new Set<Node>(covered);
  const holders = new Set<Node>();
  for (const n of [...covered, ...signatures]) for (let e = n.parentNode; e && e.nodeType === 1; e = e.parentNode) holders.add(e);
  const out: string[] = [];
  const stack: Element[] = [root];
  while (stack.length > 0 && out.length < MAX_UNSIGNED_NAMES) {
    const element = stack.pop()!;
    if (coveredSet.has(element) || isSignature(element)) continue;
    if (!holders.has(element)) {
      if (element.attributes.length > 0 || (element.textContent ?? "").trim() !== "") out.push(element.nodeName);
      continue;
    }
    const children: Element[] = [];
    for (let child = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1) children.push(child as Element);
      else if ((child.nodeType === 3 || child.nodeType === 4) && (child.nodeValue ?? "").trim() !== "") out.push(`${element.nodeName} (text)`);
    }
    stack.push(...children.reverse());
  }
  return [...new Set(out)];
}
