/**
 * One ds:Reference of an XML signature: resolve its URI in the document, apply the transforms it declares and
 * compare the digest. Only what KySo can apply exactly is accepted: the enveloped-signature transform and the four
 * C14N 1.0 variants (exclusive with its InclusiveNamespaces PrefixList), in that order; anything else (XPath,
 * XSLT, base64, C14N 1.1, external URIs) is refused with a reason, never guessed (EN 319 102-1: the signed data
 * cannot be obtained → INDETERMINATE/SIGNED_DATA_NOT_FOUND, as EU DSS reports a reference it cannot process).
 */
import { createHash } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { DSIG_NS } from "../signing/xml/safe-xml.js";
import { walkElements } from "../signing/xml/xml-walk.js";
import type { VerificationResult, XmlReferenceReport } from "../../domain/wire/verify-report.js";
import { C14N, CANONICALIZATIONS, ENVELOPED_SIGNATURE, EXC_C14N, canonicalize, withoutSignature, type Canonicalization } from "./xml-canonical.js";

export const DIGEST_METHODS: Readonly<Record<string, string>> = {
  "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
  "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
  "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
  "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
  "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
};
const XADES_SIGNED_PROPERTIES_TYPE = /^http:\/\/uri\.etsi\.org\/01903(\/v1\.\d\.\d)?#SignedProperties$/;

/** Elements by their Id / ID / id attribute (no DTD declares ID types: these three names are what signers use). */
export type IdIndex = ReadonlyMap<string, readonly Element[]>;

export function indexIds(doc: Document): IdIndex {
  const index = new Map<string, Element[]>();
  walkElements(doc.documentElement!, (element) => {
    for (const name of ["Id", "ID", "id"]) {
      const value = element.getAttributeNode(name)?.value;
      if (value === undefined) continue;
      const list = index.get(value);
      if (list) list.push(element);
      else index.set(value, [element]);
    }
  });
  return index;
}

export function childrenNS(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const e = node as Element;
    if (node.nodeType === 1 && e.namespaceURI === ns && e.localName === localName) out.push(e);
  }
  return out;
}

export const childNS = (parent: Element | undefined, ns: string, localName: string): Element | undefined => (parent ? childrenNS(parent, ns, localName)[0] : undefined);

export function textOf(element: Element | undefined): string {
  return (element?.textContent ?? "").trim();
}

export function base64Bytes(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  return new Uint8Array(Buffer.from(clean, "base64"));
}

export interface ReferenceOutcome {
  readonly report: XmlReferenceReport;
  /** The node the reference resolved to (the document for URI=""), when it resolved. */
  readonly node?: Document | Element;
  /** Why the reference could not be checked (it then says `digest: "not-checked"`). */
  readonly problem?: VerificationResult;
  readonly sha1: boolean;
  /** The reference's Type says it covers XAdES SignedProperties. */
  readonly signedPropertiesType: boolean;
}

function contains(ancestor: Element, node: Element): boolean {
  for (let n: Element | null = node; n; n = n.parentNode as Element | null) if (n === ancestor) return true;
  return false;
}

