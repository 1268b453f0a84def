/**
 * Issue 13: the answers about a chain's intermediate CAs are kept in the signature's evidence, each with the
 * certificate it answers, and the long-term levels collect the same bytes through the same function
 * (`collectRevocationData`) and the same cache. Real parts: the three-level PKI of test/fixtures/chain-pki.ts, its
 * root's CRL served on 127.0.0.1, the real RevocationService, ChainChecker and evidence store; the exported
 * CRL is checked by openssl against the root.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntryView } from "../../../main/core/app-api/views.js";
import { approvalAnswers, validationChain } from "../../../main/core/bridge/chain-gate.js";
import { collectRevocationData, knownAnswers, NO_PROXY, RevocationService } from "../../../main/core/certificates/revocation/index.js";
import { ChainChecker, loadAnchors } from "../../../main/core/certificates/trust/index.js";
import { buildEvidenceBundle } from "../../../main/core/evidence/evidence-bundle.js";
import { createEvidenceStore, evidenceId, type EvidenceCheckRecord } from "../../../main/core/evidence/evidence-store.js";
import { makeChainPki, type ChainPki } from "../../fixtures/chain-pki.js";

const run = promisify(execFile);
let dir: string;
let pki: ChainPki;
let service: RevocationService;
let checker: ChainChecker;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-intermediate-evidence-"));
  pki = await makeChainPki(dir);
  const anchors = (await loadAnchors({ pems: [pki.rootPem], bundled: false })).anchors;
  service = new RevocationService({ proxy: NO_PROXY });
  checker = new ChainChecker({ anchors: async () => anchors, revocation: (c, i) => service.check(c, i) });
});
afterAll(async () => {
  await pki?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("evidence of the intermediates' revocation", () => {
  it("the record names the intermediate and its CRL; the export holds the CRL, which openssl verifies against the root", async () => {
    // What the approval did: the signer's own check and the chain check (intermediates by their issuer's CRL).
    const signer = await service.check(pki.der.underGood, pki.der.goodCa);
    const chain = await checker.check(pki.der.underGood, [pki.der.goodCa], true);
    expect(chain.intermediates).toMatchObject([{ name: "Good Intermediate CA", status: "good", source: "crl" }]);
    const served = pki.served();

    const data = await collectRevocationData([pki.der.underGood, ...validationChain([pki.der.goodCa], chain)], knownAnswers(approvalAnswers(pki.der.underGood, signer, chain)));
    expect(pki.served()).toBe(served); // the evidence is built from the approval's answers: nothing fetched
    expect(data.intermediates.map((i) => evidenceId(i.certificate))).toEqual([evidenceId(pki.der.goodCa)]);
    const rootCrl = chain.intermediates[0]!.result!.evidence!;
    expect(data.crls.map((c) => evidenceId(c))).toEqual([evidenceId(rootCrl)]);

    const store = createEvidenceStore(join(dir, "data"));
    const id = await store.record({ data, valid: true, problems: [], revocationCheck: "warn" });
    const first = await store.record({ data, valid: true, problems: [], revocationCheck: "warn" });
    expect(first).toBe(id); // deduplicated: the same check is one record
    const record = JSON.parse(Buffer.from(((await store.read(id)) as { bytes: Uint8Array }).bytes).toString("utf8")) as EvidenceCheckRecord;
    expect(record.chain).toEqual([evidenceId(pki.der.goodCa), evidenceId(pki.der.root)]);
    expect(record.crls).toEqual([]); // the signer names no URL: its check is kept as "could not be checked"
    expect(record.check.revocation).toMatchObject({ status: "error", detail: "no-url" });
    expect(record.intermediates).toEqual([
      { certificate: evidenceId(pki.der.goodCa), ocspResponses: [], crls: [evidenceId(rootCrl)], revocation: expect.objectContaining({ status: "good", source: "crl" }) },
    ]);

    const audit = { id: "a1", time: new Date().toISOString(), method: "sign", evidence: [id] } as unknown as AuditEntryView;
    const bundle = await buildEvidenceBundle(store, audit, new Date());
    expect(bundle.missing).toEqual([]);
    expect(bundle.checks[0]!.intermediates?.[0]?.certificate).toBe(evidenceId(pki.der.goodCa));
    const crl = bundle.objects.find((o) => o.type === "crl")!;
    expect(crl.id).toBe(evidenceId(rootCrl));
    const rootPem = join(dir, "anchor.pem");
    await writeFile(rootPem, pki.rootPem);
    await writeFile(join(dir, "root.crl"), Buffer.from(crl.der, "base64"));
    const { stderr } = await run("openssl", ["crl", "-inform", "DER", "-in", join(dir, "root.crl"), "-CAfile", rootPem, "-noout"]);
    expect(stderr).toContain("verify OK");
  });

  it("a revoked intermediate's answer is kept too (with its revocation time), under the certificate it is about", async () => {
    const signer = await service.check(pki.der.underRevoked, pki.der.revokedCa);
    const chain = await checker.check(pki.der.underRevoked, [pki.der.revokedCa], true);
    const data = await collectRevocationData([pki.der.underRevoked, ...validationChain([pki.der.revokedCa], chain)], knownAnswers(approvalAnswers(pki.der.underRevoked, signer, chain)));
    const store = createEvidenceStore(join(dir, "data-revoked"));
    const record = JSON.parse(Buffer.from(((await store.read(await store.record({ data, valid: true, problems: [], revocationCheck: "warn" }))) as { bytes: Uint8Array }).bytes).toString("utf8")) as EvidenceCheckRecord;
    expect(record.intermediates).toMatchObject([{ certificate: evidenceId(pki.der.revokedCa), revocation: { status: "revoked", source: "crl" } }]);
    expect(record.intermediates![0]!.revocation.revokedAt).toBeDefined();
  });

  it("the long-term path collects the same CRL through the same cache: nothing fetched again", async () => {
    const chain = await checker.check(pki.der.underGood, [pki.der.goodCa], true);
    const served = pki.served();
    const longTerm = await collectRevocationData([pki.der.underGood, ...chain.chain], (c, i) => service.check(c, i));
    expect(pki.served()).toBe(served);
    expect(longTerm.crls.map((c) => evidenceId(c))).toEqual([evidenceId(chain.intermediates[0]!.result!.evidence!)]);
    expect(longTerm.certificates.map((c) => evidenceId(c))).toEqual([pki.der.underGood, pki.der.goodCa, pki.der.root].map((c) => evidenceId(c)));
  });
});
