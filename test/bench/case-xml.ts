/**
 * Case 5, XML: XAdES-B-B (generic contract) and the Vietnamese e-invoice (vn-einvoice, seller signature) of
 * 1 MB and 16 MB (just under MAX_XML_BYTES), through the core's bounded document workers (the product path: the
 * worker parses and signs, the token-service signer signs the digest) against a SHA-256 pass over the same bytes.
 * Documents are grown by repeating content elements.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MAX_XML_BYTES, workerSigningPort } from "../../main/core/signing/index.js";
import { openTokenHarness } from "../helpers/token-service-harness.js";
import { median, report, row, size, sizes, target, watchLoop, type Row, type Target } from "./bench-lib.js";

const DOCS = join(import.meta.dirname, "../fixtures/documents");
const sizesBytes = sizes("XML_BYTES", [1024 * 1024, MAX_XML_BYTES - 64 * 1024], [64 * 1024]);
const rounds = size("XML_ROUNDS", 3, 2);

function grow(template: string, marker: string, element: string, bytes: number): Uint8Array {
  const unit = Buffer.byteLength(element);
  const count = Math.max(1, Math.floor((bytes - Buffer.byteLength(template)) / unit));
  return new TextEncoder().encode(template.replace(marker, element.repeat(count) + marker));
}

const contract = await readFile(join(DOCS, "generic-contract.xml"), "utf8");
const invoice = await readFile(join(DOCS, "einvoice-seller.xml"), "utf8");
const item = invoice.slice(invoice.indexOf("<HHDVu>"), invoice.indexOf("</HHDVu>") + "</HHDVu>".length);

const harness = await openTokenHarness();
const port = workerSigningPort();
const certificates = await harness.service.listCertificates();
const byName = (name: string) => certificates.find((c) => c.fingerprintSha256 === harness.tokens.cert(name).fingerprintSha256)!;
const rows: Row[] = [];
const targets: Target[] = [];
try {
  for (const bytes of sizesBytes) {
    const label = `${(bytes / 2 ** 20).toFixed(1)} MB`;
    const documents = [
      ["xades", "XAdES-B-B contract", byName("personRsa"), grow(contract, "</HopDong>", "<DieuKhoan>Điều khoản thanh toán và giao nhận hàng hóa theo hợp đồng.</DieuKhoan>\n", bytes)],
      ["vn-einvoice", "e-invoice (vn-einvoice)", byName("orgRsa3072"), grow(invoice, "</DSHHDVu>", `${item}\n`, bytes)],
    ] as const;
    for (const [format, name, certificate, document] of documents) {
      const hashes: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        createHash("sha256").update(document).digest();
        hashes.push(performance.now() - t);
      }
      const base = row(`${label} ${name}: SHA-256 pass (baseline)`, hashes, hashes.reduce((a, b) => a + b, 0));
      const { value, loopMaxMs } = await watchLoop(async () => {
        const samples: number[] = [];
        const started = performance.now();
        // One round for the 16 MB documents: each takes long enough on its own.
        for (let i = 0; i < (bytes > 4 * 2 ** 20 ? 1 : rounds); i++) {
          const signer = await harness.service.openSigner({ certificateId: certificate.id, pin: Buffer.from(harness.tokens.manifest.userPin) });
          try {
            const t = performance.now();
            await port.sign({ format, document, hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime: new Date() });
            samples.push(performance.now() - t);
          } finally {
            await signer.close();
          }
        }
        return { samples, wallMs: performance.now() - started };
      });
      rows.push(base, row(`${label} ${name}: sign()`, value.samples, value.wallMs, { baseline: base.name, ratio: median(value.samples) / base.medianMs, loopMaxMs }));
      targets.push(target(`event loop blocked, ${name} ${label} (the document is read in a worker)`, loopMaxMs, "<=", 50, "ms"));
    }
  }
} finally {
  await port.close();
  await harness.close();
}
report({ case: "xml", rows, targets, notes: ["sign() time excludes the login (openSigner) but includes the token's signature"] });
