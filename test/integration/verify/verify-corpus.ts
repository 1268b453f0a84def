/**
 * Pieces the verifier suites share: a current CRL from a fixture CA, and a small software PKI (root and one signer,
 * made with openssl) for the files a third party makes with xmlsec1 and `openssl cms`, which need a key file.
 */
import { X509Certificate } from "node:crypto";
import { cp, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { openssl } from "../../../sandbox/demo-tokens/openssl-pki.js";
import { runTool } from "../../verifiers/cli-verifiers.js";

/**
 * A current CRL from a fixture CA, made on a private copy of the CA folder (the shared fixture is never written):
 * the fixture certificates name a CRL and an OCSP responder, so without revocation data EN 319 102-1 says TRY_LATER.
 */
export async function fixtureCrl(dir: string, caPem: string, name: string): Promise<Uint8Array> {
  const copy = join(dir, `ca-${name}`);
  await cp(dirname(caPem), copy, { recursive: true });
  const config = join(copy, "openssl.cnf");
  await writeFile(config, (await readFile(config, "utf8")).replace(/^dir = .*$/m, `dir = ${copy}`));
  await openssl(["ca", "-config", config, "-gencrl", "-crlexts", "crl_ext", "-out", join(copy, "crl.pem")]);
  await openssl(["crl", "-in", join(copy, "crl.pem"), "-outform", "DER", "-out", join(copy, "crl.der")]);
  return new Uint8Array(await readFile(join(copy, "crl.der")));
}

export interface SoftwarePki {
  readonly rootPem: string;
  readonly keyPem: string;
  readonly certPem: string;
  readonly certificate: Uint8Array;
}

/** A root and a signer certificate without revocation URLs (revocation then reads `none`). */
export async function makeSoftwarePki(dir: string): Promise<SoftwarePki> {
  const rootKey = join(dir, "tp-root.key");
  const rootPem = join(dir, "tp-root.pem");
  const keyPem = join(dir, "tp-signer.key");
  const csr = join(dir, "tp-signer.csr");
  const certPem = join(dir, "tp-signer.pem");
  const ext = join(dir, "tp-signer.ext");
  await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rootKey, "-out", rootPem, "-days", "3650", "-subj", "/C=VN/O=Third Party CA/CN=Third Party Root",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPem, "-out", csr, "-subj", "/C=VN/O=Third Party/CN=Trần Thị Ba", "-utf8"]);
  await writeFile(ext, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n");
  await openssl(["x509", "-req", "-in", csr, "-CA", rootPem, "-CAkey", rootKey, "-CAcreateserial", "-out", certPem, "-days", "365", "-extfile", ext]);
  return { rootPem, keyPem, certPem, certificate: new Uint8Array(new X509Certificate(await readFile(certPem)).raw) };
}

/** `xmlsec1 --sign` of a template (its Signature elements left empty) with the software signer. */
export async function xmlsecSign(dir: string, name: string, template: string, pki: SoftwarePki, idAttrs: readonly string[] = []): Promise<Uint8Array> {
  const input = join(dir, `${name}.tmpl.xml`);
  const output = join(dir, `${name}.xml`);
  await writeFile(input, template);
  const args = ["--sign", "--privkey-pem", `${pki.keyPem},${pki.certPem}`];
  for (const spec of idAttrs) {
    const space = spec.indexOf(" ");
    args.push(`--id-attr:${spec.slice(0, space)}`, spec.slice(space + 1));
  }
  const r = await runTool("xmlsec1", [...args, "--output", output, input]);
  if (!r.ok) throw new Error(`xmlsec1 --sign failed: ${r.stderr}`);
  return new Uint8Array(await readFile(output));
}

const DSIG = "http://www.w3.org/2000/09/xmldsig#";
/** An XMLDSig template with one Reference (`transforms` by algorithm URI), RSA-SHA256, the certificate in KeyInfo. */
export function signatureTemplate(uri: string, transforms: readonly string[], c14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"): string {
  return (
    `<Signature xmlns="${DSIG}"><SignedInfo><CanonicalizationMethod Algorithm="${c14n}"/>` +
    `<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="${uri}"><Transforms>` +
    transforms.map((t) => `<Transform Algorithm="${t}"/>`).join("") +
    `</Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo>` +
    `<SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature>`
  );
}
