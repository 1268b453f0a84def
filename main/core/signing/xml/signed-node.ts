/**
 * What an XML signature will cover, resolved once by the same function for describe() and sign() (issue 9, "one
 * rule for summaries"): the approval screen reads its summary only inside `signedElement`, and the signer
 * references exactly that element. Every ambiguity that would let the two disagree, or that would make the signer
 * fail after the PIN, is refused here with `document_invalid`:
 *  - an Id value (any attribute named Id, ID or id, in any namespace) carried by more than one element;
 *  - not exactly one candidate for the layout's signed node (HSoKhaiThue, DLHDon), a candidate without an Id, or
 *    one inside an existing Signature (xmldsigjs would not find it);
 *  - a signature container (CKyDTu, DSCKS/NBan) that already holds a signature; an e-invoice without a seller MST;
 *    document Ids the e-invoice signature itself uses (NBan, SigningTime);
 *  - XInclude elements (a verifier that expands them checks other bytes than KySo showed), namespace declarations
 *    libxml2's canonicaliser refuses (relative or non-URI namespace names, `xmlns:p=""`, rebinding xml/xmlns).
 */
import type { Attr, Document, Element } from "@xmldom/xmldom";
import { KysoError } from "../../../domain/errors/index.js";
import { childByLocalName, idOf, textAt, type XmlLayout } from "./layouts.js";
import { DSIG_NS } from "./safe-xml.js";
import { walkElements } from "./xml-walk.js";

export type XmlFormat = "xades" | "xmldsig" | "vn-tax" | "vn-einvoice";

export interface XmlSignaturePlan {
  readonly format: XmlFormat;
  /** The layout whose summary is shown; "generic" shows none. */
  readonly layout: XmlLayout;
  /** The element the signature covers: the layout's node for `#Id` references, the root for `URI=""`. */
  readonly signedElement: Element;
  /** The Id attribute the reference uses (absent for whole-document signatures). */
  readonly id?: { readonly name: string; readonly value: string };
  readonly wholeDocument: boolean;
  /** XMLDSig Signature elements already in the document. */
  readonly existingSignatures: number;
}

const XINCLUDE_NS = new Set(["http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"]);
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
const ID_NAMES = new Set(["Id", "ID", "id"]);
/** An absolute URI made of RFC 3986 characters: what libxml2's C14N accepts as a namespace name. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
/** Ids the e-invoice seller signature writes itself (Signature Id and its SigningTime Object). */
export const EINVOICE_SIGNATURE_ID = "NBan";
export const EINVOICE_TIME_ID = "SigningTime";

function invalid(detail: string): never {
  throw new KysoError("document_invalid", detail);
}

interface Scan {
  readonly candidates: Map<string, Element[]>;
  readonly ids: Map<string, number>;
  readonly signatures: Element[];
}

const CANDIDATE_NAMES = ["HSoKhaiThue", "DLHDon"];

function checkNamespaceDeclaration(attribute: Attr): void {
  const isDefault = attribute.name === "xmlns";
  if (!isDefault && attribute.prefix !== "xmlns") return;
  const prefix = isDefault ? "" : attribute.localName;
  const value = attribute.value;
  if (prefix === "xmlns") invalid("the xmlns prefix cannot be declared");
  if ((prefix === "xml") !== (value === XML_NS)) invalid(`the xml prefix and ${XML_NS} belong only to each other (xmlns:${prefix}="${value}")`);
  if (value === XMLNS_NS) invalid(`${XMLNS_NS} cannot be bound to a prefix`);
  if (value === "") {
    if (!isDefault) invalid(`xmlns:${prefix}="" (undeclaring a prefix) is not XML 1.0`);
    return;
  }
  if (!ABSOLUTE_URI.test(value)) invalid(`namespace name "${value.slice(0, 100)}" is not an absolute URI (canonicalisation refuses it)`);
}

