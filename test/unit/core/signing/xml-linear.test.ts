/**
 * Issue 10: XML signing grew super-linearly (16 MB e-invoice: 172 s, 2.6 GiB). Nothing here is timed; each test
 * counts the work that made it quadratic or heavy, and the in-place signing is compared byte for byte with the
 * library's own copying path on the fixtures and on the XML fuzzer's cases.
 */
import { webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOMParser, XMLSerializer, type Document, type Element } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import * as xmldsig from "xmldsigjs";
import type { DsigDocument } from "../../../../main/core/signing/xml/crypto-engine.js";
import { C14N, C14N_WITH_COMMENTS, signingTimeObject } from "../../../../main/core/signing/xml/dsig-common.js";
import { DsigSignedXml } from "../../../../main/core/signing/xml/dsig-prefix.js";
import { parseXml } from "../../../../main/core/signing/xml/safe-xml.js";
import { signInPlace, type InPlaceStats } from "../../../../main/core/signing/xml/sign-in-place.js";
import { planXmlSignature, type XmlFormat } from "../../../../main/core/signing/xml/signed-node.js";
import { precheckXml, type PrecheckStats } from "../../../../main/core/signing/xml/xml-precheck.js";
import { xmldomRegexCacheStats } from "../../../../main/core/signing/xml/xmldom-regex-cache.js";
import { registerXmlDependencies } from "../../../../main/core/signing/xml/xml-dependencies.js";
import { xmlCase } from "../../../fuzz/xml-fuzzer.js";

const DOCS = join(import.meta.dirname, "../../../fixtures/documents");
const INVOICE = readFileSync(join(DOCS, "einvoice-seller.xml"), "utf8");
const TAX = readFileSync(join(DOCS, "tax-declaration-01gtgt.xml"), "utf8");
const ITEM = INVOICE.slice(INVOICE.indexOf("<HHDVu>"), INVOICE.indexOf("</HHDVu>") + "</HHDVu>".length);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The bench's way of growing an e-invoice: `items` line items in DSHHDVu. */
const invoiceWith = (items: number): string => INVOICE.replace("</DSHHDVu>", `${`${ITEM}\n`.repeat(items)}</DSHHDVu>`);
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };

let keys: webcrypto.CryptoKeyPair;

beforeAll(async () => {
  registerXmlDependencies();
  xmldsig.Application.setEngine("node", webcrypto as unknown as Parameters<typeof xmldsig.Application.setEngine>[1]);
  keys = await webcrypto.subtle.generateKey(ALGORITHM, false, ["sign", "verify"]);
});

describe("precheck: every search reads the text about once", () => {
  const scanned = (text: string): number => {
    const stats: PrecheckStats = { scannedChars: 0 };
    precheckXml(text, stats);
    return stats.scannedChars;
  };

  it("text nodes and attributes without '&', ']]>', '--' or '<' do not rescan to the end (was quadratic)", () => {
    for (const items of [100, 1000, 4000]) {
      const text = invoiceWith(items);
      // Four forward searches (&, ]]>, --, < in attribute values): each reads the text at most once.
      expect(scanned(text)).toBeLessThanOrEqual(4 * text.length);
    }
    const attributes = `<r>${'<a x="1" y="2"/>'.repeat(20_000)}</r>`;
    expect(scanned(attributes)).toBeLessThanOrEqual(4 * attributes.length);
    const comments = `<r>${"<!-- c --><b>t</b>".repeat(20_000)}</r>`;
    expect(scanned(comments)).toBeLessThanOrEqual(4 * comments.length);
  });

  it("still finds what it refuses after a long clean prefix", () => {
    const clean = invoiceWith(500);
    expect(() => precheckXml(clean.replace("</HDon>", "<x>a ]]> b</x></HDon>"))).toThrow(/"\]\]>" in text/);
    expect(() => precheckXml(clean.replace("</HDon>", "<x>a & b</x></HDon>"))).toThrow(/bare "&"/);
    expect(() => precheckXml(clean.replace("</HDon>", "<!-- a -- b --></HDon>"))).toThrow(/"--" inside a comment/);
    expect(() => precheckXml(clean.replace("</HDon>", '<x a="<"/></HDon>'))).toThrow(/"<" inside an attribute value/);
  });
});

describe("xmldom's end-tag expression is built once, not once per end tag", () => {
  it("parsing 3,000 line items reuses the memoised expression", () => {
    parseXml(utf8(INVOICE));
    const before = { ...xmldomRegexCacheStats };
    const doc = parseXml(utf8(invoiceWith(3000)));
    expect(xmldomRegexCacheStats.installed).toBe(true);
    expect(xmldomRegexCacheStats.misses - before.misses).toBe(0);
    expect(xmldomRegexCacheStats.hits - before.hits).toBeGreaterThanOrEqual(3000 * 9);
    // The memoised expression still checks end tags: a mismatch is refused as before.
    expect(doc.getElementsByTagName("HHDVu").length).toBe(3001);
    expect(() => parseXml(utf8("<a><b></c></a>"))).toThrow(/does not parse/);
  });
});

