import { createPublicKey, verify as nodeVerify, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import { opensslCmsVerify, opensslTsVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startLocalTsa, type LocalTsa } from "../../verifiers/local-tsa.js";
import { extractTimestamp } from "./cms-parts.js";
import { KEY_FIXTURES, openHarness, type Harness } from "./harness.js";

let h: Harness;
let tsa: LocalTsa;
const content = new TextEncoder().encode("Tờ khai thuế GTGT kỳ 01/2025\nLF only\n");

beforeAll(async () => {
  h = await openHarness();
  tsa = await startLocalTsa(h.dir);
  await ensureJavaVerifier();
});
afterAll(async () => {
  await tsa?.close();
  await h?.close();
});

describe.concurrent.each(KEY_FIXTURES)("raw and CMS with $label", ({ name }) => {
  it("raw: signature over the data verifies with the certificate's public key", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "raw", document: content, hashAlgorithm: "SHA-256" }, signer);
    expect(result.kind).toBe("signature");
    if (result.kind !== "signature") return;
    const key = new X509Certificate(signer.certificate).publicKey;
    expect(nodeVerify("sha256", content, key, result.signature)).toBe(true);
  });

  it("raw: a precomputed SHA-384 hash signs; ECDSA raw r||s is offered", async () => {
    const signer = await h.signer(name);
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha384").update(content).digest();
    const ecdsaRaw = signer.keyAlgorithm.kind === "ec";
    const result = await sign({ format: "raw", hash, hashAlgorithm: "SHA-384", options: ecdsaRaw ? { ecdsaEncoding: "raw" } : {} }, signer);
    if (result.kind !== "signature") throw new Error("expected a signature");
    const key = createPublicKey(new X509Certificate(signer.certificate).publicKey.export({ format: "pem", type: "spki" }));
    const ok = ecdsaRaw
      ? nodeVerify("sha384", content, { key, dsaEncoding: "ieee-p1363" }, result.signature)
      : nodeVerify("sha384", content, key, result.signature);
    expect(ok).toBe(true);
  });

  it.each([true, false])("CAdES-B-B detached=%s passes openssl cms and the Java verifier", async (detached) => {
    const signer = await h.signer(name);
    const result = await sign({ format: "cms", document: content, options: { detached } }, signer);
    if (result.kind !== "signature") throw new Error("expected a signature");
    const sigFile = await h.file(`${name}-${detached}.p7s`, result.signature);
    const dataFile = await h.file(`${name}-${detached}.txt`, content);
    const ossl = await opensslCmsVerify({ signature: sigFile, content: dataFile, caFile: signer.rootPem, attached: !detached });
    expect(ossl.stderr).toContain("Verification successful");
    expect(ossl.ok).toBe(true);
    const java = await verifyWithJava("cms", sigFile, detached ? ["--content", dataFile] : []);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.ok).toBe(true);
  });

  it("CAdES-B-T: the timestamp token verifies with openssl ts and the Java verifier requires it", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "cms", document: content, options: { level: "B-T" } }, signer, { timestampAuthority: { url: tsa.url } });
    if (result.kind !== "signature") throw new Error("expected a signature");
    const sigFile = await h.file(`${name}-bt.p7s`, result.signature);
    const dataFile = await h.file(`${name}-bt.txt`, content);
    expect((await opensslCmsVerify({ signature: sigFile, content: dataFile, caFile: signer.rootPem })).ok).toBe(true);
    const java = await verifyWithJava("cms", sigFile, ["--content", dataFile, "--require-timestamp"]);
    expect(allErrors(java.report)).toEqual([]);
    // openssl ts -verify on the token against the signature value it stamps.
    const { tokenFile, signatureValueFile } = await extractTimestamp(sigFile, `${sigFile}-ts`);
    const ts = await opensslTsVerify({ caFile: tsa.caCertPath, untrusted: tsa.tsaCertPath, data: signatureValueFile, token: tokenFile });
    expect(ts.stdout + ts.stderr).toContain("Verification: OK");
  });

  it("tampered content fails every verifier", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "cms", document: content }, signer);
    if (result.kind !== "signature") throw new Error("expected a signature");
    const sigFile = await h.file(`${name}-tamper.p7s`, result.signature);
    const other = await h.file(`${name}-tamper.txt`, "Tờ khai thuế GTGT kỳ 02/2025\nLF only\n");
    expect((await opensslCmsVerify({ signature: sigFile, content: other, caFile: signer.rootPem })).ok).toBe(false);
    expect((await verifyWithJava("cms", sigFile, ["--content", other])).ok).toBe(false);
  });
});
