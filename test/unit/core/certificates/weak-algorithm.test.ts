/**
 * Circular 15/2025 algorithms (SHA-2/SHA-3 only, RSA >= 2048, EC P-256+): `weakAlgorithm` on real openssl
 * certificates, judged from the DER's OIDs (SHA-3 and MD5 have no name in the X.509 library).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificateFacts, problemsFromFacts } from "../../../../main/core/certificates/parse-certificate.js";
import { openssl } from "../../../../sandbox/demo-tokens/openssl-pki.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-weak-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function certificate(name: string, key: readonly string[], sign: readonly string[]): Promise<Uint8Array> {
  const pem = join(dir, `${name}.pem`);
  await openssl(["req", "-x509", ...key, "-nodes", "-keyout", join(dir, `${name}.key`), "-subj", `/CN=${name}`, "-days", "30", ...sign,
    "-addext", "keyUsage=critical,digitalSignature", "-out", pem]);
  return new Uint8Array(Buffer.from((await readFile(pem, "latin1")).replace(/-----[^-]+-----|\s/g, ""), "base64"));
}

const problems = (der: Uint8Array) => problemsFromFacts(parseCertificateFacts(der), { hasPrivateKey: true, revoked: false });

describe("weakAlgorithm", () => {
  it("refuses RSA-1024, SHA-1 and MD5 signatures", async () => {
    expect(problems(await certificate("rsa1024", ["-newkey", "rsa:1024"], ["-sha256"]))).toEqual(["weakAlgorithm"]);
    expect(problems(await certificate("sha1", ["-newkey", "rsa:2048"], ["-sha1"]))).toEqual(["weakAlgorithm"]);
    expect(problems(await certificate("md5", ["-newkey", "rsa:2048"], ["-md5"]))).toEqual(["weakAlgorithm"]);
  });

  it("accepts RSA-2048 PKCS#1 v1.5 and RSASSA-PSS with SHA-256, ECDSA P-256 with SHA3-256, P-384 with SHA-384", async () => {
    expect(problems(await certificate("rsa2048", ["-newkey", "rsa:2048"], ["-sha256"]))).toEqual([]);
    expect(problems(await certificate("pss", ["-newkey", "rsa:2048"], ["-sha256", "-sigopt", "rsa_padding_mode:pss"]))).toEqual([]);
    expect(problems(await certificate("ecsha3", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"], ["-sha3-256"]))).toEqual([]);
    expect(problems(await certificate("p384", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"], ["-sha384"]))).toEqual([]);
  });

  it("RSASSA-PSS over SHA-1 is refused", async () => {
    const der = await certificate("pss-sha1", ["-newkey", "rsa:2048"], ["-sha1", "-sigopt", "rsa_padding_mode:pss"]);
    expect(problems(der)).toEqual(["weakAlgorithm"]);
  });
});
