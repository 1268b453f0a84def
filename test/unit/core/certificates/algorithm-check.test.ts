/**
 * The approval's algorithm line (issue 13: "algorithm allowed (SHA-2/3; RSA >= 2048; EC P-256+)" shown with its
 * result): `algorithmCheck` on real openssl certificates, and the words the approval shows (`algorithmText`).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { algorithmCheck } from "../../../../main/core/certificates/algorithm-check.js";
import { keyAlgorithmOf } from "../../../../main/core/certificates/parse-certificate.js";
import { algorithmText } from "../../../../renderer/src/approval/algorithm-text.js";
import { translator } from "../../../../renderer/src/i18n/index.js";
import { openssl } from "../../../../sandbox/demo-tokens/openssl-pki.js";
import * as x509 from "@peculiar/x509";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-algorithm-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A self-signed certificate as the token service lists it: DER base64 and its key algorithm. */
async function certificate(name: string, key: readonly string[], sign: readonly string[]) {
  const pem = join(dir, `${name}.pem`);
  await openssl(["req", "-x509", ...key, "-nodes", "-keyout", join(dir, `${name}.key`), "-subj", `/CN=${name}`, "-days", "30", ...sign, "-out", pem]);
  const der = Buffer.from((await readFile(pem, "latin1")).replace(/-----[^-]+-----|\s/g, ""), "base64");
  const keyAlgorithm = keyAlgorithmOf(new x509.X509Certificate(der));
  if (!keyAlgorithm) throw new Error("unsupported key");
  return { certificate: der.toString("base64"), keyAlgorithm };
}

const en = translator("en");
const vi = translator("vi");

describe("algorithmCheck", () => {
  it("RSA 2048 signed with SHA-256, signing with SHA-256: allowed, shown as 'RSA 2048, SHA-256: allowed'", async () => {
    const view = algorithmCheck(await certificate("rsa2048", ["-newkey", "rsa:2048"], ["-sha256"]), ["SHA-256"]);
    expect(view).toEqual({ key: "RSA 2048", hash: "SHA-256", certificateHash: "SHA-256", allowed: true, problems: [] });
    expect(algorithmText(view, en)).toBe("Algorithm: RSA 2048, SHA-256: allowed (Circular 15/2025)");
    expect(algorithmText(view, vi)).toBe("Thuật toán: RSA 2048, SHA-256: được phép (Thông tư 15/2025)");
  });

  it("EC P-384 signed with SHA3-256, a batch signing with SHA-256 and SHA-384: both hashes and the CA's are named", async () => {
    const view = algorithmCheck(await certificate("p384", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"], ["-sha3-256"]), ["SHA-256", "SHA-384", "SHA-256"]);
    expect(view).toEqual({ key: "EC P-384", hash: "SHA-256, SHA-384", certificateHash: "SHA3-256", allowed: true, problems: [] });
    expect(algorithmText(view, en)).toBe("Algorithm: EC P-384, SHA-256, SHA-384, certificate signed with SHA3-256: allowed (Circular 15/2025)");
  });

  it("RSASSA-PSS over SHA-512 is allowed and named by its hash", async () => {
    const view = algorithmCheck(await certificate("pss", ["-newkey", "rsa:2048"], ["-sha512", "-sigopt", "rsa_padding_mode:pss"]), ["SHA-256"]);
    expect(view).toMatchObject({ certificateHash: "SHA-512", allowed: true });
  });

  it("RSA 1024 is refused with its reason", async () => {
    const view = algorithmCheck(await certificate("rsa1024", ["-newkey", "rsa:1024"], ["-sha256"]), ["SHA-256"]);
    expect(view).toMatchObject({ key: "RSA 1024", allowed: false, problems: ["keyTooSmall"] });
    expect(algorithmText(view, en)).toBe("Algorithm: RSA 1024, SHA-256: not allowed (RSA key under 2048 bits)");
  });

  it("a certificate signed with SHA-1, and one with RSASSA-PSS over SHA-1, are refused and the hash is named", async () => {
    const sha1 = algorithmCheck(await certificate("sha1", ["-newkey", "rsa:2048"], ["-sha1"]), ["SHA-256"]);
    expect(sha1).toMatchObject({ certificateHash: "SHA-1", allowed: false, problems: ["certificateHash"] });
    expect(algorithmText(sha1, en)).toBe("Algorithm: RSA 2048, SHA-256: not allowed (certificate signed with SHA-1, not SHA-2/SHA-3)");
    expect(algorithmText(sha1, vi)).toContain("không được phép");
    const pss = algorithmCheck(await certificate("pss-sha1", ["-newkey", "rsa:2048"], ["-sha1", "-sigopt", "rsa_padding_mode:pss"]), []);
    expect(pss).toMatchObject({ certificateHash: "SHA-1", allowed: false, problems: ["certificateHash"] });
    expect(pss.hash).toBeUndefined();
    expect(algorithmText(pss, en)).toBe("Algorithm: RSA 2048, SHA-1: not allowed (certificate signed with SHA-1, not SHA-2/SHA-3)");
  });

  it("a signing hash outside SHA-2/SHA-3 (should the request ever carry one) is refused", async () => {
    const view = algorithmCheck(await certificate("rsa2048b", ["-newkey", "rsa:2048"], ["-sha256"]), ["SHA-1"]);
    expect(view).toMatchObject({ allowed: false, problems: ["hash"] });
    expect(algorithmText(view, en)).toBe("Algorithm: RSA 2048, SHA-1, certificate signed with SHA-256: not allowed (signature hash SHA-1 is not SHA-2/SHA-3)");
  });
});
