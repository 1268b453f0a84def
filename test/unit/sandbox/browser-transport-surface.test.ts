/**
 * The browser transport (sandbox/browser-transport) models KySo's two windows: a page opened on `#/approval` is the approval surface, any
 * other route the main surface, and every call passes the same surface rule as Electron's IPC (`isMethodAllowed`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { AppHandlers } from "../../../main/core/app-api/contract.js";
import { startBrowserTransport, type BrowserTransport } from "../../../sandbox/browser-transport/start-browser-transport.js";

const called: string[] = [];
const handlers = new Proxy({} as AppHandlers, {
  get: (_, method: string) => async () => {
    called.push(method);
    return method === "settings.get" ? { language: "en" } : { accepted: true };
  },
});

/** Params that pass the contract's schema, so a refusal can only come from the surface rule. */
const VALID_PARAMS: Record<string, unknown> = {
  "approvals.approve": { approvalId: "a" },
  "approvals.reject": { approvalId: "a" },
  "approvals.document": { approvalId: "a", index: 0 },
  "approvals.placeStamp": { approvalId: "a", index: 0, at: { page: 1, x: 300, y: 200 } },
  "approvals.provideFile": { approvalId: "a", fileName: "a.pdf", base64: "JVBERi0=" },
};

let transport: BrowserTransport;
let rendererDir: string;

beforeAll(async () => {
  // An empty renderer folder: these tests talk only to the WebSocket, so nothing needs building.
  rendererDir = mkdtempSync(join(tmpdir(), "kyso-transport-"));
  transport = await startBrowserTransport({ core: { handlers, onEvent: () => () => undefined }, rendererDir });
});

afterAll(async () => {
  await transport.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

/** Opens the socket the way the client script does for a page loaded on `route`, and makes one call. */
async function callFrom(surfaceQuery: string, method: string, params: unknown = VALID_PARAMS[method]): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  const base = new URL(transport.url);
  const url = `ws://${base.host}${base.pathname}ws${surfaceQuery}`;
  const socket = new WebSocket(url, { headers: { origin: base.origin } });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  try {
    socket.send(JSON.stringify({ id: 1, method, params }));
    const reply = await new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    return (JSON.parse(reply) as { outcome: { ok: boolean; error?: { code: string; message: string } } }).outcome;
  } finally {
    socket.close();
  }
}

describe("browser transport: the approval methods only from the approval page", () => {
  it("main surface (no or another route): approve, reject, document refused before the core", async () => {
    called.length = 0;
    for (const query of ["", "?surface=main", "?surface=bogus"]) {
      for (const method of ["approvals.approve", "approvals.reject", "approvals.placeStamp", "approvals.document", "approvals.provideFile"]) {
        const outcome = await callFrom(query, method);
        expect(outcome, `${query} ${method}`).toMatchObject({ ok: false, error: { code: "invalid_params" } });
      }
    }
    expect(called).toEqual([]);
    // With the same params the approval page reaches the core: the refusals above are the surface rule.
    expect(await callFrom("?surface=approval", "approvals.approve")).toMatchObject({ ok: true });
  });

  it("approval surface: may approve, may not change settings", async () => {
    called.length = 0;
    expect(await callFrom("?surface=approval", "approvals.reject")).toMatchObject({ ok: true });
    expect(await callFrom("?surface=approval", "pairings.revoke", { origin: "https://a.example" })).toMatchObject({
      ok: false,
      error: { code: "invalid_params" },
    });
    expect(called).toEqual(["approvals.reject"]);
    // The same call from the main surface reaches the core: the refusal above is the surface rule, not the schema.
    expect(await callFrom("", "pairings.revoke", { origin: "https://a.example" })).toMatchObject({ ok: true });
  });
});
