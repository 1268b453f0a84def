/**
 * The right certificate and waiting for the token, through the real bridge: SoftHSM fixture tokens behind the
 * fault module (native/fault-module), which takes the tokens out and puts them back. No sleeps: each step awaits
 * the core's own events.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { buildFaultModule } from "../../../native/fault-module/build.js";
import type { ServerMessage } from "../../../sdk/src/protocol.js";
import { copyFixtureTokens, type TokenCopy } from "../../fixtures/index.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let copy: TokenCopy;
let bridge: BridgeHarness;
let client: Client;
let controlFile: string;
let taxTemplate: string;
let invoice: Buffer;

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64");
const taxFor = (mst: string): string => b64(taxTemplate.replace("<mst>0101234567</mst>", `<mst>${mst}</mst>`));
const control = (text: string): Promise<void> => writeFile(controlFile, `${text}\n`);
const fingerprint = (name: string): string => copy.cert(name).fingerprintSha256;
const byName = (approval: SignApprovalView, name: string) => approval.candidates.find((c) => c.fingerprintSha256 === fingerprint(name));

/** The next approvalsChanged view of `id` that satisfies `when`. */
function approvalWhere(id: string, when: (view: SignApprovalView) => boolean): Promise<SignApprovalView> {
  return new Promise((resolve) => {
    const off = bridge.core.onEvent("approvalsChanged", (views: readonly ApprovalView[]) => {
      const view = views.find((v) => v.id === id);
      if (view?.kind === "sign" && when(view)) {
        off();
        resolve(view);
      }
    });
  });
}

/** Settles a flag when the page's answer arrives, so a test can prove no answer came yet. */
function tracked(call: Promise<ServerMessage>): { answer: Promise<ServerMessage>; answered: () => boolean } {
  let done = false;
  const answer = call.finally(() => {
    done = true;
  });
  return { answer, answered: () => done };
}

beforeAll(async () => {
  const faultModule = await buildFaultModule();
  copy = await copyFixtureTokens();
  controlFile = join(copy.dir, "fault-control");
  await control("");
  bridge = await startBridgeHarness(
    {},
    {
      tokens: {
        modulePaths: [faultModule],
        env: { KYSO_FAULT_CONTROL: controlFile, KYSO_FAULT_REAL_MODULE: copy.manifest.modulePath },
        timeouts: { enumerationMs: 8_000, signingMs: 5_000, loginMs: 5_000 },
      },
      tokenCopy: copy,
    },
  );
  client = await connect(bridge.wsPort);
  taxTemplate = await readFile(new URL("../../fixtures/documents/tax-declaration-01gtgt.xml", import.meta.url), "utf8");
  invoice = await readFile(new URL("../../fixtures/documents/einvoice-seller.xml", import.meta.url));
  // The first listing reads every certificate through the token hosts: done here, not inside the first test's time.
  await bridge.core.handlers["certificates.list"]();
}, 120_000);
afterEach(async () => {
  await control("");
  await bridge.tokens.service.refresh();
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
  await copy?.cleanup();
});

