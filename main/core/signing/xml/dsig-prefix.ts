/**
 * XMLDSig in the default namespace: `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">` with unprefixed
 * `SignedInfo`, `Reference`, `DigestValue`, `SignatureValue`, `KeyInfo`, `X509Data`, ... as every published tax and
 * e-invoice sample is, and as the portals' .NET/Java readers expect (some look the signature up with
 * `GetElementsByTagName("Signature")`, which a `ds:Signature` does not match).
 *
 * xmldsigjs (through xml-core) writes `ds:` and has no option for it: each element class carries a static `prefix`,
 * copied into every instance (`XmlObject.Prefix`), and the text-only children (`DigestValue`, `SignatureValue`,
 * `X509Certificate`...) take theirs from the static schema of their parent class. Changing those statics would
 * change every signature in the process (XAdES included, and concurrent signings), so the prefix is set per
 * signature instead: every object of this signature's tree gets `Prefix = ""` and reads an unprefixed copy of its
 * class schema. It happens before anything is digested or canonicalised: right after the sign options built the
 * tree (before the Object references are digested) and again just before SignedInfo is canonicalised (the
 * SignatureMethod is created in between). The bytes that are signed are the unprefixed SignedInfo itself; nothing is
 * edited after signing.
 */
import * as xmldsig from "xmldsigjs";
import { DSIG_NS } from "./safe-xml.js";

/** `""` (default namespace, the Vietnamese layouts) or `"ds"` (xmldsigjs' own choice). */
export type DsigPrefix = "" | "ds";

/** What xml-core keeps on an element class: its schema. Internal to xml-core, hence this narrow view. */
interface XmlClassSchema {
  readonly prefix?: string | null;
  readonly items?: Readonly<Record<string, XmlItemSchema>>;
}

interface XmlItemSchema {
  readonly type?: string;
  readonly parser?: unknown;
  readonly prefix?: string | null;
  readonly namespaceURI?: string | null;
}

/** The parts of an xml-core `XmlObject` this module touches (`element`, `GetStatic` are protected there). */
interface XmlObjectInternals {
  Prefix: string | null;
  element?: { readonly prefix?: string | null } | null;
  GetStatic(): XmlClassSchema;
  GetIterator?(): readonly unknown[];
  [backingField: string]: unknown;
}

/** xml-core's XmlObject (not a dependency of KySo itself): the base class of every xmldsigjs element class. */
const XmlObject = Object.getPrototypeOf(xmldsig.XmlSignatureObject) as abstract new () => object;

function isXmlObject(value: unknown): value is XmlObjectInternals {
  return value instanceof XmlObject;
}

/** One unprefixed view per element class: the class' statics, with the XMLDSig children's prefix removed. */
const unprefixedSchemas = new WeakMap<XmlClassSchema, XmlClassSchema>();

function unprefixedSchema(schema: XmlClassSchema): XmlClassSchema {
  let view = unprefixedSchemas.get(schema);
  if (!view) {
    const items = Object.fromEntries(
      Object.entries(schema.items ?? {}).map(([key, item]) => [key, item.prefix && item.namespaceURI === DSIG_NS ? { ...item, prefix: null } : item]),
    );
    // Inherits localName, namespaceURI, parser... from the class itself; only prefix and items are its own.
    view = Object.assign(Object.create(schema) as XmlClassSchema, { prefix: null, items });
    unprefixedSchemas.set(schema, view);
  }
  return view;
}

/**
 * Makes every XMLDSig object below `root` (included) write itself without a prefix. Idempotent; objects already
 * unprefixed (an Object loaded from unprefixed XML) keep their element.
 */
export function removeDsigPrefix(root: unknown, seen = new Set<object>()): void {
  if (!isXmlObject(root) || seen.has(root)) return;
  seen.add(root);
  const schema = root.GetStatic();
  if (root.Prefix) root.Prefix = "";
  if (schema.prefix || Object.values(schema.items ?? {}).some((item) => item.prefix)) {
    const view = unprefixedSchema(schema);
    Object.defineProperty(root, "GetStatic", { value: () => view, configurable: true, writable: true });
  }
  // An element xml-core already built (and caches) with the prefix is dropped, so the next GetXml rebuilds it.
  if (root.element?.prefix) root.element = null;
  for (const [key, item] of Object.entries(schema.items ?? {})) {
    // The backing field, not the accessor: the accessor would create default children that were never set.
    if (item.type === "element" && item.parser) removeDsigPrefix(root[`_${key}`], seen);
  }
  for (const child of root.GetIterator?.() ?? []) removeDsigPrefix(child, seen);
}

const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/**
 * The Signature element is born with its `xmlns` before `Id`, so it serialises as `<Signature xmlns="…" Id="…">`
 * like the samples (the serialiser would otherwise append the declaration after the attributes). Attribute order
 * means nothing to XML or to C14N (which sorts namespace declarations first); it only helps readers that match text.
 */
function declareNamespaceFirst(signature: unknown): void {
  const target = signature as { CreateElement(...args: unknown[]): { setAttributeNS(ns: string, name: string, value: string): void } };
  const create = target.CreateElement.bind(target);
  Object.defineProperty(target, "CreateElement", {
    configurable: true,
    writable: true,
    value: (...args: unknown[]) => {
      const element = create(...args);
      element.setAttributeNS(XMLNS_NS, "xmlns", DSIG_NS);
      return element;
    },
  });
}

type ApplySignOptionsArguments = Parameters<xmldsig.SignedXml["ApplySignOptions"]>;

/** xmldsigjs' SignedXml writing its signature with `prefix` (unprefixed by default). */
export class DsigSignedXml extends xmldsig.SignedXml {
  constructor(private readonly signaturePrefix: DsigPrefix = "") {
    super();
    if (signaturePrefix === "") {
      removeDsigPrefix(this.XmlSignature);
      declareNamespaceFirst(this.XmlSignature);
    }
  }

  protected override async ApplySignOptions(...args: ApplySignOptionsArguments): Promise<void> {
    await super.ApplySignOptions(...args);
    if (this.signaturePrefix === "") removeDsigPrefix(this.XmlSignature);
  }

  /**
   * The canonical text as UTF-8 bytes from TextEncoder (a buffer of exactly its length, which the library's
   * `Digest` needs: it hashes `view.buffer` whole). The library would encode the string itself with
   * `unescape(encodeURIComponent(text))` and a per-character copy: 0.9 s and three more copies of the canonical
   * text for a 16 MB e-invoice (issue 10). Same bytes: both are the UTF-8 of the same string.
   */
  protected override ApplyTransforms(...args: Parameters<xmldsig.SignedXml["ApplyTransforms"]>): ReturnType<xmldsig.SignedXml["ApplyTransforms"]> {
    const output: unknown = super.ApplyTransforms(...args);
    return (typeof output === "string" ? new TextEncoder().encode(output) : output) as ReturnType<xmldsig.SignedXml["ApplyTransforms"]>;
  }

  protected override TransformSignedInfo(...args: Parameters<xmldsig.SignedXml["TransformSignedInfo"]>): string {
    if (this.signaturePrefix === "") removeDsigPrefix(this.XmlSignature);
    return super.TransformSignedInfo(...args);
  }
}
