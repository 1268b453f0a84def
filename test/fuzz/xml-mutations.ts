/**
 * Hostile edits of the XML seeds for the XML fuzzer, each named so a finding says what was done. They aim at the
 * places where describe() and sign() could disagree or fail after the PIN: DTD and entity spellings, XInclude,
 * depth, attribute size, comments and PIs inside the signed node, namespace declarations, duplicate and decoy Ids,
 * signature wrapping, characters outside XML 1.0, lone surrogates, and plain byte damage.
 */
import type { Prng } from "./prng.js";

const DSIG = "http://www.w3.org/2000/09/xmldsig#";
export const DECOY_MARK = "DECOY";

export interface Mutation {
  readonly name: string;
  apply(xml: string, prng: Prng): string;
}

/** Offsets just after a start tag (where a first child can go), inside the root. */
function childOffsets(xml: string): number[] {
  const out: number[] = [];
  const re = /<[A-Za-z_][^\s/>!?]*(?:\s[^<>]*?)?(?<!\/)>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m.index + m[0].length);
  return out;
}

/** Offsets of a start tag's name end (where an attribute can go). */
function attributeOffsets(xml: string): number[] {
  const out: number[] = [];
  const re = /<[A-Za-z_][^\s/>!?]*/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m.index + m[0].length);
  return out;
}

function insertAt(xml: string, offset: number, text: string): string {
  return xml.slice(0, offset) + text + xml.slice(offset);
}

function insertChild(xml: string, prng: Prng, text: string): string {
  const offsets = childOffsets(xml);
  return offsets.length ? insertAt(xml, prng.pick(offsets), text) : xml;
}

function insertAttribute(xml: string, prng: Prng, text: string): string {
  const offsets = attributeOffsets(xml);
  return offsets.length ? insertAt(xml, prng.pick(offsets), ` ${text}`) : xml;
}

function ids(xml: string): string[] {
  return [...xml.matchAll(/\b(?:Id|ID|id)="([^"]*)"/g)].map((m) => m[1]!);
}

const DTD_SPELLINGS = [
  '<!DOCTYPE r [<!ENTITY e "v">]>',
  "<!doctype r>",
  '<! ENTITY e "v">',
  '<!ENTITY % p SYSTEM "file:///etc/passwd">',
  "<!ATTLIST HSoKhaiThue Id ID #IMPLIED>",
  "<!ELEMENT a ANY>",
  '<!NOTATION n SYSTEM "x">',
  "<![INCLUDE[<a/>]]>",
  "<![IGNORE[<a/>]]>",
  "<!DOCTYPE\tr\nSYSTEM 'http://127.0.0.1/x.dtd'>",
];
const REFERENCES = ["&e;", "&nbsp;", "&#x26;e;", "%e;", "&amp", "& ", "&#;", "&#x;", "&#xZZ;", "&lt;", "&#65;", "&#x1F600;", "&#99999999999;"];
const BAD_CHARS = ["\u0001", "\u0000", "\u001F", "\uFFFE", "\uFFFF", "\u0008", "\u007F", "\u0085", "\u2028", "\uFEFF", "\u{1F600}"];
const CHAR_REFS = ["&#1;", "&#x0;", "&#xD800;", "&#xDFFF;", "&#55296;", "&#xFFFE;", "&#xFFFF;", "&#x110000;", "&#13;", "&#xD;", "&#9;", "&#10;", "&#x85;", "&#x7F;", "&#xE000;"];
const COMMENTS_PIS = ["<!-- ghi chú -->", "<!---->", "<!-- a--b -->", "<!-- a --->", "<?kyso data?>", "<?xml-stylesheet href='a.xsl'?>", "<?xml version='1.0'?>", "<?XML x?>", "<? x?>", "<!-- <mst>DECOY-C</mst> -->", "<![CDATA[DECOY-CDATA]]>", "<![CDATA[]]>"];
const NAMESPACE_TRICKS = [
  `xmlns:ds="${DSIG}"`,
  'xmlns="urn:kyso:other"',
  'xmlns=""',
  'xmlns:p=""',
  'xmlns:xml="urn:not-xml"',
  'xmlns:xml="http://www.w3.org/XML/1998/namespace"',
  'xmlns:xmlns="urn:x"',
  'xmlns:p="http://www.w3.org/2000/xmlns/"',
  'xmlns:k="relative/path"',
  'xmlns:k="urn:a b"',
  'xmlns:k="http://ví-dụ.vn/ns"',
  'xml:lang="vi"',
  'xml:space="preserve"',
  'xml:base="http://127.0.0.1/"',
  'p:attr="x"',
  'xmlns:w="urn:w" w:Id="ID_1"',
  `xmlns="${DSIG}"`,
];

