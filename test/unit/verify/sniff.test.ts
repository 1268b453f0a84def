/** The verifier is chosen from the content's first bytes only (verify/sniff.ts), and XML times read as KySo signs them. */
import { describe, expect, it } from "vitest";
import { sniffFormat } from "../../../main/core/verify/sniff.js";
import { xmlDateTime } from "../../../main/core/verify/xml-signature.js";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

describe("sniffFormat", () => {
  it("PDF, XML (BOM, whitespace), CMS (definite and indefinite length), and nothing else", () => {
    expect(sniffFormat(bytes("%PDF-1.7\n"))).toBe("pdf");
    expect(sniffFormat(bytes("junk before %PDF-1.4\n"))).toBe("pdf");
    expect(sniffFormat(bytes("<?xml version='1.0'?><a/>"))).toBe("xml");
    expect(sniffFormat(bytes([0xef, 0xbb, 0xbf], " \r\n\t<a/>"))).toBe("xml");
    const oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    expect(sniffFormat(bytes([0x30, 0x82, 0x05, 0x00, ...oid]))).toBe("cms");
    expect(sniffFormat(bytes([0x30, 0x80, ...oid]))).toBe("cms");
    expect(sniffFormat(bytes([0x30, 0x82, 0x05, 0x00, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]))).toBeUndefined();
    expect(sniffFormat(bytes("PK\u0003\u0004"))).toBeUndefined();
    expect(sniffFormat(new Uint8Array(0))).toBeUndefined();
  });
});

describe("xmlDateTime", () => {
  it("reads an offset or Z; without one, Vietnam local time (the tax and e-invoice layouts)", () => {
    expect(xmlDateTime("2021-11-05T14:48:47")?.toISOString()).toBe("2021-11-05T07:48:47.000Z");
    expect(xmlDateTime("2021-11-05T14:48:47Z")?.toISOString()).toBe("2021-11-05T14:48:47.000Z");
    expect(xmlDateTime("2021-11-05T14:48:47.5+01:00")?.toISOString()).toBe("2021-11-05T13:48:47.500Z");
    expect(xmlDateTime("yesterday")).toBeUndefined();
  });
});
