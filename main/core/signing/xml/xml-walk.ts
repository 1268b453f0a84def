/**
 * The one tree walk KySo does itself over a page's XML: iterative (no recursion, so no stack overflow whatever the
 * depth), with a depth limit and a work counter. xml-precheck already bounded the raw text; this bounds the walk
 * again on its own, so a caller that forgot the precheck still cannot loop long.
 */
import type { Element, Node } from "@xmldom/xmldom";
import { KysoError } from "../../../domain/errors/index.js";
import { MAX_XML_DEPTH, MAX_XML_NODES } from "./xml-limits.js";

const ELEMENT_NODE = 1;

/** Visits every element below `root` (included) in document order with its depth (root = 1). */
export function walkElements(root: Element, visit: (element: Element, depth: number) => void): void {
  let work = 0;
  let depth = 1;
  let node: Node | null = root;
  while (node) {
    if (++work > MAX_XML_NODES) throw new KysoError("document_too_complex", `XML refused before signing: more than ${MAX_XML_NODES} nodes`);
    if (node.nodeType === ELEMENT_NODE) {
      if (depth > MAX_XML_DEPTH) throw new KysoError("document_too_complex", `XML refused before signing: elements nested deeper than ${MAX_XML_DEPTH} levels`);
      visit(node as Element, depth);
      if (node.firstChild) {
        node = node.firstChild;
        depth++;
        continue;
      }
    }
    while (node && node !== root && !node.nextSibling) {
      node = node.parentNode;
      depth--;
    }
    if (!node || node === root) break;
    node = node.nextSibling;
  }
}
