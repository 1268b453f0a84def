/**
 * One linear pass over the raw XML text before any parser sees it. It refuses what xmldom would accept but
 * libxml2/xmlsec1 (and the portals' parsers) reject, what could expand, and what could make a later walk deep or
 * long, so that a document either fails here, before the approval, or parses into a tree every later step handles:
 *  - characters outside the XML 1.0 `Char` production, literal or as character references (U+0001, &#xD800;,
 *    &#xFFFE;...): xmldom keeps them, libxml2 refuses the signed output;
 *  - any markup declaration: `<!DOCTYPE`, `<!ENTITY`, `<!ATTLIST`, `<!ELEMENT`, `<!NOTATION`, conditional
 *    sections, in any case or spacing (no DTD means no entity can expand: no XXE, no "billion laughs");
 *  - entity references other than the five predefined ones, a bare `&`, `]]>` in text, `--` inside a comment,
 *    an XML declaration anywhere but at the start, text or a second element outside the root;
 *  - depth over MAX_XML_DEPTH, more than MAX_XML_NODES nodes, too many or too long attributes or names.
 * Everything here is a `document_invalid` with a detail saying where; it never allocates more than the text.
 */
import { KysoError } from "../../../domain/errors/index.js";
import { MAX_XML_ATTRIBUTES_PER_ELEMENT, MAX_XML_ATTRIBUTE_CHARS, MAX_XML_DEPTH, MAX_XML_NAME_CHARS, MAX_XML_NODES } from "./xml-limits.js";

/** XML 1.0 (fifth edition) `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

// With the u flag a lone surrogate is one unit outside every range, so it matches too.
const NON_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const PREDEFINED_ENTITIES = new Set(["amp", "lt", "gt", "quot", "apos"]);
const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,8})|#([0-9]{1,10})|([^\s&;<>"'#]{1,64}));/y;
const WHITESPACE = /[ \t\r\n]/;
const NAME = /[^\s/>=<&"'!?]+/y;

function refuse(detail: string): never {
  throw new KysoError("document_invalid", `XML refused before signing: ${detail}`);
}

/** A limit, not a defect: the document may be honest but is more than KySo reads (depth, nodes, attributes). */
function tooComplex(detail: string): never {
  throw new KysoError("document_too_complex", `XML refused before signing: ${detail}`);
}

/** What one precheck pass cost, for the linearity test: characters the forward searches read. */
export interface PrecheckStats {
  scannedChars: number;
}

/**
 * `text.indexOf(needle, from)` for a `from` that only grows, remembering the last hit: the whole pass then reads the
 * text about once per needle. The plain call rescans to the end of the text for every text node or attribute that
 * holds no `&` (or `]]>`, `--`, `<`): quadratic, 1.7 s for a 1 MB e-invoice before this (issue 10).
 */
function forwardSearch(text: string, needle: string, stats: PrecheckStats): (from: number) => number {
  let lastFrom = Number.POSITIVE_INFINITY;
  let hit = -1;
  return (from) => {
    // The remembered hit is still the first one at or after `from` when nothing lies between lastFrom and from.
    if (from >= lastFrom && (hit === -1 || hit >= from)) return hit;
    lastFrom = from;
    hit = text.indexOf(needle, from);
    stats.scannedChars += (hit === -1 ? text.length : hit) - from;
    return hit;
  };
}