export const MUTATIONS: readonly Mutation[] = [
  { name: "dtd", apply: (x, r) => (r.chance(0.5) ? x.replace(/(<\?xml[^?]*\?>)?/, (d) => d + r.pick(DTD_SPELLINGS)) : insertChild(x, r, r.pick(DTD_SPELLINGS))) },
  { name: "entity-reference", apply: (x, r) => insertChild(x, r, r.pick(REFERENCES)) },
  { name: "entity-in-attribute", apply: (x, r) => insertAttribute(x, r, `a="${r.pick(REFERENCES)}"`) },
  {
    name: "xinclude",
    apply: (x, r) =>
      insertChild(x, r, r.pick([
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>',
        '<xi:include xmlns:xi="http://www.w3.org/2003/XInclude" href="a.xml"/>',
        '<include xmlns="http://www.w3.org/2001/XInclude" href="#xpointer(/)"/>',
        '<xi:include xmlns:xi="urn:not-xinclude" href="x"/>',
      ])),
  },
  {
    name: "deep-nesting",
    apply: (x, r) => {
      const depth = r.pick([20, 100, 120, 126, 127, 128, 129, 200, 2000]);
      return insertChild(x, r, `${"<d>".repeat(depth)}x${"</d>".repeat(depth)}`);
    },
  },
  {
    name: "wide",
    apply: (x, r) => insertChild(x, r, "<w/>".repeat(r.pick([1000, 3000]))),
  },
  {
    name: "huge-attribute",
    apply: (x, r) => insertAttribute(x, r, `big="${"a".repeat(r.pick([1000, 65535, 65536, 65537, 300000]))}"`),
  },
  {
    name: "many-attributes",
    apply: (x, r) => insertAttribute(x, r, Array.from({ length: r.pick([100, 256, 257, 1000]) }, (_, i) => `a${i}="${i}"`).join(" ")),
  },
  { name: "comment-or-pi", apply: (x, r) => insertChild(x, r, r.pick(COMMENTS_PIS)) },
  { name: "namespace-trick", apply: (x, r) => insertAttribute(x, r, r.pick(NAMESPACE_TRICKS)) },
  {
    name: "prefixed-element",
    apply: (x, r) => insertChild(x, r, r.pick(["<p:x/>", '<p:x xmlns:p="urn:p"/>', `<ds:Signature xmlns:ds="urn:fake"/>`, `<Signature xmlns="${DSIG}"/>`, '<Object xmlns="http://www.w3.org/2000/09/xmldsig#" Id="SigningTime"/>'])),
  },
  {
    name: "duplicate-id",
    apply: (x, r) => {
      const existing = ids(x);
      const value = existing.length && r.chance(0.8) ? r.pick(existing) : r.pick(["NBan", "SigningTime", "ID_1", "data"]);
      return insertAttribute(x, r, `${r.pick(["Id", "ID", "id"])}="${value}"`);
    },
  },
  {
    name: "decoy-block",
    apply: (x, r) => {
      const tag = r.pick(["mst", "tenNNT", "maTKhai", "kyKKhai", "MST", "Ten", "SHDon", "TgTTTBSo", "NLap"]);
      const block = r.pick([
        `<${tag}>${DECOY_MARK}-${r.int(1000)}</${tag}>`,
        `<GhiChu Id="decoy-${r.int(1000)}"><TTinChung><TTinTKhaiThue><NNT><mst>${DECOY_MARK}-A</mst></NNT></TTinTKhaiThue></TTinChung></GhiChu>`,
        `<NDHDon><NBan><Ten>${DECOY_MARK}-B</Ten><MST>${DECOY_MARK}-M</MST></NBan></NDHDon>`,
        `<TTChung><SHDon>${DECOY_MARK}-N</SHDon></TTChung>`,
      ]);
      return insertChild(x, r, block);
    },
  },
  {
    name: "signature-wrapping",
    apply: (x, r) => {
      const node = /<(HSoKhaiThue|DLHDon)\b[^>]*>[\s\S]*?<\/\1>/.exec(x)?.[0] ?? "<a Id='w'/>";
      const variants = [
        `<Signature xmlns="${DSIG}"><Object>${node}</Object></Signature>`,
        `<Signature xmlns="${DSIG}"><SignedInfo/><Object>${node.replace(/Id="[^"]*"/, `Id="w-${r.int(100)}"`)}</Object></Signature>`,
        node.replace(/(<(?:mst|MST|Ten|SHDon)>)[^<]*/g, `$1${DECOY_MARK}-W`),
        `<Wrap>${node.replace(/Id="[^"]*"/, "")}</Wrap>`,
      ];
      return insertChild(x, r, r.pick(variants));
    },
  },
  { name: "bad-char", apply: (x, r) => insertChild(x, r, r.pick(BAD_CHARS)) },
  { name: "bad-char-in-attribute", apply: (x, r) => insertAttribute(x, r, `c="${r.pick([...BAD_CHARS, ...CHAR_REFS])}"`) },
  { name: "char-reference", apply: (x, r) => insertChild(x, r, r.pick(CHAR_REFS)) },
  { name: "attribute-whitespace", apply: (x, r) => insertAttribute(x, r, r.pick(['t="a\tb\nc\r\nd"', 't="&#9;&#10;&#13;"', "t='x\"y'", 't="a>b"'])) },
  { name: "crlf", apply: (x) => x.replace(/\n/g, "\r\n") },
  { name: "cr-only", apply: (x) => x.replace(/\n/g, "\r") },
  { name: "cdata-end-in-text", apply: (x, r) => insertChild(x, r, "]]>") },
  { name: "text-outside-root", apply: (x, r) => (r.chance(0.5) ? `junk${x}` : `${x}<extra/>`) },
  { name: "rename-signed-node", apply: (x, r) => x.replace(r.pick([/HSoKhaiThue/g, /DLHDon/g, /HSoThueDTu/g, /HDon/g]), r.pick(["X", "hsokhaithue", "p:HSoKhaiThue"])) },
  { name: "remove-id", apply: (x) => x.replace(/ (Id)="[^"]*"/, "") },
  { name: "odd-id", apply: (x, r) => x.replace(/ Id="[^"]*"/, ` Id="${r.pick(["a b", "ví-dụ", "1abc", "x'y", "%41", "#x", ""])}"`) },
  { name: "whitespace-before-declaration", apply: (x) => ` \n${x}` },
];

export const BYTE_MUTATIONS = {
  truncate(bytes: Uint8Array, prng: Prng): Uint8Array {
    return bytes.subarray(0, prng.int(bytes.length));
  },
  flip(bytes: Uint8Array, prng: Prng): Uint8Array {
    const out = Uint8Array.from(bytes);
    for (let k = prng.range(1, 4); k > 0; k--) {
      const at = prng.int(out.length);
      out[at] = out[at]! ^ (1 << prng.int(8));
    }
    return out;
  },
  /** A UTF-8-encoded surrogate (ED A0 80): not valid UTF-8, the byte form of a lone surrogate. */
  loneSurrogate(bytes: Uint8Array, prng: Prng): Uint8Array {
    const at = prng.int(bytes.length);
    return Uint8Array.from([...bytes.subarray(0, at), 0xed, prng.pick([0xa0, 0xb0]), 0x80, ...bytes.subarray(at)]);
  },
};
