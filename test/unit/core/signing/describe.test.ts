import { createHash, generateKeyPairSync, privateEncrypt, verify, constants } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe as suite, expect, it } from "vitest";
import { DIGEST_INFO_PREFIX } from "../../../../main/domain/hash-algorithm.js";
import type { Signer } from "../../../../main/domain/signer.js";
import { describe, signingPort } from "../../../../main/core/signing/index.js";

const DOCS = join(import.meta.dirname, "../../../fixtures/documents");

suite("describe", () => {
  it("hash: the hex digest and its algorithm", async () => {
    const hash = createHash("sha256").update("x").digest();
    expect(await describe({ format: "raw", hash, hashAlgorithm: "SHA-256" })).toEqual({ kind: "hash", hashAlgorithm: "SHA-256", hex: hash.toString("hex") });
  });

  it("data: size, SHA-256 and a text preview for UTF-8", async () => {
    const data = new TextEncoder().encode("Giấy đề nghị");
    expect(await describe({ format: "cms", document: data })).toEqual({
      kind: "data",
      size: data.length,
      sha256: createHash("sha256").update(data).digest("hex"),
      textPreview: "Giấy đề nghị",
    });
    expect(await describe({ format: "raw", document: Uint8Array.from([0xff, 0xfe, 0x00]) })).not.toHaveProperty("textPreview");
  });

  it("xml: root, layout, Vietnamese summary, no signatures yet", async () => {
    const description = await describe({ format: "vn-einvoice", document: readFileSync(join(DOCS, "einvoice-seller.xml")) });
    expect(description).toMatchObject({ kind: "xml", rootElement: "HDon", layout: "vn-einvoice", existingSignatures: 0 });
  });

  it("pdf: page count, size, SHA-256, no signatures, the title as the document's claim", async () => {
    const doc = await PDFDocument.create();
    doc.setTitle("Tờ trình");
    for (let i = 0; i < 4; i++) doc.addPage();
    const bytes = await doc.save({ useObjectStreams: true });
    expect(await describe({ format: "pades", document: bytes })).toEqual({
      kind: "pdf",
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      pageCount: 4,
      existingSignatures: [],
      claims: { title: "Tờ trình" },
    });
  });
});

suite("signingPort (the bridge adapter)", () => {
  it("raw over a document: a PKCS#1 v1.5 signature that verifies with the key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    // A software stand-in at the port: RSA PKCS#1 v1.5 over DigestInfo || digest, as CKM_RSA_PKCS does.
    const signer: Signer = {
      certificate: new Uint8Array(),
      chain: [],
      keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
      async signDigest({ hashAlgorithm, digest }) {
        const value = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hashAlgorithm], "hex"), digest]));
        return { value, raw: value };
      },
    };
    const port = signingPort();
    const document = new TextEncoder().encode("Văn bản cần ký");
    const out = await port.sign({ format: "raw", document, hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime: new Date() });
    expect(verify("sha256", document, publicKey, out.signature!)).toBe(true);
    expect(await port.describe({ format: "raw", document, hashAlgorithm: "SHA-256", options: {} })).toMatchObject({ kind: "data", size: document.length });
  });
});
