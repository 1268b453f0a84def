import { mkdtemp, rm, writeFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { discoverMachinePolicy, type MachineAccess, type MachinePolicy } from "../../../../main/core/policy/machine-policy.js";
import { sameMachinePolicy, watchMachinePolicy } from "../../../../main/core/policy/policy-watch.js";

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
});

describe("machine policy watch", () => {
  it("a real file replaced by an admin's editor is re-read and reported once, with the new policy", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kyso-policy-watch-"));
    try {
      const file = join(dir, "policy.json");
      await writeFile(file, JSON.stringify({ allowedOrigins: ["https://a.gov.vn"] }));
      const options = { platform: "linux" as const, env: { KYSO_POLICY_FILE: file }, development: true, settleMs: 10 };
      const first = discoverMachinePolicy(options);
      expect(first.status).toBe("loaded");
      const changed = new Promise<MachinePolicy>((resolve) => stops.push(watchMachinePolicy(options, first, resolve)));
      // Editors write a temporary file and rename it over the old one.
      await writeFile(`${file}.tmp`, JSON.stringify({ allowedOrigins: ["https://b.gov.vn"] }));
      await rename(`${file}.tmp`, file);
      const next = await changed;
      expect(next.status === "loaded" && next.policy.allowedOrigins).toEqual(["https://b.gov.vn"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the interval re-read catches a registry change and ignores re-reads that change nothing", () => {
    vi.useFakeTimers();
    let output: string | undefined;
    const access: MachineAccess = { readFile: () => undefined, run: () => output };
    const options = { platform: "win32" as const, env: {}, development: false, access, intervalMs: 1000 };
    const seen: MachinePolicy[] = [];
    stops.push(watchMachinePolicy(options, discoverMachinePolicy(options), (next) => seen.push(next)));
    vi.advanceTimersByTime(3000);
    expect(seen).toEqual([]);
    output = "\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n    allowUserPairing    REG_DWORD    0x0\r\n";
    vi.advanceTimersByTime(1000);
    expect(seen.map((s) => s.status)).toEqual(["loaded"]);
    vi.advanceTimersByTime(5000);
    expect(seen).toHaveLength(1);
    output = "\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n    allowUserPairing    REG_SZ    perhaps\r\n";
    vi.advanceTimersByTime(1000);
    expect(seen.map((s) => s.status)).toEqual(["loaded", "invalid"]);
  });

  it("same status, place and text is the same policy", () => {
    const a = { status: "loaded", source: { kind: "file", location: "/etc/kyso/policy.json" }, text: "{}", policy: {} } as unknown as MachinePolicy;
    expect(sameMachinePolicy(a, { ...a })).toBe(true);
    expect(sameMachinePolicy(a, { ...a, text: "{ }" } as MachinePolicy)).toBe(false);
  });
});
