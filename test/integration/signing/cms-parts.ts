/** Pulls parts out of a CMS with `openssl asn1parse` (no KySo code), so `openssl ts -verify` can check the token. */
import { readFile, writeFile } from "node:fs/promises";
import { runTool } from "../../verifiers/cli-verifiers.js";

function tlvAt(der: Buffer, offset: number): { whole: Buffer; content: Buffer } {
  let len = der[offset + 1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[offset + 2 + i]!;
    header += n;
  }
  return { whole: der.subarray(offset, offset + header + len), content: der.subarray(offset + header, offset + header + len) };
}

/** Writes `<prefix>.tst` (the token) and `<prefix>.sigvalue` (what it stamps); returns their paths. */
export async function extractTimestamp(sigFile: string, prefix: string): Promise<{ tokenFile: string; signatureValueFile: string }> {
  const parsed = (await runTool("openssl", ["asn1parse", "-inform", "DER", "-in", sigFile])).stdout.split("\n");
  const tsLine = parsed.findIndex((l) => l.includes(":id-smime-aa-timeStampToken"));
  if (tsLine < 0) throw new Error("no timestamp token in the CMS");
  const tokenLine = parsed.slice(tsLine + 1).find((l) => /cons: SEQUENCE/.test(l))!;
  // The signature value is the last OCTET STRING before the unsigned attributes.
  const sigLine = parsed.slice(0, tsLine).filter((l) => /prim: OCTET STRING/.test(l)).at(-1)!;
  const der = await readFile(sigFile);
  const tokenFile = `${prefix}.tst`;
  const signatureValueFile = `${prefix}.sigvalue`;
  await writeFile(tokenFile, tlvAt(der, Number(tokenLine.trim().split(":")[0])).whole);
  await writeFile(signatureValueFile, tlvAt(der, Number(sigLine.trim().split(":")[0])).content);
  return { tokenFile, signatureValueFile };
}

/** The CMS inside the PDF's last signature /Contents (hex, zero-padded). */
export function lastPdfCms(pdf: Uint8Array): Buffer {
  const text = Buffer.from(pdf).toString("latin1");
  const at = text.lastIndexOf("/Contents <");
  const hex = text.slice(at + 11, text.indexOf(">", at));
  const der = Buffer.from(hex, "hex");
  return tlvAt(der, 0).whole;
}
