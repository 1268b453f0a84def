/** The RFC 3161 client's refusals, each against the local TSA in a failure mode: B-T never degrades to B-B. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { sign } from "../../../main/core/signing/index.js";
import { opensslCmsVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startLocalTsa, type LocalTsa } from "../../verifiers/local-tsa.js";
import { openHarness, type Harness } from "./harness.js";

let h: Harness;
let tsa: LocalTsa;
const data = new TextEncoder().encode("Quyết định số 12/QĐ-UBND");

beforeAll(async () => {
  h = await openHarness();
  tsa = await startLocalTsa(h.dir);
  await ensureJavaVerifier();
});
afterAll(async () => {
  await tsa?.close();
  await h?.close();
});

const failsWith = (code: string) => (e: unknown) => isKysoError(e) && e.code === code;

describe("CAdES-B-T refusals (sequential: they switch the TSA's mode)", () => {
  it.each(["http-error", "garbage", "rejected"] as const)("TSA mode %s → timestamp_failed", async (mode) => {
    tsa.setMode(mode);
    try {
      await expect(sign({ format: "cms", document: data, options: { level: "B-T" } }, await h.signer("personRsa"), { timestampAuthority: { url: tsa.url } })).rejects.toSatisfy(failsWith("timestamp_failed"));
    } finally {
      tsa.setMode("ok");
    }
  });

  it("a slow TSA past the configured timeout → timestamp_failed", async () => {
    tsa.setMode("slow", { slowMs: 3000 });
    try {
      await expect(sign({ format: "cms", document: data, options: { level: "B-T" } }, await h.signer("personRsa"), { timestampAuthority: { url: tsa.url, timeoutMs: 300 } })).rejects.toSatisfy(failsWith("timestamp_failed"));
    } finally {
      tsa.setMode("ok");
    }
  });

  it("no TSA configured → timestamp_failed", async () => {
    await expect(sign({ format: "cms", document: data, options: { level: "B-T" } }, await h.signer("personRsa"))).rejects.toSatisfy(failsWith("timestamp_failed"));
  });

  it("a replayed response (a valid token for another request) fails the imprint/nonce check", async () => {
    // A proxy that answers every query with the first token it obtained.
    let first: Buffer | undefined;
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
      if (!first) {
        const r = await fetch(tsa.url, { method: "POST", headers: { "Content-Type": "application/timestamp-query" }, body: Buffer.concat(chunks) });
        first = Buffer.from(await r.arrayBuffer());
      }
      res.writeHead(200, { "Content-Type": "application/timestamp-reply" }).end(first);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
    try {
      const signer = await h.signer("personRsa");
      await sign({ format: "cms", document: data, options: { level: "B-T" } }, signer, { timestampAuthority: { url } });
      await expect(sign({ format: "cms", document: data, options: { level: "B-T" } }, signer, { timestampAuthority: { url } })).rejects.toSatisfy(failsWith("timestamp_failed"));
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe("CAdES with RSA-PSS", () => {
  it.each(["personRsa", "orgRsa3072"])("%s: RSASSA-PSS SignerInfo passes openssl cms and the Java verifier", async (name) => {
    const signer = await h.signer(name);
    const result = await sign({ format: "cms", document: data, hashAlgorithm: "SHA-384", options: { scheme: "rsa-pss" } }, signer);
    if (result.kind !== "signature") throw new Error("expected a signature");
    const sig = await h.file(`${name}-pss.p7s`, result.signature);
    const content = await h.file(`${name}-pss.txt`, data);
    expect((await opensslCmsVerify({ signature: sig, content, caFile: signer.rootPem })).ok).toBe(true);
    const java = await verifyWithJava("cms", sig, ["--content", content]);
    expect(allErrors(java.report)).toEqual([]);
  });

  it("an ECDSA scheme on an RSA key is unsupported_algorithm", async () => {
    await expect(sign({ format: "cms", document: data, options: { scheme: "ecdsa" } }, await h.signer("personRsa"))).rejects.toSatisfy(failsWith("unsupported_algorithm"));
  });
});
