/**
 * For the long-term levels: the revocation test PKI (test/fixtures/revocation-pki.ts) plus an RSA signer and a TSA
 * certificate issued by its CA (both in the CA's database, so the real `openssl ocsp` responder answers "good" for
 * them, and both naming the router's OCSP and CRL URLs), the responder, and `openssl ts` as the TSA signing with
 * that certificate (startLocalTsa reuses a PKI already in its folder). The signer's key is software RSA with
 * PKCS#1 v1.5 over the digest, which is what the token does for these formats (the format code cannot tell).
 */
import { constants, privateEncrypt } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIGEST_INFO_PREFIX } from "../../../main/domain/hash-algorithm.js";
import type { Signer } from "../../../main/domain/signer.js";
import { NO_PROXY, RevocationService } from "../../../main/core/certificates/revocation/index.js";
import { makeRevocationPki, startOcspResponder, type OcspResponder, type RevocationPki } from "../../fixtures/revocation-pki.js";
import { openssl } from "../../../sandbox/demo-tokens/openssl-pki.js";
import { startLocalTsa, type LocalTsa } from "../../verifiers/local-tsa.js";
import { startRouter, type Router } from "../certificates/revocation-router.js";

export interface LongTermPki {
  readonly dir: string;
  readonly pki: RevocationPki;
  readonly router: Router;
  readonly responder: OcspResponder;
  readonly tsa: LocalTsa;
  readonly signer: Signer;
  /** The root, CA and signer certificates as one PEM file (verifier trust). */
  readonly rootPem: string;
  readonly caPem: string;
  revocation(options?: { offline?: boolean }): RevocationService;
  file(name: string, data: Uint8Array | string): Promise<string>;
  close(): Promise<void>;
}

const der = (pem: string): Uint8Array => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");

export async function startLongTermPki(): Promise<LongTermPki> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-long-term-"));
  const router = await startRouter();
  const pki = await makeRevocationPki(dir, router.baseUrl);
  const caDir = join(dir, "ca");
  // An RSA signer and a TSA certificate from the CA's database, both naming the router's OCSP and CRL URLs.
  const issue = async (name: string, extensions: string): Promise<{ key: string; cert: string }> => {
    const key = join(caDir, `${name}.key`);
    const csr = join(caDir, `${name}.csr`);
    const cert = join(caDir, `${name}.pem`);
    const ext = join(caDir, `${name}.ext`);
    await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-subj", `/C=VN/O=KySo Test/CN=${name}`, "-out", csr]);
    await writeFile(ext, `${extensions}\ncrlDistributionPoints=URI:${router.baseUrl}/crl/ca.crl\nauthorityInfoAccess=OCSP;URI:${router.baseUrl}/ocsp\n`);
    await openssl(["ca", "-batch", "-config", pki.ca.config, "-notext", "-extfile", ext, "-in", csr, "-out", cert]);
    return { key, cert };
  };
  const signerPair = await issue("Nguyen Van Ky Dai Han", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation");
  const tsaPair = await issue("KySo Long Term TSA", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid");
  const crlPem = join(caDir, "ca.crl.pem");
  await openssl(["ca", "-config", pki.ca.config, "-gencrl", "-crlexts", "crl_ext", "-out", crlPem]);
  const crlDer = join(caDir, "ca.crl");
  await openssl(["crl", "-in", crlPem, "-outform", "DER", "-out", crlDer]);
  router.files = { crlPem: new Uint8Array(await readFile(crlPem)), crlDer: new Uint8Array(await readFile(crlDer)), caDer: pki.der.ca };
  const responder = await startOcspResponder(pki, pki.responders.delegated);
  router.responderUrl = responder.url;

  // startLocalTsa keeps a PKI it finds in <dir>/tsa-pki: the token then carries the TSA certificate, the CA and the root.
  const tsaDir = join(dir, "tsa");
  await mkdir(join(tsaDir, "tsa-pki"), { recursive: true });
  const caPemText = await readFile(pki.ca.cert, "latin1");
  const rootPemText = await readFile(pki.root.cert, "latin1");
  await writeFile(join(tsaDir, "tsa-pki", "ca.pem"), caPemText + rootPemText);
  await writeFile(join(tsaDir, "tsa-pki", "tsa.pem"), await readFile(tsaPair.cert));
  await writeFile(join(tsaDir, "tsa-pki", "tsa.key"), await readFile(tsaPair.key));
  const tsa = await startLocalTsa(tsaDir);

  const privateKey = await readFile(signerPair.key, "latin1");
  const signer: Signer = {
    certificate: der(await readFile(signerPair.cert, "latin1")),
    chain: [pki.der.ca, pki.der.root],
    keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
    async signDigest(request) {
      const value = new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[request.hashAlgorithm], "hex"), request.digest])));
      return { value, raw: value };
    },
  };
  const file = async (name: string, data: Uint8Array | string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, data);
    return path;
  };
  return {
    dir,
    pki,
    router,
    responder,
    tsa,
    signer,
    rootPem: pki.root.cert,
    caPem: pki.ca.cert,
    revocation: (options = {}) => new RevocationService({ proxy: NO_PROXY, ...options }),
    file,
    async close() {
      await tsa.close();
      await responder.stop();
      await router.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
