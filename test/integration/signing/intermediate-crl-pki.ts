/**
 * A second chain on the long-term PKI (long-term-pki.ts) whose intermediate has revocation data of its own:
 * the long-term PKI's root -> "KySo CRL Checked CA" (a CRL distribution point on the root's CRL, served by the
 * router at /crl/root.crl) -> an RSA signer (AIA OCSP at /ocsp/inter, relayed to an `openssl ocsp` that answers
 * for the intermediate's database and signs with the intermediate's own key). Additive: the long-term PKI's
 * certificates are untouched, and its TSA, router and root are reused.
 */
import { constants, privateEncrypt } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DIGEST_INFO_PREFIX } from "../../../main/domain/hash-algorithm.js";
import type { Signer } from "../../../main/domain/signer.js";
import { startOcspResponder, type OcspResponder } from "../../fixtures/revocation-pki.js";
import { openssl } from "../../../sandbox/demo-tokens/openssl-pki.js";
import type { LongTermPki } from "./long-term-pki.js";

export interface IntermediateCrlChain {
  readonly signer: Signer;
  /** DER of the intermediate and of the root's CRL (the one about the intermediate). */
  readonly intermediate: Uint8Array;
  readonly rootCrl: Uint8Array;
  /** The intermediate's PEM file (xmlsec1's untrusted certificates). */
  readonly intermediatePem: string;
  readonly responder: OcspResponder;
}

const der = (pem: string): Uint8Array => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");

/** An `openssl ca` database in `dir` for the CA whose certificate and key are given. */
async function database(dir: string, cert: string, key: string, extensions: string): Promise<{ config: string; index: string }> {
  await mkdir(join(dir, "newcerts"), { recursive: true });
  const index = join(dir, "index.txt");
  await writeFile(index, "");
  await writeFile(join(dir, "crlnumber"), "2000\n");
  const config = join(dir, "openssl.cnf");
  await writeFile(
    config,
    `[ ca ]\ndefault_ca = this\n[ this ]\ndir = ${dir}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir/newcerts\ncertificate = ${cert}\nprivate_key = ${key}\n` +
      `crlnumber = $dir/crlnumber\nrand_serial = yes\ndefault_md = sha256\ndefault_days = 730\ndefault_crl_days = 30\npolicy = anything\nunique_subject = no\n` +
      `copy_extensions = none\n[ anything ]\ncommonName = supplied\n[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n${extensions}`,
  );
  return { config, index };
}

export async function startIntermediateCrlChain(h: LongTermPki): Promise<IntermediateCrlChain> {
  const base = h.router.baseUrl;
  const rootDir = join(h.dir, "crl-chain", "root");
  const interDir = join(h.dir, "crl-chain", "inter");
  await mkdir(interDir, { recursive: true });
  const rootDb = await database(
    rootDir,
    h.pki.root.cert,
    h.pki.root.key,
    `[ intermediate ]\nbasicConstraints = critical,CA:TRUE,pathlen:0\nkeyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n` +
      `authorityKeyIdentifier = keyid\ncrlDistributionPoints = URI:${base}/crl/root.crl\n`,
  );
  const inter = { key: join(interDir, "ca.key"), cert: join(interDir, "ca.pem") };
  await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", inter.key, "-subj", "/C=VN/O=KySo Test/CN=KySo CRL Checked CA", "-out", join(interDir, "ca.csr")]);
  await openssl(["ca", "-batch", "-config", rootDb.config, "-notext", "-extensions", "intermediate", "-days", "3650", "-in", join(interDir, "ca.csr"), "-out", inter.cert]);
  const rootCrlPem = join(rootDir, "root.crl.pem");
  const rootCrlDer = join(rootDir, "root.crl");
  await openssl(["ca", "-config", rootDb.config, "-gencrl", "-crlexts", "crl_ext", "-out", rootCrlPem]);
  await openssl(["crl", "-in", rootCrlPem, "-outform", "DER", "-out", rootCrlDer]);

  const interDb = await database(
    interDir,
    inter.cert,
    inter.key,
    `[ signer ]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature,nonRepudiation\nauthorityInfoAccess = OCSP;URI:${base}/ocsp/inter\n`,
  );
  const signerKey = join(interDir, "signer.key");
  const signerCert = join(interDir, "signer.pem");
  await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", signerKey, "-subj", "/C=VN/O=KySo Test/CN=Tran Thi Trung Gian", "-out", join(interDir, "signer.csr")]);
  await openssl(["ca", "-batch", "-config", interDb.config, "-notext", "-extensions", "signer", "-in", join(interDir, "signer.csr"), "-out", signerCert]);

  // The intermediate answers for its own certificates (a CA-signed OCSP response, RFC 6960 §4.2.2.2 first case).
  const responder = await startOcspResponder({ ca: { index: interDb.index, cert: inter.cert } }, inter);
  const rootCrl = new Uint8Array(await readFile(rootCrlDer));
  h.router.extra.set("/crl/root.crl", { type: "application/pkix-crl", data: rootCrl });
  h.router.extra.set("/ocsp/inter", { relay: responder.url });

  const intermediate = der(await readFile(inter.cert, "latin1"));
  const privateKey = await readFile(signerKey, "latin1");
  const signer: Signer = {
    certificate: der(await readFile(signerCert, "latin1")),
    chain: [intermediate, h.pki.der.root],
    keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
    async signDigest(request) {
      const value = new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[request.hashAlgorithm], "hex"), request.digest])));
      return { value, raw: value };
    },
  };
  return { signer, intermediate, rootCrl, intermediatePem: inter.cert, responder };
}