function scan(doc: Document): Scan {
  const candidates = new Map<string, Element[]>(CANDIDATE_NAMES.map((name) => [name, []]));
  const ids = new Map<string, number>();
  const signatures: Element[] = [];
  walkElements(doc.documentElement!, (element) => {
    if (element.prefix && !element.namespaceURI) invalid(`element ${element.nodeName} uses an undeclared prefix`);
    if (element.namespaceURI && XINCLUDE_NS.has(element.namespaceURI)) invalid(`XInclude (${element.nodeName}) is refused: KySo signs the document as sent`);
    if (element.namespaceURI === DSIG_NS && element.localName === "Signature") signatures.push(element);
    const list = candidates.get(element.localName ?? "");
    if (list) list.push(element);
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes.item(i)!;
      checkNamespaceDeclaration(attribute);
      if (attribute.prefix && attribute.prefix !== "xmlns" && !attribute.namespaceURI) invalid(`attribute ${attribute.name} uses an undeclared prefix`);
      if (ID_NAMES.has(attribute.localName ?? attribute.name)) ids.set(attribute.value, (ids.get(attribute.value) ?? 0) + 1);
    }
  });
  for (const [value, count] of ids) if (count > 1) invalid(`the Id "${value.slice(0, 100)}" is used ${count} times: a reference to it would be ambiguous`);
  return { candidates, ids, signatures };
}

function insideSignature(element: Element): boolean {
  for (let node = element.parentNode; node; node = node.parentNode) {
    if ((node as Element).namespaceURI === DSIG_NS && (node as Element).localName === "Signature") return true;
  }
  return false;
}

/** The one element named `localName`, with an Id, outside any signature; refused otherwise. */
function uniqueCandidate(found: readonly Element[], localName: string, layoutName: string): { element: Element; id: { name: string; value: string } } {
  if (found.length !== 1) invalid(found.length === 0 ? `not ${layoutName}: no ${localName} element` : `${found.length} ${localName} elements: which one is signed would be ambiguous`);
  const element = found[0]!;
  if (insideSignature(element)) invalid(`${localName} sits inside an existing Signature`);
  const id = idOf(element);
  if (!id) invalid(`${localName} has no Id to reference`);
  // An NCName of ASCII characters: a fragment every verifier resolves the same way, with no escaping to disagree on.
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id.value)) invalid(`${localName} Id "${id.value.slice(0, 100)}" is not a plain XML name`);
  return { element, id };
}

/**
 * Inclusive C14N 1.0 of a document subset (a `#Id` reference, SignedInfo, the SigningTime Object) copies the
 * `xml:*` attributes of the apex's ancestors onto it; xmldsigjs does not, so xmlsec1 would compute another digest.
 * Refused on the ancestors of the signed node and on the signature's container and its ancestors (the xml:*
 * attributes of the signed node itself are fine).
 */
function refuseInheritedXmlAttributes(signed: Element | undefined, container: Element): void {
  for (const start of [signed?.parentNode as Element | null, container]) {
    for (let ancestor = start; ancestor && ancestor.nodeType === 1; ancestor = ancestor.parentNode as Element | null) {
      const attributes = ancestor.attributes;
      for (let i = 0; i < attributes.length; i++) {
        const attribute = attributes.item(i)!;
        if (attribute.namespaceURI === XML_NS) invalid(`${attribute.name} on ${ancestor.nodeName}, an ancestor of what is signed, is refused (canonicalisers disagree on inheriting it)`);
      }
    }
  }
}

function holdsSignature(container: Element | undefined): boolean {
  return !!container && container.getElementsByTagNameNS(DSIG_NS, "Signature").length > 0;
}

/** The layout a whole-document signature shows: a known layout only when its node is unambiguous. */
function wholeDocumentLayout(root: Element, found: Scan["candidates"]): { layout: XmlLayout; summaryElement?: Element } {
  const only = (name: string): Element | undefined => {
    const list = found.get(name)!;
    return list.length === 1 && !insideSignature(list[0]!) ? list[0] : undefined;
  };
  if (root.localName === "HSoThueDTu" && only("HSoKhaiThue")) return { layout: "vn-tax", summaryElement: only("HSoKhaiThue")! };
  if (root.localName === "HDon" && only("DLHDon")) return { layout: "vn-einvoice", summaryElement: only("DLHDon")! };
  return { layout: "generic" };
}

export interface ResolvedPlan extends XmlSignaturePlan {
  /** Where the summary is read: the signed element, or inside it. */
  readonly summaryElement?: Element;
}

/**
 * xmldsigjs' enveloped transform drops EVERY Signature that is a direct child of the referenced node, not only the
 * one being made; verifiers drop only their own. An earlier signature there would leave the new one invalid.
 */
