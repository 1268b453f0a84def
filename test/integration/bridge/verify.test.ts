/**
 * Issue 17: `verify` through the real bridge (a real core with SoftHSM tokens, real sockets, the bounded document
 * workers) and through the VGCA adapter. The documents are signed here with KySo's own signing code by the
 * revocation test PKI's signer; its root is a policy trust anchor in one core and not in the other.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { sign } from "../../../main/core/signing/index.js";
import { gatherLongTermData } from "../../../main/core/signing/long-term/gather.js";
import { connect as sdkConnect, ProtocolError, RequestError } from "../../../sdk/src/index.js";
import type { ServerMessage, VerificationReport } from "../../../sdk/src/protocol.js";
import { startLongTermPki, type LongTermPki } from "../signing/long-term-pki.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { VENDOR_PORTAL, vgcaCall, vgcaRefusal } from "../compat/compat-clients.js";
import { connect, errorName, PORTAL, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const OTHER = "https://other.example.gov.vn";
/** Policy `maxDocumentBytes` in the anchored core: the signed PDFs are well under it. */
const MAX_DOCUMENT = 512 * 1024;
const PENDING = 2;

let pki: LongTermPki;
let anchored: BridgeHarness;
let plainCore: BridgeHarness;
let unsigned: Uint8Array;
/** B-LT: the OCSP answer is in the DSS, so no look-up is needed. */
let valid: Uint8Array;
/** B-B: no revocation data in the file (the certificate names the router's OCSP and CRL). */
let bareB: Uint8Array;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const report = (message: ServerMessage): VerificationReport => {
  if (!("result" in message)) throw new Error(`expected a result, got ${JSON.stringify(message)}`);
  return message.result as VerificationReport;
};