function hex(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Character and entity references in text or an attribute value: only Chars and the predefined entities. */
function checkReferences(text: string, from: number, to: number, nextAmpersand: (from: number) => number): number {
  let references = 0;
  for (let amp = nextAmpersand(from); amp !== -1 && amp < to; amp = nextAmpersand(amp + 1)) {
    REFERENCE.lastIndex = amp;
    const match = REFERENCE.exec(text);
    if (!match || REFERENCE.lastIndex > to) refuse(`a bare "&" or a malformed reference at offset ${amp}`);
    references++;
    if (match[3] !== undefined) {
      if (!PREDEFINED_ENTITIES.has(match[3])) refuse(`entity reference &${match[3]}; (no DTD declares it) at offset ${amp}`);
      continue;
    }
    const codePoint = match[1] !== undefined ? Number.parseInt(match[1], 16) : Number.parseInt(match[2]!, 10);
    if (!isXmlChar(codePoint)) refuse(`character reference ${match[0]} is not an XML 1.0 character (${codePoint > 0x10ffff ? "out of range" : hex(codePoint)}) at offset ${amp}`);
  }
  return references;
}

/**
 * Throws `document_invalid` unless `text` passes every lexical rule above. Linear in the text length: every search
 * goes forward from where the previous one started (`forwardSearch`); `stats` counts what they read.
 */
export function precheckXml(text: string, stats: PrecheckStats = { scannedChars: 0 }): void {
  const bad = NON_CHAR.exec(text);
  if (bad) refuse(`character ${hex(bad[0].codePointAt(0)!)} at offset ${bad.index} is not allowed in XML 1.0`);
  const n = text.length;
  let i = 0;
  let depth = 0;
  let nodes = 0;
  let rootDone = false;
  const nextAmpersand = forwardSearch(text, "&", stats);
  const nextCdataEnd = forwardSearch(text, "]]>", stats);
  const nextDashes = forwardSearch(text, "--", stats);
  const nextLessThan = forwardSearch(text, "<", stats);
  const count = (k: number): void => {
    nodes += k;
    if (nodes > MAX_XML_NODES) tooComplex(`more than ${MAX_XML_NODES} nodes`);
  };
  const closeOf = (marker: string, from: number, what: string): number => {
    const close = text.indexOf(marker, from);
    if (close === -1) refuse(`unterminated ${what} at offset ${from}`);
    return close;
  };
  while (i < n) {
    const lt = text.indexOf("<", i);
    const end = lt === -1 ? n : lt;
    if (end > i) {
      if (depth === 0) {
        for (let k = i; k < end; k++) if (!WHITESPACE.test(text[k]!)) refuse(`text outside the root element at offset ${k}`);
      } else {
        const cdataEnd = nextCdataEnd(i);
        if (cdataEnd !== -1 && cdataEnd < end) refuse(`"]]>" in text at offset ${cdataEnd}`);
        count(1 + checkReferences(text, i, end, nextAmpersand));
      }
    }
    if (lt === -1) break;
    i = lt;
    if (text.startsWith("<!--", i)) {
      const close = closeOf("-->", i + 4, "comment");
      const dashes = nextDashes(i + 4);
      if (dashes < close || (close > i + 4 && text[close - 1] === "-")) refuse(`"--" inside a comment at offset ${i}`);
      count(1);
      i = close + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      if (depth === 0) refuse(`CDATA outside the root element at offset ${i}`);
      i = closeOf("]]>", i + 9, "CDATA section") + 3;
      count(1);
    } else if (text.startsWith("<!", i)) {
      refuse(`markup declaration "${text.slice(i, i + 12)}…" (DTD, entity, attribute list, notation or conditional section) at offset ${i}`);
    } else if (text.startsWith("<?", i)) {
      NAME.lastIndex = i + 2;
      const target = NAME.exec(text)?.[0];
      if (!target) refuse(`processing instruction without a target at offset ${i}`);
      if (/^xml$/i.test(target) && text.slice(0, i).trim() !== "") refuse(`XML declaration not at the start, offset ${i}`);
      i = closeOf("?>", i + 2, "processing instruction") + 2;
      count(1);
    } else if (text.startsWith("</", i)) {
      const close = closeOf(">", i + 2, "end tag");
      depth--;
      if (depth < 0) refuse(`end tag without a start tag at offset ${i}`);
      if (depth === 0) rootDone = true;
      i = close + 1;
    } else {
      i = startTag(text, i);
    }
  }
  if (depth !== 0 || !rootDone) refuse("the root element is not closed");

  /** Reads one start tag from `<`; returns the offset after it and updates depth and counts. */
  function startTag(text: string, at: number): number {
    if (rootDone) refuse(`a second root element at offset ${at}`);
    NAME.lastIndex = at + 1;
    const name = NAME.exec(text)?.[0];
    if (!name) refuse(`"<" not starting a tag at offset ${at}`);
    if (name.length > MAX_XML_NAME_CHARS) refuse(`element name longer than ${MAX_XML_NAME_CHARS} characters at offset ${at}`);
    let j = at + 1 + name.length;
    let attributes = 0;
    for (;;) {
      while (j < n && WHITESPACE.test(text[j]!)) j++;
      if (j >= n) refuse(`unterminated start tag at offset ${at}`);
      if (text[j] === ">" || text.startsWith("/>", j)) break;
      NAME.lastIndex = j;
      const attribute = NAME.exec(text)?.[0];
      if (!attribute) refuse(`malformed attribute at offset ${j}`);
      if (attribute.length > MAX_XML_NAME_CHARS) refuse(`attribute name longer than ${MAX_XML_NAME_CHARS} characters at offset ${j}`);
      j += attribute.length;
      while (j < n && WHITESPACE.test(text[j]!)) j++;
      if (text[j] !== "=") refuse(`attribute without a value at offset ${j}`);
      j++;
      while (j < n && WHITESPACE.test(text[j]!)) j++;
      const quote = text[j];
      if (quote !== '"' && quote !== "'") refuse(`unquoted attribute value at offset ${j}`);
      const close = closeOf(quote, j + 1, "attribute value");
      if (close - j - 1 > MAX_XML_ATTRIBUTE_CHARS) tooComplex(`attribute value longer than ${MAX_XML_ATTRIBUTE_CHARS} characters at offset ${j}`);
      const lessThan = nextLessThan(j + 1);
      if (lessThan !== -1 && lessThan < close) refuse(`"<" inside an attribute value at offset ${lessThan}`);
      count(1 + checkReferences(text, j + 1, close, nextAmpersand));
      if (++attributes > MAX_XML_ATTRIBUTES_PER_ELEMENT) tooComplex(`more than ${MAX_XML_ATTRIBUTES_PER_ELEMENT} attributes on one element at offset ${at}`);
      j = close + 1;
      if (j < n && !WHITESPACE.test(text[j]!) && text[j] !== ">" && text[j] !== "/") refuse(`no space between attributes at offset ${j}`);
    }
    count(1);
    if (text[j] === ">") {
      depth++;
      if (depth > MAX_XML_DEPTH) tooComplex(`elements nested deeper than ${MAX_XML_DEPTH} levels at offset ${at}`);
      return j + 1;
    }
    if (depth === 0) rootDone = true;
    return j + 2;
  }
}
