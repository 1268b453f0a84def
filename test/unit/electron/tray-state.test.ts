import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { trayIconPng } from "../../../main/electron/tray-icon.js";
import { hasProblem, trayStatus } from "../../../main/electron/tray-state.js";
import type { DiagnosticsView } from "../../../main/core/app-api/views.js";

const token = { id: "t" } as TokenInfo;
const waiting = { state: { kind: "choosing-certificate" } } as ApprovalView;
const finished = { state: { kind: "done", results: [] } } as unknown as ApprovalView;

describe("trayStatus", () => {
  it("nothing plugged in: ready", () => expect(trayStatus({ approvals: [], tokens: [], problem: false })).toBe("ready"));
  it("a token: token-present", () => expect(trayStatus({ approvals: [], tokens: [token], problem: false })).toBe("token-present"));
  it("an open request: request-waiting", () =>
    expect(trayStatus({ approvals: [waiting], tokens: [token], problem: false })).toBe("request-waiting"));
  it("a finished request only: not waiting", () =>
    expect(trayStatus({ approvals: [finished], tokens: [], problem: false })).toBe("ready"));
  it("a problem wins over everything", () => expect(trayStatus({ approvals: [waiting], tokens: [token], problem: true })).toBe("problem"));
});

describe("trayIconPng", () => {
  it("a 32×32 RGBA PNG whose centre has the status colour and whose corner is transparent", () => {
    const png = trayIconPng("problem", 32);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(32);
    const idat = png.indexOf("IDAT");
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const pixel = (x: number, y: number) => raw.subarray(y * (1 + 32 * 4) + 1 + x * 4, y * (1 + 32 * 4) + 5 + x * 4);
    expect([...pixel(16, 16)]).toEqual([0xc5, 0x22, 0x1f, 255]);
    expect(pixel(0, 0)[3]).toBe(0);
  });
});

describe("hasProblem", () => {
  const base = {
    bridge: { listening: [{ scheme: "wss", port: 19843 }], paused: false, localCertificate: { trusted: true } },
    modules: [{ id: "m", path: "/usr/lib/libx.so", source: "catalogue", status: { kind: "ready", library: "x", tokens: 1 } }],
    policy: { source: "default", keys: [], managed: [] },
  } as unknown as DiagnosticsView;
  it("bridge listening and drivers working: no problem", () => expect(hasProblem(base)).toBe(false));
  it("a driver failed to load: problem", () =>
    expect(hasProblem({ ...base, modules: [{ ...base.modules[0]!, status: { kind: "failed", reason: "x", code: "module_unavailable" } }] })).toBe(true));
  it("bridge not listening while not paused: problem", () =>
    expect(hasProblem({ ...base, bridge: { ...base.bridge, listening: [] } })).toBe(true));
  it("bridge paused by the user: not a problem", () =>
    expect(hasProblem({ ...base, bridge: { ...base.bridge, listening: [], paused: true } })).toBe(false));
  it("an invalid machine policy is a problem even while the user has paused the bridge", () =>
    expect(
      hasProblem({
        ...base,
        bridge: { ...base.bridge, listening: [], paused: true },
        policy: { source: "file", file: "/etc/kyso/policy.json", problems: ["x"], keys: [], managed: [] },
      }),
    ).toBe(true));
});