/** DsigSignedXml with the library's own UTF-8 encoding of the canonical text (DsigSignedXml encodes it itself). */
class LibraryEncoding extends DsigSignedXml {
  protected override ApplyTransforms(...args: Parameters<DsigSignedXml["ApplyTransforms"]>): ReturnType<DsigSignedXml["ApplyTransforms"]> {
    const library = (xmldsig.SignedXml.prototype as unknown as { ApplyTransforms: (...a: unknown[]) => unknown }).ApplyTransforms;
    return library.apply(this, args) as ReturnType<DsigSignedXml["ApplyTransforms"]>;
  }
}

interface Signed {
  readonly signature: string;
  readonly document: string;
}

/** A Vietnamese-layout signature (#Id enveloped + SigningTime) or a whole-document one, with fixed Ids and time. */
async function signOnce(xml: Uint8Array, format: XmlFormat, inPlace: boolean, stats?: InPlaceStats): Promise<Signed> {
  const doc: Document = parseXml(xml);
  watched = doc;
  const plan = planXmlSignature(doc, format);
  const signedXml = inPlace ? new DsigSignedXml() : new LibraryEncoding();
  signedXml.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = format === "vn-tax" ? C14N_WITH_COMMENTS : C14N;
  const references = plan.id
    ? [
        { uri: `#${plan.id.value}`, hash: "SHA-256", transforms: ["enveloped" as const] },
        { uri: "#SigningTime", hash: "SHA-256" },
      ]
    : [{ uri: "", hash: "SHA-256", transforms: ["enveloped" as const, "c14n" as const] }];
  if (plan.id) signedXml.XmlSignature.ObjectList.Add(signingTimeObject("SigningTime", "NBan", new Date("2025-04-20T03:00:00Z")));
  const options = { id: "NBan", references };
  if (inPlace) await signInPlace(signedXml, ALGORITHM, keys.privateKey as never, doc, options, plan.id ? plan.signedElement : undefined, stats);
  else await signedXml.Sign(ALGORITHM, keys.privateKey as never, doc as unknown as DsigDocument, options);
  const serializer = new XMLSerializer();
  return { signature: serializer.serializeToString(signedXml.GetXml() as unknown as Element), document: serializer.serializeToString(doc) };
}

/** The document signOnce is signing, whose deep copies deepCopies counts. */
let watched: Document | undefined;

/** Counts deep copies of the signed document's nodes (the Signature's own small nodes are not counted). */
async function deepCopies(run: () => Promise<unknown>): Promise<number> {
  const prototype = Object.getPrototypeOf(Object.getPrototypeOf(new DOMParser().parseFromString("<a/>", "text/xml").documentElement!)) as {
    cloneNode(this: unknown, deep?: boolean): unknown;
  };
  const original = prototype.cloneNode;
  let count = 0;
  prototype.cloneNode = function (this: { ownerDocument?: unknown }, deep?: boolean) {
    if (deep && (this === watched || this.ownerDocument === watched)) count++;
    return original.call(this, deep);
  };
  try {
    await run();
  } finally {
    prototype.cloneNode = original;
  }
  return count;
}

describe("signing in place: no deep copy of the document, the same bytes as the library's copying and encoding path", () => {
  const fixtures: [string, XmlFormat, string][] = [
    ["e-invoice", "vn-einvoice", INVOICE],
    ["e-invoice, 200 line items", "vn-einvoice", invoiceWith(200)],
    ["tax declaration", "vn-tax", TAX],
    ["tax declaration, whole document", "xmldsig", TAX],
    ["namespaced root and prefixes", "vn-tax", TAX.replace("<HSoThueDTu ", '<HSoThueDTu xmlns:k="urn:kyso:ext" ').replace("<ct21>0</ct21>", '<ct21 k:a="1">0</ct21><k:x xmlns:m="urn:m"><m:y/></k:x>')],
  ];

  it.each(fixtures)("%s", async (_name, format, xml) => {
    const stats: InPlaceStats = { views: 0 };
    const library = await signOnce(utf8(xml), format, false);
    let inPlace: Signed | undefined;
    const copies = await deepCopies(async () => (inPlace = await signOnce(utf8(xml), format, true, stats)));
    expect(inPlace!.signature).toBe(library.signature);
    // Nothing is added to or removed from the document while digesting.
    expect(inPlace!.document).toBe(new XMLSerializer().serializeToString(parseXml(utf8(xml))));
    // The library path deep-copies the document once and the referenced node once more; in place: none.
    expect(copies).toBe(0);
    expect(stats.views).toBe(format === "xmldsig" ? 0 : 1);
  });

  it("the library path does copy (the counter sees it)", async () => {
    expect(await deepCopies(() => signOnce(utf8(INVOICE), "vn-einvoice", false))).toBeGreaterThanOrEqual(2);
  });

  it("the XML fuzzer's first 300 cases sign to the same bytes both ways", async () => {
    let compared = 0;
    for (let index = 0; index < 300; index++) {
      const { document, format } = xmlCase(20250420, index);
      if (format === "xades") continue;
      let library: Signed;
      try {
        library = await signOnce(document, format, false);
      } catch {
        continue; // refused by the parser or the plan: nothing to compare
      }
      const inPlace = await signOnce(document, format, true);
      expect(inPlace.signature, `case ${index}`).toBe(library.signature);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});