function refuseSignatureChildren(signed: Element): void {
  for (let child = signed.firstChild; child; child = child.nextSibling) {
    const element = child as Element;
    if (child.nodeType === 1 && element.namespaceURI === DSIG_NS && element.localName === "Signature") {
      invalid(`an existing Signature directly inside ${signed.nodeName} is refused: the enveloped transform would leave it out of the digest`);
    }
  }
}

/** Resolves and checks what `format` will sign in `doc`. Called by describe() and by sign() alike. */
export function planXmlSignature(doc: Document, format: XmlFormat): ResolvedPlan {
  const plan = resolvePlan(doc, format);
  refuseSignatureChildren(plan.signedElement);
  // Signing works on the tree as parsed (sign-in-place.ts), where the library's document-level step would also
  // see a Signature under the root: refused here, before the approval, for every format (fuzz seed 20261203,
  // cases 1926 and 2073: a prefixed e-invoice with a Signature under HDon failed only after the PIN).
  const root = doc.documentElement;
  if (root && root !== plan.signedElement) refuseSignatureChildren(root);
  return plan;
}

function resolvePlan(doc: Document, format: XmlFormat): ResolvedPlan {
  const root = doc.documentElement;
  if (!root) invalid("XML has no root element");
  const found = scan(doc);
  const existingSignatures = found.signatures.length;
  switch (format) {
    case "xades":
    case "xmldsig": {
      // The Signature goes under the root: SignedInfo (XMLDSig) and SignedProperties (XAdES) are canonicalised there.
      refuseInheritedXmlAttributes(undefined, root);
      const { layout, summaryElement } = wholeDocumentLayout(root, found.candidates);
      return { format, layout, signedElement: root, wholeDocument: true, existingSignatures, ...(summaryElement ? { summaryElement } : {}) };
    }
    case "vn-tax": {
      if (root.localName !== "HSoThueDTu") invalid("not a tax declaration (HSoThueDTu/HSoKhaiThue)");
      const { element, id } = uniqueCandidate(found.candidates.get("HSoKhaiThue")!, "HSoKhaiThue", "a tax declaration");
      const container = childByLocalName(root, "CKyDTu");
      if (holdsSignature(container)) invalid("CKyDTu already holds a signature");
      refuseInheritedXmlAttributes(element, container ?? root);
      return { format, layout: "vn-tax", signedElement: element, summaryElement: element, id, wholeDocument: false, existingSignatures };
    }
    case "vn-einvoice": {
      if (root.localName !== "HDon") invalid("not an e-invoice (HDon/DLHDon)");
      const { element, id } = uniqueCandidate(found.candidates.get("DLHDon")!, "DLHDon", "an e-invoice");
      const dscks = childByLocalName(root, "DSCKS");
      const seller = dscks ? childByLocalName(dscks, "NBan") : undefined;
      if (holdsSignature(seller)) invalid("DSCKS/NBan already holds a signature");
      // The Signature goes inside NBan: its SigningTime Object inherits from NBan, DSCKS and the root.
      refuseInheritedXmlAttributes(element, seller ?? dscks ?? root);
      for (const reserved of [EINVOICE_SIGNATURE_ID, EINVOICE_TIME_ID]) {
        if (found.ids.has(reserved)) invalid(`the Id "${reserved}" is the seller signature's own; the invoice must not use it`);
      }
      if (!sellerTaxCodeOf(element)) invalid("the invoice names no seller MST (NDHDon/NBan/MST)");
      return { format, layout: "vn-einvoice", signedElement: element, summaryElement: element, id, wholeDocument: false, existingSignatures };
    }
  }
}

/** The seller's MST, read inside DLHDon (the signed node) only. */
export function sellerTaxCodeOf(data: Element): string | undefined {
  const content = childByLocalName(data, "NDHDon");
  return textAt(content ? childByLocalName(content, "NBan") : undefined, "MST");
}

/**
 * The identifier the signing certificate must carry (certificates/vn-identifiers.ts `identityMismatch`), read inside
 * the signed node only: the taxpayer's MST of a tax declaration (`vn-tax`), the seller's of an e-invoice
 * (`vn-einvoice`). Other formats name no signer.
 */
export function signerTaxCodeOf(plan: XmlSignaturePlan): string | undefined {
  if (plan.format === "vn-einvoice") return sellerTaxCodeOf(plan.signedElement);
  if (plan.format === "vn-tax" && !plan.wholeDocument) return textAt(plan.signedElement, "TTinChung", "TTinTKhaiThue", "NNT", "mst");
  return undefined;
}
