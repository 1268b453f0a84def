import { describe, expect, it } from "vitest";
import { isKysoError } from "../../../../main/domain/errors/index.js";
import { parseSigningRequest } from "../../../../main/core/signing/request.js";
import { stampRect, utf16Hex } from "../../../../main/core/signing/pdf/prepare-update.js";

const doc = new Uint8Array([1, 2, 3]);
const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return isKysoError(error) ? error.code : "not-kyso";
  }
};

describe("parseSigningRequest", () => {
  it("defaults: SHA-256 and empty options", () => {
    expect(parseSigningRequest({ format: "pades", document: doc })).toMatchObject({ hashAlgorithm: "SHA-256", options: {} });
  });

  it("portal spellings of the hash are accepted; SHA-1 is unsupported_algorithm", () => {
    expect(parseSigningRequest({ format: "raw", document: doc, hashAlgorithm: "Sha384" }).hashAlgorithm).toBe("SHA-384");
    expect(code(() => parseSigningRequest({ format: "raw", document: doc, hashAlgorithm: "SHA1" }))).toBe("unsupported_algorithm");
  });

  it("unknown options and formats are invalid_params", () => {
    expect(code(() => parseSigningRequest({ format: "pades", document: doc, options: { tsaUrl: "http://evil" } }))).toBe("invalid_params");
    expect(code(() => parseSigningRequest({ format: "docx", document: doc }))).toBe("invalid_params");
  });

  it("raw and cms take exactly one of document and hash; the others need a document", () => {
    expect(code(() => parseSigningRequest({ format: "raw" }))).toBe("invalid_params");
    expect(code(() => parseSigningRequest({ format: "cms", document: doc, hash: new Uint8Array(32) }))).toBe("invalid_params");
    expect(code(() => parseSigningRequest({ format: "xades", hash: new Uint8Array(32) }))).toBe("invalid_params");
  });

  it("a hash whose length does not match its algorithm is refused at the door, not by the token after the PIN", () => {
    for (const [hashAlgorithm, ok] of [["SHA-256", 32], ["SHA-384", 48], ["SHA-512", 64]] as const) {
      expect(parseSigningRequest({ format: "raw", hash: new Uint8Array(ok), hashAlgorithm })).toMatchObject({ hash: new Uint8Array(ok) });
      for (const wrong of [0, 20, ok - 1, ok + 1]) {
        expect(code(() => parseSigningRequest({ format: "raw", hash: new Uint8Array(wrong), hashAlgorithm }))).toBe("invalid_params");
        expect(code(() => parseSigningRequest({ format: "cms", hash: new Uint8Array(wrong), hashAlgorithm }))).toBe("invalid_params");
      }
    }
  });

  it("a stamp image must be base64 and a field name plain ASCII", () => {
    expect(code(() => parseSigningRequest({ format: "pades", document: doc, options: { visible: { image: "not base64!" } } }))).toBe("invalid_params");
    expect(code(() => parseSigningRequest({ format: "pades", document: doc, options: { fieldName: "Chữ ký" } }))).toBe("invalid_params");
  });
});

describe("PDF helpers", () => {
  it("utf16Hex: Vietnamese as UTF-16BE with a BOM", () => {
    expect(utf16Hex("Ký")).toBe("<FEFF004B00FD>");
  });

  it("stampRect: named corners of the MediaBox with a 36 pt margin; an explicit rect wins", () => {
    const a4: [number, number, number, number] = [0, 0, 595, 842];
    expect(stampRect({ position: "bottom-right" }, a4)).toEqual([349, 36, 559, 100]);
    expect(stampRect({ position: "top-left" }, a4)).toEqual([36, 742, 246, 806]);
    expect(stampRect({ rect: [10, 20, 100, 50], position: "top-left" }, a4)).toEqual([10, 20, 110, 70]);
  });
});
