/**
 * The evidence store with real revocation answers: the local PKI, `openssl ocsp` on 127.0.0.1 and the CRL router
 * (pki-harness.ts). Evidence is written once per distinct response, shared objects are deduplicated, the folder
 * is capped with rotation (oldest use first, the last keepDays protected up to the hard cap), files are private,
 * and the exported bundle's OCSP response is checked by openssl itself against the signer's certificate.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView } from "../../../main/core/app-api/views.js";
import { NO_PROXY, RevocationService, collectRevocationData, knownAnswers, type RevocationResult } from "../../../main/core/certificates/revocation/index.js";
import { buildEvidenceBundle } from "../../../main/core/evidence/evidence-bundle.js";
import { createEvidenceStore, evidenceId, type EvidenceInput, type EvidenceStoreOptions } from "../../../main/core/evidence/evidence-store.js";
import { startPkiHarness, type PkiHarness } from "./pki-harness.js";

const run = promisify(execFile);
const DAY = 86_400_000;

let h: PkiHarness;
let dirs: string[] = [];
beforeAll(async () => {
  h = await startPkiHarness();
});
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
  h.router.resetCounts();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-evidence-"));
  dirs.push(dir);
  return dir;
}

async function input(certificate: Uint8Array, result: RevocationResult | undefined): Promise<EvidenceInput> {
  return { data: await collectRevocationData([certificate, h.pki.der.ca, h.pki.der.root], knownAnswers(result ? new Map([[evidenceId(certificate), result]]) : new Map())), valid: true, problems: [], revocationCheck: "warn" };
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(join(dir, "evidence"))).sort();
}

describe("evidence of real OCSP and CRL answers", () => {
  it("written once per distinct response: the same check twice is one record, shared certificates are stored once", async () => {
    const dir = await tempDir();
    const store = createEvidenceStore(dir);
    const service = new RevocationService({ proxy: NO_PROXY });
    const good = await service.check(h.pki.der.good, h.pki.der.ca);
    const again = await service.check(h.pki.der.good, h.pki.der.ca); // from the cache: the same response
    expect(again.fromCache).toBe(true);
    expect(h.router.count("/ocsp")).toBe(1);
    const first = await store.record(await input(h.pki.der.good, good));
    const second = await store.record(await input(h.pki.der.good, again));
    expect(second).toBe(first);
    // good cert, CA, root, the OCSP response, the check record.
    expect(await files(dir)).toHaveLength(5);
    expect(await files(dir)).toContain(`${evidenceId(good.evidence!)}.der`);

    const revoked = await service.check(h.pki.der.revoked, h.pki.der.ca);
    const third = await store.record(await input(h.pki.der.revoked, revoked));
    expect(third).not.toBe(first);
    // + the revoked certificate, its OCSP response and its record; the CA and root are not written again.
    expect(await files(dir)).toHaveLength(8);
  });

  it("a CRL answer keeps the CRL once for every certificate it answered", async () => {
    const dir = await tempDir();
    const store = createEvidenceStore(dir);
    const service = new RevocationService({ proxy: NO_PROXY });
    const crlAnswer = await service.check(h.pki.der.crlOnly, h.pki.der.ca);
    expect(crlAnswer).toMatchObject({ status: "good", source: "crl" });
    const id = await store.record(await input(h.pki.der.crlOnly, crlAnswer));
    const record = JSON.parse(Buffer.from(((await store.read(id)) as { bytes: Uint8Array }).bytes).toString("utf8"));
    expect(record).toMatchObject({ crls: [evidenceId(crlAnswer.evidence!)], ocspResponses: [], check: { revocation: { status: "good", source: "crl" } } });
    expect((await store.read(evidenceId(crlAnswer.evidence!))).state).toBe("ok");
  });

  it("files are 0600 in a 0700 folder, named by their SHA-256, and an altered file is reported, not served", async () => {
    const dir = await tempDir();
    const store = createEvidenceStore(dir);
    const id = await store.record(await input(h.pki.der.noUrls, undefined));
    expect((await stat(join(dir, "evidence"))).mode & 0o777).toBe(0o700);
    for (const name of await files(dir)) {
      expect((await stat(join(dir, "evidence", name))).mode & 0o777).toBe(0o600);
      const found = await store.read(name.slice(0, 64));
      expect(found.state).toBe("ok");
    }
    await writeFile(join(dir, "evidence", `${id}.json`), "{}");
    expect((await store.read(id)).state).toBe("altered");
    expect((await store.read("../../etc/passwd")).state).toBe("missing");
  });
});

describe("size cap and rotation", () => {
  /** Three checks of different certificates, each on its own day (one record + one certificate each, chain shared). */
  async function threeDays(options: EvidenceStoreOptions, days: readonly number[]): Promise<{ dir: string; ids: string[] }> {
    const dir = await tempDir();
    let at = new Date("2026-01-01T00:00:00Z");
    const store = createEvidenceStore(dir, { ...options, now: () => at });
    const ids: string[] = [];
    const certs = [h.pki.der.good, h.pki.der.revoked, h.pki.der.crlOnly];
    for (const [index, day] of days.entries()) {
      at = new Date(Date.UTC(2026, 0, 1) + day * DAY);
      ids.push(await store.record(await input(certs[index]!, undefined)));
    }
    return { dir, ids };
  }

  async function sizeOf(dir: string): Promise<number> {
    let total = 0;
    for (const name of await files(dir)) total += (await stat(join(dir, "evidence", name))).size;
    return total;
  }

  it("over the cap, the oldest evidence goes first; what the newest record names stays", async () => {
    const { dir: full } = await threeDays({ maxBytes: 1e9 }, [0, 1, 2]);
    const total = await sizeOf(full);
    // A cap that fits about two thirds: the first day's record and certificate must go.
    const { dir, ids } = await threeDays({ maxBytes: Math.floor(total * 0.8), keepDays: 0 }, [0, 1, 2]);
    const left = await files(dir);
    expect(left).not.toContain(`${ids[0]}.json`);
    expect(left).not.toContain(`${evidenceId(h.pki.der.good)}.der`);
    expect(left).toContain(`${ids[2]}.json`);
    // The CA and root are used by every record, so they are as recent as the newest one.
    expect(left).toContain(`${evidenceId(h.pki.der.ca)}.der`);
    expect(left).toContain(`${evidenceId(h.pki.der.root)}.der`);
    expect(await sizeOf(dir)).toBeLessThanOrEqual(Math.floor(total * 0.8));
  });

  it("the last keepDays days are kept over the soft cap, until the hard cap", async () => {
    const { dir: full } = await threeDays({ maxBytes: 1e9 }, [0, 1, 2]);
    const total = await sizeOf(full);
    const recent = await threeDays({ maxBytes: 1, hardMaxBytes: 1e9, keepDays: 30 }, [0, 1, 2]);
    expect(await files(recent.dir)).toHaveLength((await files(full)).length);
    // Evidence older than keepDays goes even under a generous hard cap.
    const old = await threeDays({ maxBytes: 1, hardMaxBytes: 1e9, keepDays: 30 }, [0, 1, 60]);
    expect(await files(old.dir)).not.toContain(`${old.ids[0]}.json`);
    expect(await files(old.dir)).toContain(`${old.ids[2]}.json`);
    // Past the hard cap, recent evidence goes too, oldest first, never the record just written.
    const hard = await threeDays({ maxBytes: 1, hardMaxBytes: Math.floor(total * 0.8), keepDays: 30 }, [0, 1, 2]);
    expect(await files(hard.dir)).not.toContain(`${hard.ids[0]}.json`);
    expect(await files(hard.dir)).toContain(`${hard.ids[2]}.json`);
    expect(await sizeOf(hard.dir)).toBeLessThanOrEqual(Math.floor(total * 0.8));
  });
});

