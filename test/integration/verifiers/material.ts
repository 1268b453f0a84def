import { sign } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runTool } from "../../verifiers/cli-verifiers.js";

/**
 * Test material for the verifier self-tests, made with openssl and a few DER edits: no KySo signing code exists
 * for these formats yet, and the verifiers must be proven before they judge it.
 */

export async function openssl(args: readonly string[]): Promise<string> {
  const r = await runTool("openssl", args);
  if (!r.ok) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

export interface SignerPki {
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

/** Root and an RSA-2048 end-entity certificate with a Vietnamese name, as on real tokens. */
export async function makeSignerPki(dir: string): Promise<SignerPki> {
  const p = (name: string): string => join(dir, name);
  await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out", p("ca.pem"),
    "-days", "30", "-subj", "/C=VN/O=KySo Test/CN=KySo Test Root", "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", p("signer.key"), "-out", p("signer.csr"),
    "-utf8", "-subj", "/C=VN/CN=Nguyễn Văn A/UID=MST:0101234567"]);
  await writeFile(p("signer.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n");
  await openssl(["x509", "-req", "-in", p("signer.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-set_serial",
    "0x1234abcd", "-days", "30", "-sha256", "-extfile", p("signer.ext"), "-out", p("signer.pem")]);
  return { caCert: p("ca.pem"), cert: p("signer.pem"), key: p("signer.key") };
}

/** `openssl cms -sign` with `-cades` (signingCertificateV2); detached unless `attached`. */
export async function cmsSign(pki: SignerPki, content: string, out: string, opts: { attached?: boolean; cades?: boolean } = {}): Promise<void> {
  await openssl(["cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-in", content, "-signer", pki.cert,
    "-inkey", pki.key, "-out", out, ...(opts.cades === false ? [] : ["-cades"]), ...(opts.attached ? ["-nodetach"] : [])]);
}

/** A DER node; constructed ones keep their children so edits re-encode every enclosing length. */
export interface Tlv {
  tag: number;
  value?: Buffer;
  children?: Tlv[];
}

export function parseDer(buf: Buffer, pos = 0): { node: Tlv; end: number } {
  const tag = buf[pos]!;
  let p = pos + 1;
  let len = buf[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  const end = p + len;
  if (!(tag & 0x20)) return { node: { tag, value: buf.subarray(p, end) }, end };
  const children: Tlv[] = [];
  for (let q = p; q < end; ) {
    const child = parseDer(buf, q);
    children.push(child.node);
    q = child.end;
  }
  return { node: { tag, children }, end };
}

export function encodeDer(node: Tlv): Buffer {
  const body = node.children ? Buffer.concat(node.children.map(encodeDer)) : node.value!;
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : (() => {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  })();
  return Buffer.concat([Buffer.from([node.tag]), len, body]);
}

export const OID = {
  signingTime: "06092a864886f70d010905",
  signingCertificateV2: "060b2a864886f70d010910022f",
  signatureTimeStampToken: "060b2a864886f70d010910020e",
} as const;

/** The first SignerInfo's fields: version, sid, digestAlgorithm, [0] signedAttrs, sigAlg, signature, [1]?. */
export function firstSignerInfo(contentInfo: Tlv): Tlv {
  const signedData = contentInfo.children![1]!.children![0]!;
  return signedData.children!.at(-1)!.children![0]!;
}

export function signedAttrs(signerInfo: Tlv): Tlv[] {
  return signerInfo.children![3]!.children!;
}

export function attrOid(attr: Tlv): string {
  return encodeDer(attr.children![0]!).toString("hex");
}

/** Signs the attributes exactly as they now stand (order included), as a careless signer would. */
export function resign(signerInfo: Tlv, keyPem: string): void {
  const toBeSigned = encodeDer({ tag: 0x31, children: signedAttrs(signerInfo) });
  signerInfo.children![5]!.value = sign("sha256", toBeSigned, keyPem);
}

/** Reads a CMS file, lets `edit` change the first SignerInfo, re-signs it and writes the result. */
export async function editCms(src: string, dest: string, keyFile: string, edit: (signerInfo: Tlv) => void): Promise<void> {
  const root = parseDer(await readFile(src)).node;
  const si = firstSignerInfo(root);
  edit(si);
  resign(si, await readFile(keyFile, "utf8"));
  await writeFile(dest, encodeDer(root));
}

/** Adds an RFC 3161 token as the unsigned signature-time-stamp attribute (CAdES B-T). */
export function addSignatureTimestamp(signerInfo: Tlv, token: Buffer): void {
  const attr: Tlv = {
    tag: 0x30,
    children: [parseDer(Buffer.from(OID.signatureTimeStampToken, "hex")).node, { tag: 0x31, children: [parseDer(token).node] }],
  };
  signerInfo.children!.push({ tag: 0xa1, children: [attr] });
}

/** Sends a query to an RFC 3161 TSA and returns the token from the response. */
export async function timestampDigest(tsaUrl: string, dir: string, digestHex: string): Promise<{ response: Buffer; token: Buffer }> {
  const query = join(dir, `q-${digestHex.slice(0, 12)}.tsq`);
  await openssl(["ts", "-query", "-digest", digestHex, "-sha256", "-cert", "-out", query]);
  const res = await fetch(tsaUrl, { method: "POST", headers: { "Content-Type": "application/timestamp-query" }, body: await readFile(query) });
  if (!res.ok) throw new Error(`TSA answered ${res.status}`);
  const response = Buffer.from(await res.arrayBuffer());
  return { response, token: encodeDer(parseDer(response).node.children![1]!) };
}

const CONTENTS_HEX_CHARS = 16_384;

/**
 * A one-page PDF with a CAdES signature field, written byte by byte; `signRange` gets the ByteRange content and
 * returns the CMS to embed. Offsets in the xref are computed, the ByteRange padded so its length never changes.
 */
export async function makeSignedPdf(signRange: (content: Buffer) => Promise<Buffer>): Promise<Buffer> {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
    "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [0 0 0 0] /F 132 /P 3 0 R /V 5 0 R >>",
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:20250101120000+07'00') ` +
      `/ByteRange [0 ${"#".repeat(10)} ${"#".repeat(10)} ${"#".repeat(10)}] /Contents <${"0".repeat(CONTENTS_HEX_CHARS)}> >>`,
  ];
  let pdf = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = Buffer.from(pdf, "latin1");
  const gapStart = bytes.indexOf("/Contents <") + "/Contents ".length;
  const gapEnd = gapStart + CONTENTS_HEX_CHARS + 2;
  const range = [0, gapStart, gapEnd, bytes.length - gapEnd].map((n) => String(n).padEnd(10, " "));
  const brAt = bytes.indexOf("#".repeat(10));
  bytes.write(`${range[1]} ${range[2]} ${range[3]}`, brAt, "latin1");
  const cms = await signRange(Buffer.concat([bytes.subarray(0, gapStart), bytes.subarray(gapEnd)]));
  if (cms.length * 2 > CONTENTS_HEX_CHARS) throw new Error("CMS does not fit into /Contents");
  bytes.write(cms.toString("hex"), gapStart + 1, "latin1");
  return bytes;
}
