/**
 * The XML fuzzer's judges, sharing no code with KySo's resolution of the signed node:
 *  - `coveredNode` reads the signed OUTPUT the way a verifier does: KySo's new Signature, its first Reference's
 *    URI, and the one element carrying that Id (any Id/ID/id attribute) or the whole document for URI="".
 *  - `summaryOutsideSignedNode` checks every value the approval showed against that node's text (the characters a
 *    C14N without comments covers: text and CDATA, not comments or PIs). A value is accepted when it, or two
 *    pieces of it (the summary joins e.g. KHMSHDon+KHHDon), occur in the node's text with whitespace removed.
 *  - `verifyWithXmlsec` runs xmlsec1 on KySo's signature only (`--node-id`), with the Id attributes it needs.
 */
import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import { join } from "node:path";
import { writeFile } from "node:fs/promises";
import type { DocumentDescription, XmlSummaryValue } from "../../main/domain/document-description.js";
import { runTool } from "../verifiers/cli-verifiers.js";

const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const XADES = "http://uri.etsi.org/01903/v1.3.2#";

export interface Covered {
  readonly signature: Element;
  readonly node: Element;
  readonly wholeDocument: boolean;
  readonly idAttribute?: string;
}

function elements(root: Node): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === 1) out.push(node as Element);
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return out;
}

/** KySo's signature in a signed output of `format`, and what its document reference covers. */
export function coveredNode(signed: Uint8Array, format: string): Covered | string {
  const doc: Document = new DOMParser({ onError: () => undefined, normalizeLineEndings: (s) => s.replace(/\r\n?/g, "\n") }).parseFromString(new TextDecoder().decode(signed), "text/xml");
  const root = doc.documentElement;
  if (!root) return "signed output has no root";
  const all = elements(root);
  const signatures = all.filter((e) => e.namespaceURI === DSIG && e.localName === "Signature" && e.getElementsByTagNameNS(DSIG, "SignatureValue").length > 0);
  const ours =
    format === "vn-einvoice"
      ? signatures.find((s) => s.getAttribute("Id") === "NBan")
      : format === "vn-tax"
        ? signatures.find((s) => (s.parentNode as Element | null)?.localName === "CKyDTu" && s.getAttribute("Id")?.startsWith("sigTK-"))
        : signatures.find((s) => s.parentNode === root && s === lastElementChild(root));
  if (!ours) return `no KySo signature found in the ${format} output`;
  const reference = ours.getElementsByTagNameNS(DSIG, "Reference").item(0);
  const uri = reference?.getAttribute("URI");
  if (uri === null || uri === undefined) return "the first Reference has no URI";
  if (uri === "") return { signature: ours, node: root, wholeDocument: true };
  if (!uri.startsWith("#")) return `unexpected Reference URI ${uri}`;
  const id = uri.slice(1);
  const targets: { element: Element; attribute: string }[] = [];
  for (const element of all) {
    for (const attribute of ["Id", "ID", "id"]) if (element.getAttribute(attribute) === id && element.hasAttribute(attribute)) targets.push({ element, attribute });
  }
  if (targets.length !== 1) return `Reference URI ${uri} resolves to ${targets.length} elements in the output`;
  return { signature: ours, node: targets[0]!.element, wholeDocument: false, idAttribute: targets[0]!.attribute };
}

function lastElementChild(element: Element): Element | undefined {
  for (let c = element.lastChild; c; c = c.previousSibling) if (c.nodeType === 1) return c as Element;
  return undefined;
}

/** Text and CDATA below `node` (what a C14N without comments keeps), excluding Signature subtrees KySo added. */
function coveredText(node: Element, exclude: Element): string {
  const parts: string[] = [];
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === exclude) continue;
    if (n.nodeType === 3 || n.nodeType === 4) parts.push(n.nodeValue ?? "");
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return parts.join("").replace(/\s+/g, "");
}

/** A problem description when a shown value is not in the covered node (undefined when all are). */
export function summaryOutsideSignedNode(description: DocumentDescription, covered: Covered): string | undefined {
  if (description.kind !== "xml") return "not an XML description";
  const localName = covered.node.localName;
  if (description.signedNode.localName !== localName || description.signedNode.wholeDocument !== covered.wholeDocument) {
    return `approval said ${description.signedNode.localName}${description.signedNode.wholeDocument ? " (whole)" : ""}, signature covers ${localName}${covered.wholeDocument ? " (whole)" : ""}`;
  }
  if (!covered.wholeDocument && description.signedNode.id !== covered.node.getAttribute(covered.idAttribute!)) return "approval named another Id";
  const text = coveredText(covered.node, covered.signature);
  for (const { field, value } of description.summary) {
    const shown = documentPieces(value);
    for (const raw of shown) {
      const piece = raw.replace(/\s+/g, "");
      if (!piece || text.includes(piece)) continue;
      let split = false;
      for (let i = 1; i < piece.length && !split; i++) split = text.includes(piece.slice(0, i)) && text.includes(piece.slice(i));
      if (!split) return `${field} = "${raw.slice(0, 80)}" is not inside the signed ${localName}`;
    }
  }
  return undefined;
}

/** The strings of the document a summary value was read from (each must occur in the signed node's text). */
function documentPieces(value: XmlSummaryValue): string[] {
  switch (value.type) {
    case "text":
      return [value.text];
    case "taxCode":
      return [value.taxCode];
    case "date":
      return [value.date];
    case "amount":
      return [value.amount, ...(value.currency ? [value.currency] : [])];
    case "count":
      return [String(value.count)];
    case "taxPeriod":
      return [value.period];
    case "taxForm":
      return [value.code ?? "", value.name ?? ""];
  }
}

export interface XmlsecContext {
  readonly dir: string;
  readonly rootPem: string;
  readonly caFile: string;
}

/** xmlsec1 on KySo's own Signature (selected by Id), with the Id attributes of every referenced element. */
export async function verifyWithXmlsec(context: XmlsecContext, name: string, signed: Uint8Array, covered: Covered): Promise<string | undefined> {
  const file = join(context.dir, name);
  await writeFile(file, signed);
  const sigId = covered.signature.getAttribute("Id");
  const args = ["--verify", "--trusted-pem", context.rootPem, "--untrusted-pem", context.caFile, "--enabled-reference-uris", "empty,same-doc"];
  args.push("--id-attr:Id", `${DSIG}:Signature`, "--id-attr:Id", `${DSIG}:Object`, "--id-attr:Id", `${XADES}:SignedProperties`);
  if (!covered.wholeDocument) {
    const ns = covered.node.namespaceURI;
    args.push(`--id-attr:${covered.idAttribute}`, ns ? `${ns}:${covered.node.localName}` : covered.node.localName!);
  }
  if (sigId) args.push("--node-id", sigId);
  args.push(file);
  const result = await runTool("xmlsec1", args);
  return result.ok ? undefined : `xmlsec1 exit ${result.code}: ${result.stderr.split("\n").filter((l) => /error|fail/i.test(l)).slice(0, 3).join(" | ").slice(0, 400)}`;
}
