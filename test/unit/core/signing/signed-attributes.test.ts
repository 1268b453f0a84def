import * as asn1js from "asn1js";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compareBytes, readTlv, children, bytesOf } from "../../../../main/core/signing/cms/der.js";
import { attributesToBeSigned, buildSignedAttributes, essCertIdV2 } from "../../../../main/core/signing/cms/signed-attributes.js";

/** A minimal certificate shape (tbs: version, serial, signature algorithm, issuer) that certificateFields reads. */
function certificate(): Uint8Array {
  const name = new asn1js.Sequence({ value: [new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: "2.5.4.3" }), new asn1js.Utf8String({ value: "Nguyễn Văn An" })] })] })] });
  const tbs = new asn1js.Sequence({
    value: [
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: 2 })] }),
      new asn1js.Integer({ valueHex: Uint8Array.from([0x00, 0x9a, 0x01, 0x02]).buffer }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: "1.2.840.10045.4.3.2" })] }),
      name,
    ],
  });
  return new Uint8Array(new asn1js.Sequence({ value: [tbs] }).toBER());
}

describe("signed attributes", () => {
  it("buildSignedAttributes: attributes come out in DER order (sorted by encoding), whatever the input order", () => {
    const attrs = buildSignedAttributes({ contentDigest: new Uint8Array(32).fill(7), certificate: certificate(), signingTime: new Date("2025-04-20T03:00:00Z") });
    expect(attrs).toHaveLength(4);
    for (let i = 1; i < attrs.length; i++) expect(compareBytes(attrs[i - 1]!, attrs[i]!)).toBeLessThan(0);
  });

  it("PAdES: without a signing time there is no signingTime attribute", () => {
    const attrs = buildSignedAttributes({ contentDigest: new Uint8Array(32), certificate: certificate() });
    const oids = attrs.map((a) => (asn1js.fromBER(a).result as asn1js.Sequence).valueBlock.value[0]!.toString());
    expect(attrs).toHaveLength(3);
    expect(oids.join()).not.toContain("1.2.840.113549.1.9.5");
  });

  it("attributesToBeSigned: the same bytes under an explicit SET tag (0x31)", () => {
    const attrs = buildSignedAttributes({ contentDigest: new Uint8Array(32), certificate: certificate() });
    const tbs = attributesToBeSigned(attrs);
    expect(tbs[0]).toBe(0x31);
    const set = readTlv(tbs, 0);
    expect(children(tbs, set).map((c) => Buffer.from(bytesOf(tbs, c)).toString("hex"))).toEqual(attrs.map((a) => Buffer.from(a).toString("hex")));
  });

  it("essCertIdV2: SHA-256 of the whole certificate, default hash algorithm omitted, issuer and serial copied", () => {
    const cert = certificate();
    const id = asn1js.fromBER(essCertIdV2(cert)).result as asn1js.Sequence;
    const [hash, issuerSerial] = id.valueBlock.value as [asn1js.OctetString, asn1js.Sequence];
    expect(hash).toBeInstanceOf(asn1js.OctetString);
    expect(Buffer.from(hash.valueBlock.valueHexView).equals(createHash("sha256").update(cert).digest())).toBe(true);
    const [generalNames, serial] = issuerSerial.valueBlock.value as [asn1js.Sequence, asn1js.Integer];
    const directoryName = generalNames.valueBlock.value[0]!;
    expect(directoryName.idBlock.tagClass).toBe(3);
    expect(directoryName.idBlock.tagNumber).toBe(4);
    expect(Buffer.from(serial.valueBlock.valueHexView).toString("hex")).toBe("009a0102");
  });
});

