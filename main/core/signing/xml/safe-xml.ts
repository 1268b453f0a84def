/**
 * The only way the formats read XML. DTDs are refused on the raw text, before any parser sees it: no DOCTYPE means
 * no entity declarations, so neither XXE nor "billion laughs" expansion can happen, whatever the parser would do.
 */
import { DOMParser, XMLSerializer, type Document } from "@xmldom/xmldom";
import { KysoError } from "../../../domain/errors/index.js";
import { MAX_XML_BYTES } from "../limits.js";
import { precheckXml } from "./xml-precheck.js";
import { installXmldomRegexCache } from "./xmldom-regex-cache.js";

export const DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

/** Decodes strict UTF-8 (the only encoding Vietnamese portals send) and refuses DTDs. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes.length > MAX_XML_BYTES) throw new KysoError("document_too_large", `XML is ${bytes.length} bytes, limit ${MAX_XML_BYTES}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new KysoError("document_invalid", "XML is not valid UTF-8");
  }
  const declaration = /^\s*<\?xml[^?]*encoding\s*=\s*["']([^"']+)["']/.exec(text);
  if (declaration && !/^utf-?8$/i.test(declaration[1]!)) throw new KysoError("document_invalid", `XML encoding ${declaration[1]} is not UTF-8`);
  // "<!" followed by DOCTYPE or ENTITY anywhere outside a comment or CDATA would declare entities; refusing
  // the marker anywhere is stricter and simpler than tracking context.
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(text)) throw new KysoError("document_invalid", "XML with a DTD or entity declarations is refused");
  precheckXml(text);
  return text;
}

/**
 * XML 1.0 §2.11: CRLF and lone CR become LF, nothing else. xmldom's default also turns U+0085, U+2028 and U+2029
 * into LF (the XML 1.1 rule), which libxml2, .NET and Java do not: the signer would digest other text than every
 * verifier reads.
 */
export function xml10LineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

export function parseXml(bytes: Uint8Array): Document {
  installXmldomRegexCache();
  const text = decodeXml(bytes);
  const errors: string[] = [];
  const parser = new DOMParser({
    normalizeLineEndings: xml10LineEndings,
    onError: (level, message) => {
      if (level !== "warning") errors.push(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, "text/xml");
  } catch (error) {
    throw new KysoError("document_invalid", `XML does not parse: ${String(error)}`);
  }
  if (errors.length > 0 || !doc.documentElement) throw new KysoError("document_invalid", `XML does not parse: ${errors[0] ?? "no root"}`);
  return doc;
}

/**
 * xmldom writes a carriage return that came from `&#13;` in text as a raw CR, which every parser reads back as a
 * line feed (XML 1.0 §2.11): the verifier would canonicalise other characters than the signer did. Literal CRs
 * never reach the DOM (the parser normalised them) and attribute values are already escaped, so every raw CR in
 * the output is such a text character and is written back as the reference C14N itself uses.
 */
export function serializeXml(doc: Document): Uint8Array {
  return new TextEncoder().encode(new XMLSerializer().serializeToString(doc).replaceAll("\r", "&#13;"));
}