async function signPdf(pdf: Uint8Array, context: Parameters<typeof sign>[2] = {}, level: "B-B" | "B-LT" = "B-B"): Promise<Uint8Array> {
  const result = await sign({ format: "pades", document: pdf, options: { level } }, pki.signer, context);
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

/** The audit's `verify` lines as stored (the words the history adds are left out). */
async function verifyLines(harness: BridgeHarness): Promise<Record<string, unknown>[]> {
  const entries = await harness.core.handlers["audit.list"]({});
  return entries.filter((entry) => entry.method === "verify").map(({ words: _words, ...stored }) => stored as Record<string, unknown>);
}

beforeAll(async () => {
  pki = await startLongTermPki();
  unsigned = await makeSamplePdf(2);
  const longTerm = await gatherLongTermData([pki.signer.certificate, ...pki.signer.chain], pki.revocation(), { timestampAuthority: { url: pki.tsa.url } });
  valid = await signPdf(unsigned, { timestampAuthority: { url: pki.tsa.url }, longTerm }, "B-LT");
  bareB = await signPdf(unsigned);
  const rootPem = await readFile(pki.rootPem, "utf8");
  anchored = await startBridgeHarness({
    allowedOrigins: [PORTAL, OTHER],
    trustAnchors: [rootPem],
    maxDocumentBytes: MAX_DOCUMENT,
    limits: { maxPendingSignsPerOrigin: PENDING },
    compatibility: { vgca: { origins: [VENDOR_PORTAL] } },
  });
  plainCore = await startBridgeHarness({});
});
afterAll(async () => {
  await anchored?.close();
  await plainCore?.close();
  await pki?.close();
});

describe("verify counts against the origin's capacity", () => {
  it("a flood from one origin: beyond maxPendingSignsPerOrigin it is busy, and another origin is served meanwhile", async () => {
    // The flooding origin's verifications wait on an OCSP responder that does not answer (then the CRL answers),
    // so its first two stay pending for at least the OCSP timeout (10 s) while the rest of the flood arrives. First
    // in the file: the core's revocation cache does not know the signer yet. (Which origin finishes first is not
    // asserted: on a loaded machine the workers' start-up dominates.)
    pki.router.ocspMode = "hang";
    try {
      const flooder = await connect(anchored.wsPort);
      const flood = Array.from({ length: 12 }, () => flooder.call("verify", { document: b64(bareB), online: true }));
      const other = await connect(anchored.wsPort, { origin: OTHER });
      const served = report(await other.call("verify", { document: b64(valid) }));
      expect(served.result.indication).toBe("TOTAL-PASSED");
      const answers = await Promise.all(flood);
      const busy = answers.filter((m) => errorName(m) === "busy");
      const done = answers.filter((m) => "result" in m);
      expect(busy).toHaveLength(12 - PENDING);
      expect(done).toHaveLength(PENDING);
      for (const m of done) expect(report(m).signatures[0]!.revocation).toMatchObject({ status: "good", kind: "crl" });
      flooder.close();
      other.close();
    } finally {
      pki.router.ocspMode = "relay";
    }
  });
});

describe("verify over the bridge", () => {
  it("a PDF KySo signed is TOTAL-PASSED when the fixture root is a policy trust anchor, INDETERMINATE without", async () => {
    expect(valid.length).toBeLessThan(MAX_DOCUMENT);
    const client = await connect(anchored.wsPort);
    const passed = report(await client.call("verify", { document: b64(valid) }));
    expect(passed.result).toEqual({ indication: "TOTAL-PASSED", reason: "allSignaturesValid" });
    expect(passed.signatures[0]).toMatchObject({ chain: { trusted: true }, revocation: { status: "good", source: "dss" }, integrity: { hash: "valid", signature: "valid" } });
    expect(passed.format).toBe("pdf");
    client.close();

    const elsewhere = await connect(plainCore.wsPort);
    const unknownRoot = report(await elsewhere.call("verify", { document: b64(valid) }));
    expect(unknownRoot.result.indication).toBe("INDETERMINATE");
    expect(unknownRoot.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "NO_CERTIFICATE_CHAIN_FOUND" });
    elsewhere.close();
  });

  it("a tampered byte is TOTAL-FAILED; one audit line per verification with the origin and the verdict, nothing of the document", async () => {
    const tampered = new Uint8Array(valid);
    const at = Buffer.from(tampered).indexOf("stream\n") + 20;
    tampered[at] = tampered[at]! ^ 0xff;
    const client = await connect(anchored.wsPort, { origin: OTHER });
    const failed = report(await client.call("verify", { document: b64(tampered) }));
    expect(failed.result.indication).toBe("TOTAL-FAILED");
    expect(failed.signatures[0]!.result).toMatchObject({ subIndication: "HASH_FAILURE" });
    client.close();

    const lines = await verifyLines(anchored);
    expect(lines.filter((l) => l.origin === OTHER && l.verdict === "TOTAL-FAILED")).toEqual([
      expect.objectContaining({ origin: OTHER, result: "ok", verdict: "TOTAL-FAILED", format: "pdf", decision: "none" }),
    ]);
    // The flood (10 busy, 2 passed), the first test (1 passed), this one: a line each.
    expect(lines.filter((l) => l.origin === PORTAL).map((l) => l.verdict ?? l.result).sort()).toEqual([...Array<string>(10).fill("busy"), "TOTAL-PASSED", "TOTAL-PASSED", "TOTAL-PASSED"].sort());
    const allowed = ["decision", "format", "method", "origin", "result", "time", "verdict"];
    for (const line of lines) for (const key of Object.keys(line)) expect(allowed).toContain(key);
  });

  it("malformed base64, unknown keys and an oversized document are typed errors before any work; no approval either way", async () => {
    const client = await connect(anchored.wsPort);
    expect(errorName(await client.call("verify", { document: "not base64!" }))).toBe("invalid_params");
    expect(errorName(await client.call("verify", { document: b64(valid), detachedContent: "%%%" }))).toBe("invalid_params");
    expect(errorName(await client.call("verify", { document: b64(valid), certificateId: "x" }))).toBe("invalid_params");
    expect(errorName(await client.call("verify", {}))).toBe("invalid_params");
    const big = await client.call("verify", { document: b64(new Uint8Array(MAX_DOCUMENT + 1)) });
    expect(errorName(big)).toBe("document_too_large");
    // The document and its detached content count together.
    const together = await client.call("verify", { document: b64(new Uint8Array(MAX_DOCUMENT / 2)), detachedContent: b64(new Uint8Array(MAX_DOCUMENT / 2 + 1)) });
    expect(errorName(together)).toBe("document_too_large");
    // Not a document KySo reads: the worker's typed refusal.
    expect(errorName(await client.call("verify", { document: b64(new TextEncoder().encode("plain text")) }))).toBe("document_invalid");
    expect(await anchored.core.handlers["approvals.list"]()).toEqual([]);
    client.close();
  });

  it("an origin that is neither allowed nor paired gets origin_not_allowed and nothing else: no worker runs for it", async () => {
    const stranger = await connect(plainCore.wsPort, { origin: "https://evil.example" });
    const before = plainCore.core.documentWorkers();
    const answer = await stranger.call("verify", { document: b64(valid) });
    expect(errorName(answer)).toBe("origin_not_allowed");
    expect("result" in answer).toBe(false);
    // Refused before the params are read: malformed params get the same answer (nothing learnt).
    expect(errorName(await stranger.call("verify", { document: "!" }))).toBe("origin_not_allowed");
    expect(plainCore.core.documentWorkers()).toEqual(before);
    stranger.close();
  });

  it("online: a certificate chaining to an anchor is looked up; without that anchor nothing is fetched", async () => {
    pki.router.resetCounts();
    const elsewhere = await connect(plainCore.wsPort);
    const untrusted = report(await elsewhere.call("verify", { document: b64(bareB), online: true }));
    expect(untrusted.result.indication).toBe("INDETERMINATE");
    expect(pki.router.count("/ocsp") + pki.router.count("/crl/ca.crl")).toBe(0);
    elsewhere.close();

    // The anchored core looked this signer up during the flood test (its cache answers now): without `online`
    // that answer is not used; with it, it is.
    const client = await connect(anchored.wsPort);
    const offline = report(await client.call("verify", { document: b64(bareB) }));
    expect(offline.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "TRY_LATER" });
    const online = report(await client.call("verify", { document: b64(bareB), online: true }));
    expect(online.signatures[0]!.revocation).toMatchObject({ status: "good", source: "online" });
    expect(online.result.indication).toBe("TOTAL-PASSED");
    client.close();
  });
});

