/**
 * Canonicalisation for XML signature verification, with xmldsigjs' canonicaliser (the one KySo signs with) applied
 * the way the W3C specifications define the input, not the way xmldsigjs' own `Verify` prepares it:
 *  - a same-document subtree is canonicalised with the namespace declarations (and, for inclusive C14N, the xml:*
 *    attributes) it inherits from its ancestors, on a shallow copy of its apex, never on a deep copy (a deep copy of
 *    a 16 MB e-invoice costs seconds in xmldom);
 *  - the enveloped-signature transform removes exactly the ds:Signature that holds the Reference (XMLDSig §6.6.4),
 *    wherever it sits below the referenced node. xmldsigjs removes every ds:Signature that is a direct child, which
 *    breaks a second enveloped signature over a document already signed and misses one that sits deeper.
 */
import type { Document, Element, Node } from "@xmldom/xmldom";
import * as xmldsig from "xmldsigjs";

export const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
export const C14N_WITH_COMMENTS = `${C14N}#WithComments`;
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const EXC_C14N_WITH_COMMENTS = `${EXC_C14N}WithComments`;
export const ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
export const CANONICALIZATIONS: ReadonlySet<string> = new Set([C14N, C14N_WITH_COMMENTS, EXC_C14N, EXC_C14N_WITH_COMMENTS]);

const XML_NS = "http://www.w3.org/XML/1998/namespace";

export interface Canonicalization {
  readonly algorithm: string;
  /** Exclusive C14N's InclusiveNamespaces PrefixList. */
  readonly inclusivePrefixes?: string;
  /** False drops comments whatever the algorithm says (a same-document URI's node-set has none: XMLDSig §4.4.3.3). */
  readonly comments?: boolean;
}

function transformFor(c: Canonicalization): { LoadInnerXml(node: unknown): void; GetOutput(): unknown } {
  const withComments = c.comments !== false && c.algorithm.endsWith("WithComments");
  if (c.algorithm.startsWith(EXC_C14N)) {
    const t = withComments ? new xmldsig.XmlDsigExcC14NWithCommentsTransform() : new xmldsig.XmlDsigExcC14NTransform();
    if (c.inclusivePrefixes) t.InclusiveNamespacesPrefixList = c.inclusivePrefixes;
    return t;
  }
  if (c.algorithm.startsWith(C14N)) return withComments ? new xmldsig.XmlDsigC14NWithCommentsTransform() : new xmldsig.XmlDsigC14NTransform();
  throw new Error(`unsupported canonicalization ${c.algorithm}`);
}

const isNamespaceDeclaration = (name: string): boolean => name === "xmlns" || name.startsWith("xmlns:");

/**
 * A shallow copy of `element` carrying what it inherits, whose children are the document's own (the canonicaliser
 * walks firstChild/nextSibling and reads `attributes`, nothing else).
 */
function apexView(element: Element, inclusive: boolean): Element {
  const copy = element.cloneNode(false) as Element;
  const seen = new Set<string>();
  for (let i = 0; i < element.attributes.length; i++) seen.add(element.attributes.item(i)!.name);
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const ancestor = node as Element;
    for (let i = 0; i < ancestor.attributes.length; i++) {
      const attr = ancestor.attributes.item(i)!;
      const inherited = isNamespaceDeclaration(attr.name) || (inclusive && attr.namespaceURI === XML_NS);
      if (!inherited || seen.has(attr.name)) continue;
      seen.add(attr.name);
      // The nearest declaration wins; an undeclared default namespace (xmlns="") is not in scope.
      if (attr.name === "xmlns" && attr.value === "") continue;
      if (attr.namespaceURI === XML_NS) copy.setAttributeNS(XML_NS, attr.name, attr.value);
      else copy.setAttribute(attr.name, attr.value);
    }
  }
  Object.defineProperty(copy, "firstChild", { value: element.firstChild, configurable: true });
  return copy;
}

/** Canonical form (UTF-8) of a document or of one element with its inherited context. */
export function canonicalize(node: Document | Element, c: Canonicalization): Uint8Array {
  const transform = transformFor(c);
  const inclusive = !c.algorithm.startsWith(EXC_C14N);
  transform.LoadInnerXml(node.nodeType === 9 ? node : apexView(node as Element, inclusive));
  return Buffer.from(String(transform.GetOutput()), "utf8");
}

function contains(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

/**
 * Runs `work` with `signature` taken out of the tree when it sits inside `scope` (the enveloped-signature
 * transform), and puts it back where it was afterwards whatever happens.
 */
export function withoutSignature<T>(scope: Document | Element, signature: Element, work: () => T): T {
  const parent = signature.parentNode;
  if (!parent || !contains(scope, signature) || scope === signature) return work();
  const next = signature.nextSibling;
  parent.removeChild(signature);
  try {
    return work();
  } finally {
    parent.insertBefore(signature, next);
  }
}
