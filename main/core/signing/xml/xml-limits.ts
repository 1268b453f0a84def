/**
 * Structural limits for page-supplied XML, checked on the raw text before any parser runs (xml-precheck) and again
 * by every tree walk KySo does itself (xml-walk). They keep every walk linear and every recursion shallow: xmldom's
 * serialiser, xmldsigjs' canonicaliser and its Id search recurse once per level, so depth is what makes a
 * RangeError (an untyped failure after the PIN) possible. Tax declarations nest about 8 levels, e-invoices about 7,
 * with a few thousand elements; the limits are far above that. Repeated in docs/formats.md.
 */

/** Elements nested inside each other (the root is depth 1). */
export const MAX_XML_DEPTH = 128;
/**
 * Nodes of any kind (elements, attributes, text runs, comments, PIs, references) in one document. A legitimate
 * 16 MB (MAX_XML_BYTES) e-invoice has about 1.5 million (line items with indentation), a tax file 1.1 million, so
 * the limit is above that; the worker's CPU budget and heap bound the rest. Parsing and signing are linear (issue 10,
 * xml-linear.test.ts), a few µs per node.
 */
export const MAX_XML_NODES = 2_000_000;
/** Attributes (namespace declarations included) on one element: xmldom checks duplicates pairwise. */
export const MAX_XML_ATTRIBUTES_PER_ELEMENT = 256;
/** Characters in one attribute value: the layouts put Ids and namespaces there, data goes in text. */
export const MAX_XML_ATTRIBUTE_CHARS = 64 * 1024;
/** Characters in one element or attribute name. */
export const MAX_XML_NAME_CHARS = 1024;
