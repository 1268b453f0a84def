/**
 * xml-core (under xmldsigjs/xadesjs) finds its DOM through a registry in Node. Registered once, with the same
 * @xmldom/xmldom the safe parser uses, so every node the libraries create belongs to the same implementation.
 */
import { createRequire } from "node:module";
import * as xmldom from "@xmldom/xmldom";
import { setNodeDependencies } from "xadesjs";

let done = false;

export function registerXmlDependencies(): void {
  if (done) return;
  const deps: Record<string, unknown> = {
    XMLSerializer: xmldom.XMLSerializer,
    DOMParser: xmldom.DOMParser,
    DOMImplementation: xmldom.DOMImplementation,
  };
  try {
    // xpath comes with xml-core; only the XPath transform needs it, and KySo never signs with one.
    deps.xpath = createRequire(import.meta.url)("xpath");
  } catch {
    // absent: fine
  }
  setNodeDependencies(deps);
  done = true;
}
