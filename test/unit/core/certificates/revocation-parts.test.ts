import { X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { describe, expect, it } from "vitest";
import {
  buildOcspRequest,
  checkOcspResponse,
  crlDer,
  fetchableUrl,
  OID_OCSP_NONCE,
  proxyFor,
  proxyFromEnvironment,
  revocationVerdict,
  type RevocationResult,
} from "../../../../main/core/certificates/revocation/index.js";
import type { RevocationVerdictKey } from "../../../../main/core/certificates/revocation/types.js";
import { MESSAGES } from "../../../../main/domain/messages/index.js";
import { BUNDLED_ANCHOR_PEMS, certificatesIn, fingerprint, loadAnchors, nationalRootByFingerprint, NATIONAL_ROOTS } from "../../../../main/core/certificates/trust/index.js";
import { makeCertificate } from "./make-certificate.js";

const result = (status: RevocationResult["status"], detail?: RevocationResult["detail"]): RevocationResult => ({
  status,
  source: status === "error" ? "none" : "ocsp",
  checkedAt: new Date(0),
  ...(detail ? { detail } : {}),
  notes: [],
  fromCache: false,
  attempts: [],
});

describe("revocationVerdict", () => {
  it.each([
    ["good", undefined, "warn", { blocking: false }],
    ["good", undefined, "require", { blocking: false }],
    ["revoked", undefined, "off", { blocking: false }],
    ["revoked", undefined, "warn", { blocking: false, warning: "revocation.revoked" }],
    ["revoked", undefined, "require", { blocking: true, warning: "revocation.revoked" }],
    ["unknown", undefined, "warn", { blocking: false, warning: "revocation.unknown" }],
    ["error", "timeout", "warn", { blocking: false, warning: "revocation.unchecked" }],
    ["error", "timeout", "require", { blocking: true, warning: "revocation.unchecked" }],
    ["error", "offline", "require", { blocking: true, warning: "revocation.offline" }],
  ] as const)("%s (%s) under %s", (status, detail, mode, expected) => {
    expect(revocationVerdict(result(status, detail), mode)).toEqual(expected);
  });

  it("no result at all is 'could not check'", () => {
    expect(revocationVerdict(undefined, "require")).toEqual({ blocking: true, warning: "revocation.unchecked" });
  });

  it("every verdict key is worded in both languages by the UI catalogue (cert.<key>)", () => {
    const keys = ["revocation.revoked", "revocation.unknown", "revocation.unchecked", "revocation.offline"] as const satisfies readonly RevocationVerdictKey[];
    for (const key of keys) for (const language of ["vi", "en"] as const) expect(MESSAGES[language][`cert.${key}`].length).toBeGreaterThan(0);
  });
});

describe("URLs and proxies", () => {
  it("only absolute http(s) URLs without credentials are fetchable", () => {
    expect(fetchableUrl("http://ocsp.ca.vn/")).toBeDefined();
    for (const bad of ["ldap://ca.vn/cn=crl", "file:///etc/passwd", "javascript:1", "http://u:p@ca.vn/", "/relative"]) {
      expect(fetchableUrl(bad)).toBeUndefined();
    }
  });

  it("reads HTTP(S)_PROXY and NO_PROXY in either case", () => {
    expect(proxyFromEnvironment({ http_proxy: "http://p:3128", HTTPS_PROXY: "p2:8080", NO_PROXY: ".corp.vn" })).toEqual({
      httpProxy: "http://p:3128",
      httpsProxy: "p2:8080",
      noProxy: ".corp.vn",
    });
  });

  it("NO_PROXY matches names, suffixes, ports, IPs and *", () => {
    const settings = { httpProxy: "http://p:3128", httpsProxy: "p2:8080", noProxy: "*.corp.vn, 10.0.0.1, ca.vn:8080" };
    expect(proxyFor(new URL("http://ocsp.ca.vn/"), settings)?.host).toBe("p:3128");
    expect(proxyFor(new URL("https://crl.ca.vn/"), settings)?.href).toBe("http://p2:8080/");
    expect(proxyFor(new URL("http://a.corp.vn/"), settings)).toBeUndefined();
    expect(proxyFor(new URL("http://10.0.0.1/"), settings)).toBeUndefined();
    expect(proxyFor(new URL("http://ca.vn:8080/"), settings)).toBeUndefined();
    expect(proxyFor(new URL("http://ca.vn/"), settings)).toBeDefined();
    expect(proxyFor(new URL("http://x.vn/"), { ...settings, noProxy: "*" })).toBeUndefined();
    expect(proxyFor(new URL("http://x.vn/"), { httpProxy: "socks5://p:1080" })).toBeUndefined();
  });
});

describe("OCSP request and response parsing", () => {
  it("the request carries one SHA-256 CertID and a 32-byte nonce", async () => {
    const ca = await makeCertificate({ subject: [{ CN: ["CA"] }], ca: true });
    const leaf = await makeCertificate({ subject: [{ CN: ["Leaf"] }], issuer: ca, serialNumber: "0a0b" });
    const request = buildOcspRequest(pkijs.Certificate.fromBER(leaf.der), pkijs.Certificate.fromBER(ca.der), { hash: "sha256", nonce: true });
    const parsed = pkijs.OCSPRequest.fromBER(request.der);
    const certId = parsed.tbsRequest.requestList[0]!.reqCert;
    expect(certId.hashAlgorithm.algorithmId).toBe("2.16.840.1.101.3.4.2.1");
    expect(Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString("hex")).toBe("0a0b");
    const nonce = parsed.tbsRequest.requestExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
    const inner = asn1js.fromBER(nonce!.extnValue.valueBlock.valueHexView).result as asn1js.OctetString;
    expect(inner.valueBlock.valueHexView.length).toBe(32);
  });

  it("garbage and a non-successful status are errors, not exceptions", async () => {
    const ca = await makeCertificate({ subject: [{ CN: ["CA"] }], ca: true });
    const issuer = pkijs.Certificate.fromBER(ca.der);
    const certId = buildOcspRequest(issuer, issuer, { hash: "sha256", nonce: false }).certId;
    const check = (response: Uint8Array) => checkOcspResponse({ response, issuer, certId, now: new Date() });
    expect(check(new Uint8Array([1, 2, 3]))).toMatchObject({ status: "error", detail: "malformed" });
    const tryLater = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 3 }) });
    expect(check(new Uint8Array(tryLater.toSchema().toBER()))).toMatchObject({ status: "error", detail: "responder-status", responseStatus: 3 });
  });
});