describe("the document's MST chooses the certificate (vn-tax as vn-einvoice)", () => {
  it("vn-tax for another company's MST: its certificate is pre-selected, the mismatching ones are listed refused with both codes", async () => {
    const pending = client.call("sign", { format: "vn-tax", document: taxFor("1801234567") });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    const orgEc = byName(approval, "orgEc")!;
    expect(approval.preselectedCertificateId).toBe(orgEc.id);
    expect(orgEc.refusal).toBeUndefined();
    expect(byName(approval, "orgRsa3072")?.refusal).toMatchObject({ code: "tax_code_mismatch", details: { documentTaxCode: "1801234567", certificateTaxCode: "0101234567" } });
    expect(byName(approval, "personRsa")?.refusal).toMatchObject({ code: "tax_code_mismatch", details: { documentTaxCode: "1801234567" } });
    expect(approval.candidates.filter((c) => c.valid && !c.refusal).map((c) => c.id)).toEqual([orgEc.id]);
    expect(approval.tokenWait).toBeUndefined();
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect(errorName(await pending)).toBe("user_rejected");
  }, 60_000); // the first document read starts the document workers: most of this test's time on a loaded machine

  it("vn-tax whose MST no certificate carries: the approval opens with signing blocked, and only the user's rejection ends it", async () => {
    const pending = tracked(client.call("sign", { format: "vn-tax", document: taxFor("0309999999") }));
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.candidates.filter((c) => c.valid && !c.refusal)).toEqual([]);
    expect(approval.preselectedCertificateId).toBeUndefined();
    expect(approval.tokenWait).toBe("absent");
    // Approving with a mismatching certificate is refused typed, before the token; the approval stays open.
    const orgEc = byName(approval, "orgEc")!;
    await expect(
      bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: orgEc.id, pin: copy.manifest.userPin }),
    ).rejects.toMatchObject({ code: "tax_code_mismatch" });
    const still = (await bridge.core.handlers["approvals.list"]()).find((v) => v.id === approval.id);
    expect(still?.state.kind).toBe("choosing-certificate");
    expect(pending.answered()).toBe(false);
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    const answer = await pending.answer;
    expect(errorName(answer)).toBe("tax_code_mismatch");
  });

  it("a request that names a mismatching certificate is still refused before any approval (the portal chose it)", async () => {
    const listed = await bridge.core.handlers["certificates.list"]();
    const orgEc = listed.find((c) => c.fingerprintSha256 === fingerprint("orgEc"))!;
    expect(errorName(await client.call("sign", { format: "vn-tax", document: taxFor("0101234567"), certificateId: orgEc.id }))).toBe("tax_code_mismatch");
  });
});

describe("the choice is stable", () => {
  it("the certificate signed with is pre-selected next time for the same origin and format", async () => {
    const first = client.call("sign", { format: "raw", document: b64("one") });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    const usable = approval.candidates.filter((c) => c.valid && !c.refusal);
    expect(usable.length).toBeGreaterThan(1);
    const other = usable.find((c) => c.id !== approval.preselectedCertificateId)!;
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: other.id, pin: copy.manifest.userPin });
    expect(errorName(await first)).toBeUndefined();

    const second = client.call("sign", { format: "raw", document: b64("two") });
    const next = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(next.preselectedCertificateId).toBe(other.id);
    expect(next.candidates.map((c) => c.id)).toEqual(approval.candidates.map((c) => c.id)); // same order
    await bridge.core.handlers["approvals.reject"]({ approvalId: next.id });
    expect(errorName(await second)).toBe("user_rejected");
  });
});

describe("waiting for the token", () => {
  it("no token: the approval opens waiting; the token plugged in is checked, then offered, and the request signs", async () => {
    await control("token absent");
    await bridge.tokens.service.refresh();
    expect(await bridge.tokens.service.listTokens()).toEqual([]);
    const seen: SignApprovalView[] = [];
    const off = bridge.core.onEvent("approvalsChanged", (views) => seen.push(...views.filter((v): v is SignApprovalView => v.kind === "sign")));
    const pending = tracked(client.call("sign", { format: "vn-einvoice", document: b64(invoice) }));
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.tokenWait).toBe("absent");
    expect(approval.candidates).toEqual([]);
    expect(pending.answered()).toBe(false);

    const offered = approvalWhere(approval.id, (v) => v.preselectedCertificateId !== undefined);
    await control("");
    await bridge.tokens.service.refresh();
    const ready = await offered;
    off();
    expect(ready.tokenWait).toBeUndefined();
    expect(ready.preselectedCertificateId).toBe(byName(ready, "orgRsa3072")?.id);
    expect(byName(ready, "orgEc")?.refusal).toMatchObject({ code: "tax_code_mismatch" });
    // The checks ran before anything was offered: no view ever pre-selected a certificate without the refusals.
    for (const view of seen.filter((v) => v.id === approval.id && v.candidates.length > 0)) {
      expect(byName(view, "orgEc")?.refusal).toBeDefined();
    }
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: ready.preselectedCertificateId!, pin: copy.manifest.userPin });
    const answer = await pending.answer;
    expect(errorName(answer)).toBeUndefined();
    expect("result" in answer && typeof (answer.result as { document?: unknown }).document).toBe("string");
  });

  it("no token and the user rejects: token_not_present, only then", async () => {
    await control("token absent");
    await bridge.tokens.service.refresh();
    const pending = tracked(client.call("sign", { format: "raw", document: b64("x") }));
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.tokenWait).toBe("absent");
    expect(pending.answered()).toBe(false);
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    const answer = await pending.answer;
    expect(errorName(answer)).toBe("token_not_present");
  });
});
