/**
 * A batch signed together (a remote account: one phone confirmation for every document) gets the user's stored
 * stamp images exactly as a single signature does. The batch paths of both signing ports once skipped
 * `withStampImage`, so several files with the leader or seal preset and only a stored image failed with
 * invalid_params each, on the remote accounts only.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signingPort, workerSigningPort } from "../../../main/core/signing/index.js";
import type { BatchSigner } from "../../../main/domain/signer.js";
import { openFixtureSigners, type FixtureSigner, type FixtureSigners } from "../../helpers/fixture-signer.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { makeSamplePdf } from "./pdf-samples.js";
import { sealPng } from "./png.js";

let signers: FixtureSigners;
let signer: FixtureSigner;
const workers = workerSigningPort({ stampImages: async () => ({ signature: { png: sealPng() }, seal: { png: sealPng(), diameterMm: 36 } }) });

beforeAll(async () => {
  signers = await openFixtureSigners();
  signer = await signers.signer("personRsa");
}, 120_000);
afterAll(async () => {
  await workers.close();
  await signers?.close();
});

/** The fixture key behind the batch interface, counting its calls (one per batch, as a remote provider). */
function batchOf(base: FixtureSigner): BatchSigner & { calls: number } {
  const batch = {
    ...base,
    calls: 0,
    signDigest: base.signDigest.bind(base),
    async signDigests(requests: Parameters<BatchSigner["signDigests"]>[0]) {
      batch.calls++;
      return Promise.all(requests.map((request) => base.signDigest(request)));
    },
  };
  return batch;
}

const ports = {
  "in place": () => signingPort({ stampImages: async () => ({ signature: { png: sealPng() }, seal: { png: sealPng(), diameterMm: 36 } }) }),
  "document workers": () => workers,
};

describe.each(Object.keys(ports) as (keyof typeof ports)[])("signBatch with stored stamp images (%s)", (name) => {
  it("leader and seal documents without an image in the request are signed with the certificate's stored images", async () => {
    const port = ports[name]();
    const document = await makeSamplePdf(1);
    // No leader signature in this file for the seal to cover: it is placed where the user put it (`at`).
    const presets = [{ name: "leader" }, { name: "seal", at: { page: 1, x: 300, y: 200 } }];
    const items = presets.map((preset) => ({ format: "pades" as const, document, hashAlgorithm: "SHA-256" as const, options: { preset } }));
    const batch = batchOf(signer);
    const outcomes = await port.signBatch(items, batch, { signingTime: new Date() });
    expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason) : o.status))).toEqual(["fulfilled", "fulfilled"]);
    expect(batch.calls).toBe(1);
    const dir = await mkdtemp(join(tmpdir(), "kyso-batch-stamps-"));
    try {
      for (const [index, outcome] of outcomes.entries()) {
        const file = join(dir, `${index}.pdf`);
        await writeFile(file, (outcome as PromiseFulfilledResult<{ document?: Uint8Array }>).value.document!);
        expect((await pdfsigVerify(file)).signatures.map((s) => s.valid)).toEqual([true]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
