import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { buildChain, certificateId, distinguishedName, parseCertificateInfo, vietnameseIdentifiers } from "../../../../main/core/certificates/index.js";
import { makeCertificate } from "./make-certificate.js";

const UID = "0.9.2342.19200300.100.1.1";
const SIGNING = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

const context = { tokenId: "m-1:serial", tokenSerial: "serial", label: "Nhãn", hasPrivateKey: true, caCertificates: [] };

describe("parseCertificateInfo", () => {
  it("subject with UTF-8 Vietnamese values and several UID values: read by OID, every identifier found", async () => {
    const made = await makeCertificate({
      subject: [{ C: ["VN"] }, { ST: ["Hà Nội"] }, { L: ["Cầu Giấy"] }, { CN: ["Nguyễn Văn An"] }, { [UID]: ["CCCD:001234567890"] }, { [UID]: ["MST:0101234567-001"] }],
      keyUsage: SIGNING,
    });
    const info = await parseCertificateInfo(made.der, context);
    expect(info.subject).toMatchObject({ commonName: "Nguyễn Văn An", state: "Hà Nội", locality: "Cầu Giấy", country: "VN" });
    expect(info.subject.attributes.filter((attribute) => attribute.oid === UID).map((attribute) => attribute.value)).toEqual([
      "CCCD:001234567890",
      "MST:0101234567-001",
    ]);
    expect(info.subject.text).toBe("C=VN, ST=Hà Nội, L=Cầu Giấy, CN=Nguyễn Văn An, UID=CCCD:001234567890, UID=MST:0101234567-001");
    expect(info.vn).toEqual({ personalId: "001234567890", taxCode: "0101234567-001" });
    expect(info.keyAlgorithm).toEqual({ kind: "ec", curve: "P-256" });
    expect(info.keyUsage).toEqual(["digitalSignature", "nonRepudiation"]);
    expect(info.problems).toEqual([]);
    expect(info.valid).toBe(true);
    expect(info.label).toBe("Nhãn");
  });

  it("stable id: SHA-256 fingerprint + ':' + token serial; the raw DER is kept", async () => {
    const made = await makeCertificate({ subject: [{ CN: ["A"] }] });
    const info = await parseCertificateInfo(made.der, context);
    expect(info.id).toBe(certificateId(made.der, "serial"));
    expect(info.id).toMatch(/^[0-9a-f]{64}:serial$/);
    expect(Buffer.from(info.certificate, "base64").equals(Buffer.from(made.der))).toBe(true);
  });

  it("expired, not yet valid, no signing key usage, no private key: each named", async () => {
    const past = await makeCertificate({ subject: [{ CN: ["Cũ"] }], notBefore: new Date("2020-01-01"), notAfter: new Date("2021-01-01") });
    expect((await parseCertificateInfo(past.der, context)).problems).toEqual(["expired"]);
    const future = await makeCertificate({ subject: [{ CN: ["Mới"] }], notBefore: new Date(Date.now() + 86_400_000) });
    expect((await parseCertificateInfo(future.der, context)).problems).toEqual(["notYetValid"]);
    const encipher = await makeCertificate({ subject: [{ CN: ["Mã hóa"] }], keyUsage: x509.KeyUsageFlags.keyEncipherment });
    expect((await parseCertificateInfo(encipher.der, context)).problems).toEqual(["noSigningKeyUsage"]);
    const keyless = await makeCertificate({ subject: [{ CN: ["Không khóa"] }], keyUsage: SIGNING });
    expect((await parseCertificateInfo(keyless.der, { ...context, hasPrivateKey: false })).problems).toEqual(["noPrivateKey"]);
  });

  it("revoked: listed in a CRL signed by the issuer", async () => {
    const ca = await makeCertificate({ subject: [{ CN: ["CA Thử nghiệm"] }], ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign });
    const leaf = await makeCertificate({ subject: [{ CN: ["Phạm Thu Hồi"] }], issuer: ca, serialNumber: "0a0b", keyUsage: SIGNING });
    const good = await makeCertificate({ subject: [{ CN: ["Còn hiệu lực"] }], issuer: ca, serialNumber: "0c0d", keyUsage: SIGNING });
    // @peculiar/x509 2.2 drops the entries of a CRL generated without nextUpdate: always give one.
    const crl = await x509.X509CrlGenerator.create({
      issuer: ca.certificate.subject,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 86_400_000),
      entries: [{ serialNumber: "0a0b", revocationDate: new Date() }],
      signingKey: ca.keys.privateKey,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    });
    const withCa = { ...context, caCertificates: [ca.der], crls: [crl] };
    expect((await parseCertificateInfo(leaf.der, withCa)).problems).toEqual(["revoked"]);
    expect((await parseCertificateInfo(good.der, withCa)).problems).toEqual([]);
    // A CRL the issuer did not sign is ignored.
    const forger = await makeCertificate({ subject: [{ CN: ["CA Thử nghiệm"] }], ca: true });
    const forged = await x509.X509CrlGenerator.create({
      issuer: ca.certificate.subject,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 86_400_000),
      entries: [{ serialNumber: "0c0d", revocationDate: new Date() }],
      signingKey: forger.keys.privateKey,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    });
    expect((await parseCertificateInfo(good.der, { ...withCa, crls: [forged] })).problems).toEqual([]);
  });

  it("chain: issuers found by signature, nearest first, up to the self-signed root", async () => {
    const root = await makeCertificate({ subject: [{ CN: ["Root"] }], ca: true });
    const intermediate = await makeCertificate({ subject: [{ CN: ["CA phục vụ các cơ quan Nhà nước G2"] }], issuer: root, ca: true });
    const leaf = await makeCertificate({ subject: [{ CN: ["Leaf"] }], issuer: intermediate });
    const impostor = await makeCertificate({ subject: [{ CN: ["CA phục vụ các cơ quan Nhà nước G2"] }], ca: true });
    const chain = buildChain(leaf.der, [impostor.der, root.der, intermediate.der]);
    expect(chain.map((der) => Buffer.from(der).toString("base64"))).toEqual(
      [intermediate.der, root.der].map((der) => Buffer.from(der).toString("base64")),
    );
  });
});

describe("vietnameseIdentifiers", () => {
  it("each prefix: MST, CCCD, CMND, HC, MNS; unknown prefixes ignored; the first of a kind wins", async () => {
    const made = await makeCertificate({
      subject: [{ CN: ["X"] }, { [UID]: ["mst : 0101234567"] }, { [UID]: ["CMND:012345678"] }, { [UID]: ["HC:B1234567"] }, { [UID]: ["MNS:1234567"] }, { [UID]: ["XYZ:1"] }, { [UID]: ["MST:999"] }],
    });
    expect(vietnameseIdentifiers(distinguishedName(made.certificate.subjectName))).toEqual({
      taxCode: "0101234567",
      oldPersonalId: "012345678",
      passport: "B1234567",
      budgetCode: "1234567",
    });
  });
});