describe("verify through the SDK", () => {
  it("kyso.verify(bytes | base64, options): the typed report; bad input is a ProtocolError, too large a RequestError", async () => {
    const Socket = class extends WebSocket {
      constructor(url: string) {
        super(url, { origin: PORTAL });
      }
    } as unknown as typeof globalThis.WebSocket;
    const kyso = await sdkConnect({ schemes: ["ws"], ports: { ws: [anchored.wsPort] }, WebSocket: Socket });
    const fromBytes = await kyso.verify(valid);
    expect(fromBytes.result.indication).toBe("TOTAL-PASSED");
    expect(fromBytes.signatures[0]!.signer?.displayName).toBeTruthy();
    const fromBase64 = await kyso.verify(b64(bareB), { online: false, timeoutMs: 60_000 });
    expect(fromBase64.signatures[0]!.result.subIndication).toBe("TRY_LATER");
    await expect(kyso.verify("not base64!")).rejects.toBeInstanceOf(ProtocolError);
    const tooLarge = await kyso.verify(new Uint8Array(MAX_DOCUMENT + 1)).catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(RequestError);
    expect((tooLarge as RequestError).code).toBe("document_too_large");
    kyso.close();
  });
});

describe("verify through the VGCA adapter (VerifyMsg, VerifyXML)", () => {
  it("the same report; Status 0 only for TOTAL-PASSED, 7 for TOTAL-FAILED, 8 for INDETERMINATE; an unlisted origin gets 403", async () => {
    const port = anchored.core.bridge.compatPorts.vgca!;
    const ca = anchored.core.bridge.caCertificatePem!;
    const passed = await vgcaCall(port, "VerifyMsg", b64(valid), { ca });
    expect(passed).toMatchObject({ Status: 0, Indication: "TOTAL-PASSED", Report: { format: "pdf", result: { indication: "TOTAL-PASSED" } } });
    expect(String(passed.Message)).toMatch(/^Valid\. Every signature/);

    const tampered = new Uint8Array(valid);
    const at = Buffer.from(tampered).indexOf("stream\n") + 20;
    tampered[at] = tampered[at]! ^ 0xff;
    expect(await vgcaCall(port, "VerifyMsg", JSON.stringify({ Base64Content: b64(tampered) }), { ca })).toMatchObject({ Status: 7, Indication: "TOTAL-FAILED" });
    expect(await vgcaCall(port, "VerifyXML", JSON.stringify({ Base64Content: b64(unsigned) }), { ca })).toMatchObject({
      Status: 8,
      Indication: "INDETERMINATE",
      SubIndication: "SIGNED_DATA_NOT_FOUND",
    });
    expect(await vgcaCall(port, "VerifyXML", "not base64!", { ca })).toMatchObject({ Status: 3 });
    expect(await vgcaRefusal(port, "VerifyMsg", { origin: "https://evil.example", ca })).toBe(403);
    const lines = await verifyLines(anchored);
    expect(lines.filter((l) => l.origin === VENDOR_PORTAL).map((l) => l.verdict ?? l.result).sort()).toEqual(["INDETERMINATE", "TOTAL-FAILED", "TOTAL-PASSED"]);
  });
});
