/**
 * Calls xmldsigjs/xadesjs `SignedXml.Sign` on the document as parsed, without the two deep copies the library makes
 * (issue 10). `Sign(…, document)` first deep-copies the whole document (`cloneNode(true)`), then every `#Id`
 * reference deep-copies the element it names; xmldom's `cloneNode` enumerates every property of every node, so a
 * 4 MB e-invoice spent 6.9 s of its 8 s signing in those two copies, and the copies doubled the peak memory.
 *
 * The copies protect the caller's tree from the two edits the library makes while digesting:
 *  - the enveloped transform removes every Signature that is a direct child of the referenced element (or of the
 *    root for `URI=""`): planXmlSignature refuses a document with such a child (`refuseSignatureChildren`), and
 *    `referenceView` checks it again, so there is nothing to remove;
 *  - `CopyNamespaces` writes the in-scope namespace declarations onto the copy of the referenced element (the apex
 *    of the canonicalised subset): `referenceView` gives the library a shallow copy of that one element (its
 *    attributes copied, so the declarations land on the copy) whose children are the document's own, read only.
 * The canonicaliser is still xmldsigjs' own and reads the same names, values and attributes as it read in the
 * copies, so the digested bytes do not change (test/unit/core/signing/xml-in-place.test.ts compares them with the
 * library's copying path on the fixtures and the fuzz seeds).
 */
import type { Document, Element } from "@xmldom/xmldom";
import type * as xmldsig from "xmldsigjs";
import type { DsigDocument } from "./crypto-engine.js";
import { KysoError } from "../../../domain/errors/index.js";
import { DSIG_NS } from "./safe-xml.js";

type SignArguments = Parameters<xmldsig.SignedXml["Sign"]>;

/** How many deep copies the library asked for during the last `signInPlace`, for the linearity test. */
export interface InPlaceStats {
  /** Views handed out instead of a deep copy of the referenced element. */
  views: number;
}

function hasSignatureChild(element: Element): boolean {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    const e = child as Element;
    if (child.nodeType === 1 && e.namespaceURI === DSIG_NS && e.localName === "Signature") return true;
  }
  return false;
}

/**
 * The element as xmldsigjs' `found.cloneNode(true)` should see it: its own shallow copy (attributes included, so
 * the namespace declarations the library adds stay off the document) walking the document's children in place.
 */
function referenceView(element: Element, shallowCopy: (deep: boolean) => Element): Element {
  if (hasSignatureChild(element)) throw new KysoError("document_invalid", `${element.nodeName} holds a Signature: the enveloped transform would edit the document`);
  const apex = shallowCopy(false);
  // Only the canonicaliser and the enveloped transform walk the copy, both through firstChild/nextSibling.
  Object.defineProperty(apex, "firstChild", { value: element.firstChild, configurable: true });
  return apex;
}

/**
 * `signedXml.Sign(algorithm, key, doc, options)` over `doc` itself. `referenced` is the document element a `#Id`
 * reference names (planXmlSignature's signed element), if any.
 */
export async function signInPlace<Options>(
  signedXml: { Sign(algorithm: SignArguments[0], key: SignArguments[1], data: DsigDocument, options: Options): Promise<unknown> },
  algorithm: SignArguments[0],
  key: SignArguments[1],
  doc: Document,
  options: Options,
  referenced?: Element,
  stats: InPlaceStats = { views: 0 },
): Promise<void> {
  const root = doc.documentElement;
  if (!root) throw new Error("the document has no root element");
  // planXmlSignature refuses this before the approval; checked again because the library would edit the tree.
  if (hasSignatureChild(root)) throw new KysoError("document_invalid", "the root holds a Signature: the enveloped transform would edit the document");
  // `isDocument` reads nodeType; Sign then takes `cloneNode(true).documentElement`: the root itself.
  const noCopy = { nodeType: 9, cloneNode: () => ({ documentElement: root }) } as unknown as DsigDocument;
  const target = referenced as (Element & { cloneNode: (deep: boolean) => Element }) | undefined;
  const shallowCopy = target ? target.cloneNode.bind(target) : undefined;
  if (target && shallowCopy) {
    Object.defineProperty(target, "cloneNode", {
      configurable: true,
      value: () => {
        stats.views++;
        return referenceView(target, shallowCopy);
      },
    });
  }
  try {
    await signedXml.Sign(algorithm, key, noCopy, options);
  } finally {
    if (target) delete (target as { cloneNode?: unknown }).cloneNode;
  }
}