describe("export", () => {
  it("the bundle holds the audit line, the check, the chain as PEM and the OCSP response that openssl verifies for the certificate", async () => {
    const dir = await tempDir();
    const store = createEvidenceStore(dir);
    const result = await new RevocationService({ proxy: NO_PROXY }).check(h.pki.der.good, h.pki.der.ca);
    const id = await store.record(await input(h.pki.der.good, result));
    const audit: AuditEntryView = {
      id: "4f1c0a9e-0000-4000-8000-000000000001",
      time: "2026-11-24T08:15:02.000Z",
      origin: "https://portal.example.gov.vn",
      method: "sign",
      decision: "approved",
      result: "ok",
      evidence: [id, "f".repeat(64)],
    };
    const bundle = JSON.parse(JSON.stringify(await buildEvidenceBundle(store, audit, new Date())));
    expect(bundle).toMatchObject({ format: "kyso-evidence-bundle", version: 1, auditRecord: audit, missing: [{ id: "f".repeat(64), reason: "rotated-out" }] });
    expect(bundle.checks).toHaveLength(1);
    expect(bundle.checks[0]).toMatchObject({ id, check: { revocation: { status: "good", source: "ocsp", checkedAt: result.checkedAt.toISOString() } } });
    const certificates = bundle.objects.filter((o: { type: string }) => o.type === "certificate");
    expect(certificates.map((o: { id: string }) => o.id)).toEqual([h.pki.der.good, h.pki.der.ca, h.pki.der.root].map(evidenceId));
    const [ocsp] = bundle.objects.filter((o: { type: string }) => o.type === "ocsp-response");
    expect(ocsp.id).toBe(evidenceId(Buffer.from(ocsp.der, "base64")));

    // What a dispute handler does: take the files out of the bundle and ask openssl.
    const out = await tempDir();
    await writeFile(join(out, "ocsp.der"), Buffer.from(ocsp.der, "base64"));
    await writeFile(join(out, "signer.pem"), certificates[0].pem);
    await writeFile(join(out, "ca.pem"), certificates[1].pem);
    await writeFile(join(out, "root.pem"), certificates[2].pem);
    const { stdout, stderr } = await run("openssl", [
      "ocsp", "-respin", join(out, "ocsp.der"), "-issuer", join(out, "ca.pem"), "-sha256", "-cert", join(out, "signer.pem"),
      "-CAfile", join(out, "root.pem"), "-verify_other", join(out, "ca.pem"), "-no_nonce",
    ]);
    expect(stderr).toContain("Response verify OK");
    expect(stdout).toContain(`${join(out, "signer.pem")}: good`);
  });
});
