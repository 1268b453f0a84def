/**
 * Issue 15: refusals at the vendor adapters are audited like the bridge's (refusal-audit.ts): a page from an origin
 * the policy does not list, or with no Origin at all, leaves coalesced lines ("origin X: N refused calls to the VGCA
 * adapter"), bounded whatever it sends, with no page-chosen text beyond a well-formed origin.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AuditEntryView } from "../../../main/core/app-api/views.js";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";
import { startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { httpCall, VENDOR_PORTAL, vgcaRefusal } from "./compat-clients.js";

let bridge: BridgeHarness;

beforeAll(async () => {
  bridge = await startBridgeHarness(
    { revocationCheck: "off", compatibility: { vgca: { origins: [VENDOR_PORTAL] }, signplugin: { origins: [VENDOR_PORTAL] } } },
    { restartable: true },
  );
});
afterAll(async () => {
  await bridge?.close();
});

async function auditLines(): Promise<AuditEntryView[]> {
  const log = createAuditLog(bridge.dataDir);
  const text = (await readFile(log.requestsFile, "utf8").catch(() => "")) + (await readFile(log.file, "utf8").catch(() => ""));
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntryView);
}

it("refused vendor calls are counted per origin and adapter in a bounded number of audit lines", async () => {
  const { vgca, signpluginHttp } = bridge.core.bridge.compatPorts;
  const evil = "https://egov-example.gov.vn.evil.example";
  for (let i = 0; i < 40; i++) expect(await vgcaRefusal(vgca!, "SignMsg", { origin: evil })).toBe(403);
  for (let i = 0; i < 40; i++) expect((await httpCall(signpluginHttp!, "/signHash", "HashVal=00&HashOpt=2", { origin: evil })).status).toBe(403);
  for (let i = 0; i < 10; i++) expect(await vgcaRefusal(vgca!, "SignMsg", { origin: null })).toBe(403);
  // Page-chosen junk in the Origin header is never written as such.
  for (let i = 0; i < 10; i++) expect(await vgcaRefusal(vgca!, "SignMsg", { origin: `https://x${"a".repeat(2000)}${i}.vn/path` })).toBe(403);
  await bridge.restartCore(); // closing the core writes the window's counts
  const refusals = (await auditLines()).filter((line) => line.result === "origin_not_allowed");
  expect(refusals.length).toBeLessThanOrEqual(4);
  expect(refusals.reduce((sum, line) => sum + (line.count ?? 1), 0)).toBe(100);
  expect(refusals.find((line) => line.origin === evil && line.method === "vgca")?.count).toBe(40);
  expect(refusals.find((line) => line.origin === evil && line.method === "signplugin")?.count).toBe(40);
  expect(refusals.every((line) => line.origin.length <= 100 && line.decision === "none")).toBe(true);
  expect(refusals.some((line) => line.origin.includes("aaaa"))).toBe(false);
});
