/**
 * The sign path does not read the token's certificates: they are read once when the token appears and kept.
 * Counted through the fault module's call log (native/fault-module, KYSO_FAULT_LOG: one line per PKCS#11 call),
 * never timed. Also: signing requests on one token are served in arrival order and the queue is visible;
 * another token is not held up by it.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import type { TokenQueueState } from "../../../main/core/tokens/index.js";
import { buildFaultModule } from "../../../native/fault-module/build.js";
import { copyFixtureTokens, type TokenCopy } from "../../fixtures/index.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";

let tokens: TokenCopy;
let harness: TokenHarness;
let callLog: string;
let personRsa: CertificateInfo;
let orgRsa: CertificateInfo;
let personB: CertificateInfo;

const pin = (): Buffer => Buffer.from(tokens.manifest.userPin);
const digest = createHash("sha256").update("sign path").digest();
const logLines = (): string[] => readFileSync(callLog, "utf8").split("\n").filter(Boolean);
const count = (lines: readonly string[], fn: string): number => lines.filter((line) => line === fn).length;

beforeAll(async () => {
  const faultModule = await buildFaultModule();
  tokens = await copyFixtureTokens();
  callLog = join(tokens.dir, "fault-calls.log");
  writeFileSync(callLog, "");
  harness = await openTokenHarness(
    {
      modulePaths: [faultModule],
      env: { KYSO_FAULT_LOG: callLog, KYSO_FAULT_REAL_MODULE: tokens.manifest.modulePath },
      timeouts: { enumerationMs: 8_000, signingMs: 8_000, loginMs: 8_000 },
    },
    tokens,
  );
  const certificates = await harness.service.listCertificates();
  const byName = (name: string): CertificateInfo => {
    const found = certificates.find((info) => info.fingerprintSha256 === tokens.cert(name).fingerprintSha256);
    if (!found) throw new Error(`${name} not listed`);
    return found;
  };
  personRsa = byName("personRsa");
  orgRsa = byName("orgRsa3072");
  personB = byName("personB");
});
afterAll(async () => {
  await harness?.close();
  await tokens?.cleanup();
});

async function signOnce(certificate: CertificateInfo): Promise<void> {
  const signer = await harness.service.openSigner({ certificateId: certificate.id, pin: pin() });
  try {
    await signer.signDigest({ hashAlgorithm: "SHA-256", digest, scheme: "rsa-pkcs1" });
  } finally {
    await signer.close();
  }
}

describe("certificates read once", () => {
  it("100 signatures after the first listing make no certificate-reading call", async () => {
    const tokenCount = (await harness.service.listTokens()).length;
    expect(tokenCount).toBe(2);
    // Positive control: an explicit refresh reads every token again, and the log shows it (per token: one search
    // for certificates, one for public keys, one for private keys, and CKA_VALUE reads).
    writeFileSync(callLog, "");
    await harness.service.refresh();
    await harness.service.listCertificates();
    const reading = logLines();
    expect(count(reading, "C_FindObjectsInit")).toBe(3 * tokenCount);
    const readAttributes = count(reading, "C_GetAttributeValue");
    expect(readAttributes).toBeGreaterThan(0);

    // The sign path, as the bridge runs it for each request: list certificates, list tokens (PIN state now),
    // open a signer by id, sign, close.
    writeFileSync(callLog, "");
    await harness.service.listCertificates();
    await harness.service.listTokens();
    await signOnce(personRsa);
    const first = logLines();
    // The only search is the private key by CKA_ID at login (find-keys.ts findPrivateKeysById).
    expect(count(first, "C_FindObjectsInit")).toBe(1);
    const attributesPerSign = count(first, "C_GetAttributeValue");
    expect(count(first, "C_Sign")).toBe(1);

    writeFileSync(callLog, "");
    for (let i = 0; i < 100; i++) {
      await harness.service.listCertificates();
      await harness.service.listTokens();
      await signOnce(personRsa);
    }
    const lines = logLines();
    expect(count(lines, "C_Sign")).toBe(100);
    expect(count(lines, "C_Login")).toBe(100);
    // A single certificate listing would add 3 searches per token; there are none beyond the 100 key lookups.
    expect(count(lines, "C_FindObjectsInit")).toBe(100);
    // And the attribute reads are the key's only, the same for every signature.
    expect(count(lines, "C_GetAttributeValue")).toBe(100 * attributesPerSign);
    expect(attributesPerSign).toBeLessThan(readAttributes);
  });

  it("findCertificate answers from the cache", async () => {
    writeFileSync(callLog, "");
    expect((await harness.service.findCertificate(personB.id))?.fingerprintSha256).toBe(tokens.cert("personB").fingerprintSha256);
    expect(await harness.service.findCertificate("no-such-id")).toBeUndefined();
    expect(count(logLines(), "C_FindObjectsInit")).toBe(0);
  });
});

describe("one token's queue", () => {
  it("requests from several connections are served in arrival order; the queue length is visible; another token is not held up", async () => {
    const tokenA = personRsa.tokenId;
    const states: TokenQueueState[] = [];
    const off = harness.service.onQueueChange((state) => {
      if (state.tokenId === tokenA) states.push(state);
    });
    const holder = await harness.service.openSigner({ certificateId: personRsa.id, pin: pin() });
    expect(harness.service.queue(tokenA)).toEqual({ tokenId: tokenA, busy: true, waiting: 0 });

    const queued = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (harness.service.queue(tokenA).waiting >= n) {
            stop();
            resolve();
          }
        };
        const stop = harness.service.onQueueChange(check);
        check();
      });

    // Six requests, as from three connections, each queued once the previous one is in line.
    const order: string[] = [];
    const served: Promise<void>[] = [];
    for (let i = 0; i < 6; i++) {
      const label = `connection ${i % 3} request ${i}`;
      const certificate = i % 2 === 0 ? personRsa : orgRsa;
      served.push(
        harness.service.openSigner({ certificateId: certificate.id, pin: pin() }).then(async (signer) => {
          order.push(label);
          try {
            await signer.signDigest({ hashAlgorithm: "SHA-256", digest, scheme: "rsa-pkcs1" });
          } finally {
            await signer.close();
          }
        }),
      );
      await queued(i + 1);
    }
    expect(harness.service.queue(tokenA)).toEqual({ tokenId: tokenA, busy: true, waiting: 6 });

    // Token B signs while token A's line is full.
    await signOnce(personB);
    expect(harness.service.queue(tokenA).waiting).toBe(6);
    expect(order).toEqual([]);

    await holder.signDigest({ hashAlgorithm: "SHA-256", digest, scheme: "rsa-pkcs1" });
    await holder.close();
    await Promise.all(served);
    off();
    expect(order).toEqual(Array.from({ length: 6 }, (_, i) => `connection ${i % 3} request ${i}`));
    expect(harness.service.queue(tokenA)).toEqual({ tokenId: tokenA, busy: false, waiting: 0 });
    // The line grew one by one to 6, then shrank one by one to 0.
    const waiting = states.map((state) => state.waiting);
    expect(Math.max(...waiting)).toBe(6);
    expect(waiting.slice(waiting.indexOf(6))).toEqual([6, 5, 4, 3, 2, 1, 0, 0]);
  });
});
