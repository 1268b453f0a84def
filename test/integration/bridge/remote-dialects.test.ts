/**
 * Remote accounts of every dialect through the real bridge (issue 16): a VNPT SmartCA, a NEAC, a CSC and a Viettel
 * MySign account at the local remote-signing server (one SoftHSM key with a tax code, personB) sign XAdES,
 * `vn-tax`, `vn-einvoice`, CMS, raw and PAdES in ONE `signBatch` each: the server sees one phone transaction carrying
 * every hash (one confirmation for the batch), each output passes its independent verifier (xmlsec1, openssl, pdfsig),
 * only digests reach the server, and a phone rejection fails the whole batch as `user_rejected`.
 */
import { createVerify, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { certificateIdentifiers } from "../../../main/core/certificates/vn-identifiers.js";
import type { RemoteClock } from "../../../main/core/remote/index.js";
import type { BatchItemResult, CertificateSummary } from "../../../sdk/src/protocol.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { opensslCmsVerify, pdfsigVerify, xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { cscAuthorize, DOCUMENT, expectNoDocumentBytes, openRemoteSuite, remoteCertificate, SECRETS, type RemoteSuite } from "../remote/remote-harness.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

const DOCS = join(import.meta.dirname, "../../fixtures/documents");
const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const ID_ATTRS = {
  xades: ["Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties"],
  "vn-tax": ["Id http://kekhaithue.gdt.gov.vn/TKhaiThue:HSoKhaiThue", `Id ${DSIG}:Object`],
  "vn-einvoice": ["Id DLHDon", `Id ${DSIG}:Object`],
} as const;
const DIALECTS = [
  { id: "vnpt", dialect: "vnpt" },
  { id: "neac", dialect: "neac" },
  { id: "rssp", dialect: "csc" },
  { id: "mysign", dialect: "mysign" },
] as const;

/** Polling without waiting. */
const clock: RemoteClock = (() => {
  let now = Date.now();
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
})();

let suite: RemoteSuite;
let bridge: BridgeHarness;
let client: Client;
let caFile: string;
let items: { format: string; document: string; options?: Record<string, unknown>; display: { title: string } }[];
const accounts: Record<string, CertificateSummary> = {};
const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64");

beforeAll(async () => {
  suite = await openRemoteSuite("personB");
  caFile = (await suite.h.signer("personB")).caFile;
  const { server } = suite;
  bridge = await startBridgeHarness({
    trustAnchors: [await readFile(suite.rootPem, "utf8")],
    remoteSigning: {
      providers: [
        { id: "vnpt", kind: "vnpt-smartca", baseUrl: server.vnptBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword },
        { id: "neac", kind: "neac", baseUrl: server.neacBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword },
        { id: "rssp", kind: "csc", baseUrl: server.cscBase, clientId: SECRETS.cscClientId, redirectUri: "http://127.0.0.1:53682/callback" },
        { id: "mysign", kind: "viettel-mysign", baseUrl: server.mysignBase, clientId: "kyso-mysign-client", clientSecret: "mysign-client-secret-0000" },
      ],
    },
  }, { remote: { clock, pollIntervalMs: 2000, cscAuthorize, cscOtp: async () => SECRETS.otp } });
  const account = { userId: REMOTE_TEST_USER };
  await bridge.core.handlers["settings.set"]({ remoteAccounts: { vnpt: account, neac: account, rssp: account, mysign: account } });
  client = await connect(bridge.wsPort);
  for (const { id } of DIALECTS) {
    accounts[id] = await remoteCertificate(client, id);
  }
  const signer = await suite.h.signer("personB");
  const vn = certificateIdentifiers(signer.certificate);
  const tax = (await readFile(join(DOCS, "tax-declaration-01gtgt.xml"), "utf8")).replace("<mst>0101234567</mst>", `<mst>${vn.taxCode ?? vn.personalId}</mst>`);
  const invoice = (await readFile(join(DOCS, "einvoice-seller.xml"), "utf8")).replaceAll("0101234567", vn.taxCode ?? "");
  items = [
    { format: "xades", document: b64(await readFile(join(DOCS, "generic-contract.xml"))), display: { title: "Hợp đồng" } },
    { format: "vn-tax", document: b64(tax), display: { title: "Tờ khai 01/GTGT" } },
    { format: "vn-einvoice", document: b64(invoice), display: { title: "Hóa đơn" } },
    { format: "cms", document: b64(DOCUMENT), options: { detached: true }, display: { title: "Quyết định" } },
    { format: "raw", document: b64("xin chào"), display: { title: "Dữ liệu" } },
    { format: "pades", document: b64(await makeSamplePdf(1)), display: { title: "Công văn" } },
  ];
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
  await suite?.close();
});
beforeEach(() => {
  suite.server.phone = "approve";
  suite.server.waitingPolls = 1;
  suite.server.requests.length = 0;
  suite.server.transactions.length = 0;
});

async function signBatch(id: string): Promise<Awaited<ReturnType<Client["call"]>>> {
  const pending = client.call("signBatch", { certificateId: accounts[id]!.id, items, display: { title: "Hồ sơ" } });
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: accounts[id]!.id });
  return pending;
}