export function checkReference(doc: Document, signature: Element, reference: Element, ids: IdIndex): ReferenceOutcome {
  const uri = reference.getAttributeNode("URI")?.value;
  const transformEls = childrenNS(childNS(reference, DSIG_NS, "Transforms") ?? reference, DSIG_NS, "Transform");
  const transforms = transformEls.map((t) => t.getAttribute("Algorithm") ?? "");
  const digestAlgorithm = childNS(reference, DSIG_NS, "DigestMethod")?.getAttribute("Algorithm") ?? "";
  const hashName = DIGEST_METHODS[digestAlgorithm];
  const signedPropertiesType = XADES_SIGNED_PROPERTIES_TYPE.test(reference.getAttribute("Type") ?? "");
  const base = { uri: uri ?? "", transforms };
  const refuse = (scope: XmlReferenceReport["scope"], problem: VerificationResult, node?: Document | Element, element?: string): ReferenceOutcome => ({
    report: { ...base, scope, ...(element ? { element } : {}), digest: "not-checked" },
    ...(node ? { node } : {}),
    problem,
    sha1: hashName === "sha1",
    signedPropertiesType,
  });

  // Resolve the URI: "" is the whole document, "#id" one element; XPointer forms keep comments (XMLDSig §4.4.3.3).
  let node: Document | Element | undefined;
  let comments = false;
  let id: string | undefined;
  if (uri === "") node = doc;
  else if (uri === "#xpointer(/)") {
    node = doc;
    comments = true;
  } else if (uri !== undefined) {
    const xpointer = /^#xpointer\(id\(['"]([^'"]+)['"]\)\)$/.exec(uri);
    if (xpointer) {
      id = xpointer[1]!;
      comments = true;
    } else if (uri.startsWith("#") && uri.length > 1) id = uri.slice(1);
  }
  if (id !== undefined) {
    const found = ids.get(id) ?? [];
    // The same Id twice is how signature-wrapping attacks hide the signed node: never pick one.
    if (found.length > 1) return refuse("unresolved", { indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "ambiguousReference", detail: `Id "${id}" is on ${found.length} elements` });
    node = found[0];
    if (!node) return refuse("unresolved", { indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "referenceNotFound", detail: `no element has Id "${id}"` });
  }
  if (!node) return refuse("unresolved", { indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "referenceNotFound", detail: uri === undefined ? "a Reference without URI needs the content from elsewhere" : `URI "${uri}" is not in this document` });

  const element = node.nodeType === 1 ? (node as Element) : undefined;
  const root = doc.documentElement!;
  const scope: XmlReferenceReport["scope"] =
    !element || element === root
      ? "whole-document"
      : contains(signature, element)
        ? signedPropertiesType || (element.localName === "SignedProperties" && /01903/.test(element.namespaceURI ?? ""))
          ? "signed-properties"
          : "signature-object"
        : "element";
  const elementName = element && element !== root ? element.nodeName : undefined;

  // Transforms: enveloped-signature first (optional), then at most one canonicalization, last.
  let enveloped = false;
  let canonicalization: Canonicalization = { algorithm: C14N, comments: false };
  for (const [i, algorithm] of transforms.entries()) {
    const last = i === transforms.length - 1;
    if (algorithm === ENVELOPED_SIGNATURE && !enveloped && i === 0) enveloped = true;
    else if (CANONICALIZATIONS.has(algorithm) && last) {
      const prefixes = algorithm.startsWith(EXC_C14N) ? childNS(transformEls[i], EXC_C14N, "InclusiveNamespaces")?.getAttribute("PrefixList") : undefined;
      canonicalization = { algorithm, comments, ...(prefixes ? { inclusivePrefixes: prefixes } : {}) };
    } else {
      return refuse(scope, { indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "unsupportedTransform", detail: algorithm || "(no Algorithm)" }, node, elementName);
    }
  }
  if (!hashName) return refuse(scope, { indication: "INDETERMINATE", subIndication: "CRYPTO_CONSTRAINTS_FAILURE", reason: "unsupportedAlgorithm", detail: `digest ${digestAlgorithm}` }, node, elementName);

  const expected = base64Bytes(textOf(childNS(reference, DSIG_NS, "DigestValue")));
  const octets = enveloped ? withoutSignature(node, signature, () => canonicalize(node, canonicalization)) : canonicalize(node, canonicalization);
  const digest = createHash(hashName).update(octets).digest();
  const valid = expected !== undefined && digest.equals(Buffer.from(expected));
  return { report: { ...base, scope, ...(elementName ? { element: elementName } : {}), digest: valid ? "valid" : "invalid" }, node, sha1: hashName === "sha1", signedPropertiesType };
}
