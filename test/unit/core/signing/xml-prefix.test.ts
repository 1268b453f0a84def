import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as xmldsig from "xmldsigjs";
import type { DsigDocument } from "../../../../main/core/signing/xml/crypto-engine.js";
import { C14N, placeSignature, signingTimeObject } from "../../../../main/core/signing/xml/dsig-common.js";
import { DsigSignedXml, type DsigPrefix } from "../../../../main/core/signing/xml/dsig-prefix.js";
import { DSIG_NS, parseXml, serializeXml } from "../../../../main/core/signing/xml/safe-xml.js";
import { registerXmlDependencies } from "../../../../main/core/signing/xml/xml-dependencies.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
/** A root with its own default namespace and a prefixed one: the hard case for a default-namespace Signature. */
const DOCUMENT = '<HSo xmlns="urn:kyso:test" xmlns:k="urn:kyso:ext"><Data Id="d1"><k:Tien>100</k:Tien></Data><CKy></CKy></HSo>';
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };

let keys: webcrypto.CryptoKeyPair;

beforeAll(async () => {
  registerXmlDependencies();
  // Software keys only: this file tests the XML, the token path is the integration suite's.
  xmldsig.Application.setEngine("node", webcrypto as unknown as Parameters<typeof xmldsig.Application.setEngine>[1]);
  keys = await webcrypto.subtle.generateKey(ALGORITHM, false, ["sign", "verify"]);
});

async function signWith(signedXml: DsigSignedXml | xmldsig.SignedXml, prefix: DsigPrefix): Promise<Uint8Array> {
  const doc = parseXml(utf8(DOCUMENT));
  signedXml.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = C14N;
  signedXml.XmlSignature.ObjectList.Add(signingTimeObject("t1", "sig1", new Date("2025-04-20T03:00:00Z"), prefix));
  await signedXml.Sign(ALGORITHM, keys.privateKey as never, doc as unknown as DsigDocument, {
    id: "sig1",
    references: [
      { uri: "#d1", hash: "SHA-256", transforms: ["enveloped"] },
      { uri: "#t1", hash: "SHA-256" },
    ],
  });
  placeSignature(doc, signedXml, doc.getElementsByTagName("CKy").item(0)!);
  return serializeXml(doc);
}

const sign = (prefix: DsigPrefix = ""): Promise<Uint8Array> => signWith(new DsigSignedXml(prefix), prefix);

/** Verified again from the serialised text, by xmldsigjs itself (the integration suite uses xmlsec1 and Santuario). */
async function verifies(xml: Uint8Array): Promise<boolean> {
  const doc = parseXml(xml);
  const signature = doc.getElementsByTagNameNS(DSIG_NS, "Signature").item(0)!;
  const verifier = new xmldsig.SignedXml(doc as unknown as DsigDocument);
  verifier.LoadXml(signature as unknown as Parameters<xmldsig.SignedXml["LoadXml"]>[0]);
  return verifier.Verify(keys.publicKey as never);
}

describe("XMLDSig prefix", () => {
  it("default: <Signature xmlns=…> first, every child unprefixed, and it verifies", async () => {
    const xml = await sign();
    const out = text(xml);
    expect(out).toContain(`<CKy><Signature xmlns="${DSIG_NS}" Id="sig1"><SignedInfo><CanonicalizationMethod `);
    expect(out).toContain("<DigestValue>");
    expect(out).toContain("<SignatureValue>");
    expect(out).toContain('<Object Id="t1"><SignatureProperties><SignatureProperty Target="#sig1"><SigningTime>2025-04-20T10:00:00</SigningTime>');
    expect(out).not.toMatch(/<\/?ds:|xmlns:ds=/);
    // The .NET/Java lookup by qualified name finds it.
    expect(parseXml(xml).getElementsByTagName("Signature").length).toBe(1);
    expect(await verifies(xml)).toBe(true);
  });

  it("a changed signed value no longer verifies", async () => {
    const tampered = text(await sign()).replace("<k:Tien>100</k:Tien>", "<k:Tien>900</k:Tien>");
    await expect(verifies(utf8(tampered))).rejects.toThrow(/Invalid digest for uri '#d1'/);
  });

  it('prefix "ds": xmldsigjs\' own form, and it verifies', async () => {
    const xml = await sign("ds");
    const out = text(xml);
    expect(out).toContain(`<ds:Signature Id="sig1" xmlns:ds="${DSIG_NS}"><ds:SignedInfo>`);
    expect(out).toContain("<ds:DigestValue>");
    expect(out).toContain(`<Object xmlns="${DSIG_NS}" Id="t1">`);
    expect(out).not.toMatch(/<(SignedInfo|Reference|DigestValue|SignatureValue)[ >]/);
    expect(await verifies(xml)).toBe(true);
  });

  it("per signature: concurrent signatures made by the plain SignedXml (as XAdES) keep ds:", async () => {
    const [unprefixed, plain, again] = await Promise.all([sign(), signWith(new xmldsig.SignedXml(), "ds"), sign()]);
    expect(text(unprefixed)).not.toContain("ds:");
    expect(text(again)).not.toContain("ds:");
    expect(text(plain)).toMatch(/<ds:SignedInfo>.*<ds:DigestValue>.*<ds:SignatureValue>/s);
    expect(text(plain)).not.toMatch(/<(SignedInfo|DigestValue|SignatureValue)[ >]/);
    for (const xml of [unprefixed, plain, again]) expect(await verifies(xml)).toBe(true);
  });
});