describe.each(DIALECTS)("remote account $id ($dialect) through the bridge", ({ id, dialect }) => {
  it("is listed, valid, with its chain", () => {
    expect(accounts[id]?.tokenId).toBe(`remote:${id}`);
    expect(accounts[id]?.valid).toBe(true);
  });

  it("signBatch of XAdES, vn-tax, vn-einvoice, CMS, raw and PAdES: ONE phone transaction with every hash; each output passes its verifier; only hashes sent", { timeout: 120_000 }, async () => {
    const answer = await signBatch(id);
    const results = (answer as unknown as { result: { results: BatchItemResult[] } }).result.results;
    expect(results.map((r) => r.ok)).toEqual(items.map(() => true));
    expect(suite.server.transactions).toEqual([{ dialect, hashes: items.length }]);
    for (const [index, format] of (["xades", "vn-tax", "vn-einvoice"] as const).entries()) {
      const result = results[index] as { document: string };
      const file = await suite.h.file(`${id}-${format}.xml`, Buffer.from(result.document, "base64"));
      const verified = await xmlsecVerify(file, { trustedPem: suite.rootPem, untrustedPem: [caFile], idAttrs: ID_ATTRS[format] });
      expect(verified.stderr, `${format}: ${verified.stderr}`).toMatch(/OK/);
      expect(verified.ok).toBe(true);
    }
    const cms = results[3] as { signature: string };
    const verified = await opensslCmsVerify({
      signature: await suite.h.file(`${id}-batch.p7s`, Buffer.from(cms.signature, "base64")),
      content: await suite.h.file(`${id}-batch.txt`, DOCUMENT),
      caFile: suite.rootPem,
    });
    expect(verified.stderr).toContain("Verification successful");
    const raw = results[4] as { signature: string; certificate: string };
    const certificate = new X509Certificate(Buffer.from(raw.certificate, "base64"));
    expect(createVerify("sha256").update("xin chào").verify(certificate.publicKey, Buffer.from(raw.signature, "base64"))).toBe(true);
    const pades = results[5] as { document: string };
    const pdfsig = await pdfsigVerify(await suite.h.file(`${id}-batch.pdf`, Buffer.from(pades.document, "base64")));
    expect(pdfsig.signatures.map((signature) => signature.valid)).toEqual([true]);
    expectNoDocumentBytes(suite.server);
    const bodies = suite.server.requests.map((r) => r.body).join("\n");
    for (const marker of ["HSoKhaiThue", "DLHDon", "<?xml"]) expect(bodies).not.toContain(marker);
  });

  it("phone rejects the batch -> every item user_rejected, after one transaction", async () => {
    suite.server.phone = "reject";
    const answer = await signBatch(id);
    const results = "result" in answer ? (answer.result as { results: BatchItemResult[] }).results : undefined;
    // The page learns user_rejected for each item (or for the whole call): nothing was signed.
    if (results) expect(results.map((r) => (r.ok ? "ok" : r.error.data.name))).toEqual(items.map(() => "user_rejected"));
    else expect(errorName(answer)).toBe("user_rejected");
    expect(suite.server.transactions).toHaveLength(1);
  });

  it("a single sign is one transaction with one hash", async () => {
    const pending = client.call("sign", { certificateId: accounts[id]!.id, format: "raw", document: b64("một tài liệu") });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: accounts[id]!.id });
    expect("result" in (await pending)).toBe(true);
    expect(suite.server.transactions).toEqual([{ dialect, hashes: 1 }]);
  });
});