describe("CRL and anchor encodings", () => {
  it("PEM CRLs are decoded, DER passes through, a PEM without a CRL block is refused", () => {
    const der = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString("base64")}\n-----END X509 CRL-----\n`;
    expect(crlDer(new Uint8Array(Buffer.from(pem)))).toEqual(der);
    expect(crlDer(der)).toBe(der);
    expect(crlDer(new Uint8Array(Buffer.from("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----")))).toBeUndefined();
  });

  it("national roots are recognised by fingerprint in either notation", () => {
    expect(nationalRootByFingerprint("BA:C8:BF:60:9A:B4:20:A8:EE:17:80:D7:4F:4D:E5:C7:F7:18:49:59:D2:A7:37:5B:0A:75:E4:C2:9F:09:08:E7")?.id).toBe(
      "vn-national-root",
    );
    expect(NATIONAL_ROOTS.every((root) => /^[0-9a-f]{64}$/.test(root.fingerprintSha256))).toBe(true);
  });

  it("bundled PEMs are the two national roots: published fingerprints, self-signed, CA, SHA-256 RSA 4096", async () => {
    const ders = BUNDLED_ANCHOR_PEMS.flatMap((pem) => certificatesIn(pem));
    expect(ders.map((der) => nationalRootByFingerprint(fingerprint(der))?.id)).toEqual(["vn-national-root", "vn-gov-root-g2"]);
    for (const der of ders) {
      const cert = new X509Certificate(der);
      expect(cert.ca).toBe(true);
      expect(cert.checkIssued(cert)).toBe(true);
      expect(cert.verify(cert.publicKey)).toBe(true); // self-signature valid
      expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
      const root = nationalRootByFingerprint(fingerprint(der))!;
      // Same attributes as the published subject (node lists them root-first, one per line).
      expect(cert.subject.split("\n").reverse().join(", ")).toBe(root.subject);
      expect(new Date(cert.validFrom).getUTCFullYear()).toBe(Number(root.validity.slice(0, 4)));
      expect(new Date(cert.validTo).getUTCFullYear()).toBe(Number(root.validity.slice(5)));
    }
    const loaded = await loadAnchors({});
    expect(loaded.problems).toEqual([]);
    expect(loaded.anchors.map((a) => [a.source, a.nationalRoot])).toEqual([
      ["bundled", "vn-national-root"],
      ["bundled", "vn-gov-root-g2"],
    ]);
  });
});
