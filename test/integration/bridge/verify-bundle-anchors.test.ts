/**
 * Issue 13 × 17: verification uses the anchors signing uses, including those of an accepted signed trust bundle.
 * The PDF is signed here with KySo's own code by the long-term test PKI's signer; its root reaches the core only
 * through a bundle file signed by the policy's publisher key (no policy `trustAnchors`).
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import type { VerificationReport } from "../../../sdk/src/protocol.js";
import { signedEnvelope } from "../../fixtures/trust-bundle.js";
import { startLongTermPki, type LongTermPki } from "../signing/long-term-pki.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { connect, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let pki: LongTermPki;
let dir: string;
let bundled: BridgeHarness;
let signed: Uint8Array;

beforeAll(async () => {
  pki = await startLongTermPki();
  dir = await mkdtemp(join(tmpdir(), "kyso-verify-bundle-"));
  const result = await sign({ format: "pades", document: await makeSamplePdf(1), options: { level: "B-B" } }, pki.signer, {});
  if (result.kind !== "document") throw new Error("expected a document");
  signed = result.document;
  const publisher = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const file = join(dir, "bundle.json");
  const content = {
    version: 1,
    issuedAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    anchors: [await readFile(pki.rootPem, "utf8")],
    intermediates: [],
  };
  await writeFile(file, signedEnvelope(content, publisher.privateKey, publisher.publicKey));
  bundled = await startBridgeHarness({ trustBundle: { file, publisherKeys: [publisher.publicKey.export({ type: "spki", format: "pem" }).toString()] } });
});
afterAll(async () => {
  await bundled?.close();
  await pki?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("a signature chaining to a signed trust bundle's anchor verifies as trusted, on the bridge and on the verify page", async () => {
  const client = await connect(bundled.wsPort);
  const answer = await client.call("verify", { document: Buffer.from(signed).toString("base64") });
  client.close();
  if (!("result" in answer)) throw new Error(JSON.stringify(answer));
  expect((answer.result as VerificationReport).signatures[0]).toMatchObject({ chain: { trusted: true }, integrity: { hash: "valid", signature: "valid" } });
  const page = await bundled.core.handlers["verify.file"]({ fileName: "signed.pdf", base64: Buffer.from(signed).toString("base64") });
  expect(page.report.signatures[0]).toMatchObject({ chain: { trusted: true } });
});
