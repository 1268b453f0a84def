/**
 * Under load from untrusted origins and a portal's own heartbeat, an allowlisted portal still connects and signs
 * (threat model, "Resource limits"). Real core, real SoftHSM tokens; the approval is granted through the app API.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateSummary, SignResult } from "../../../sdk/src/protocol.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let bridge: BridgeHarness;
const held: Client[] = [];
beforeAll(async () => {
  bridge = await startBridgeHarness();
});
afterAll(async () => {
  for (const client of held) client.close();
  await bridge?.close();
});

async function personOf(client: Client): Promise<CertificateSummary> {
  const listed = await client.call("certificates.list", { filter: { personalId: "001234567890" } });
  return ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0]!;
}

async function signOnce(client: Client, text: string, person: CertificateSummary): Promise<SignResult> {
  const pending = client.call("sign", { format: "raw", hash: createHash("sha256").update(text).digest("base64"), certificateId: person.id });
  const approval = await bridge.nextApproval("sign");
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
  const answer = await pending;
  expect(errorName(answer)).toBeUndefined();
  return (answer as { result: SignResult }).result;
}

describe("capacity belongs to trusted origins", () => {
  it("200 sockets from 20 unknown origins: at most the unknown pool opens; the allowlisted portal connects and signs", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => connect(bridge.wsPort, { origin: `https://attacker-${i % 20}.example.net` })),
    );
    const opened = attempts.filter((a): a is PromiseFulfilledResult<Client> => a.status === "fulfilled").map((a) => a.value);
    held.push(...opened);
    // Defaults: 8 for all unknown origins together, 2 per unknown origin.
    expect(opened.length).toBe(8);
    expect(attempts.filter((a) => a.status === "rejected").every((a) => String((a as PromiseRejectedResult).reason).includes("503"))).toBe(true);
    const portal = await connect(bridge.wsPort);
    held.push(portal);
    expect((await signOnce(portal, "under load", await personOf(portal))).signature).toBeTruthy();
  });

  it("a portal polling hello far over the read budget can still sign", async () => {
    const portal = await connect(bridge.wsPort);
    held.push(portal);
    const person = await personOf(portal);
    const answers = await Promise.all(Array.from({ length: 700 }, () => portal.call("hello")));
    expect(answers.filter((a) => errorName(a) === "rate_limited").length).toBeGreaterThan(0);
    expect((await signOnce(portal, "after the heartbeat", person)).signature).toBeTruthy();
  });
});
