/**
 * The OS store readers (main/core/certificates/trust/os-store.ts) on recorded outputs: `security find-certificate
 * -a -p` (macOS) and the PowerShell export of Cert:\LocalMachine\Root (Windows), each holding the two national
 * roots (test/fixtures/os-store/); the commands run are checked, never executed here. Linux is tested for real in
 * test/integration/certificates/os-store-anchors.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprint, loadAnchors, NATIONAL_ROOTS } from "../../../../main/core/certificates/trust/index.js";
import { MAC_KEYCHAINS, parseWindowsRootExport, readOsStore, type RunCommand } from "../../../../main/core/certificates/trust/os-store.js";

const fixture = (name: string): string => readFileSync(join(__dirname, "../../../fixtures/os-store", name), "latin1");
const national = NATIONAL_ROOTS.map((r) => r.fingerprintSha256.toLowerCase().replace(/:/g, "")).sort();

function recorded(stdout: string): { run: RunCommand; calls: [string, readonly string[]][] } {
  const calls: [string, readonly string[]][] = [];
  return { calls, run: async (file, args) => (calls.push([file, args]), stdout) };
}

describe("OS store readers on recorded outputs", () => {
  it("macOS: the system keychains through `security find-certificate -a -p`, every PEM block read", async () => {
    const { run, calls } = recorded(fixture("macos-security-find-certificate.txt"));
    const read = await readOsStore({ platform: "darwin", run, getCACertificates: null });
    expect(calls).toEqual([["security", ["find-certificate", "-a", "-p", ...MAC_KEYCHAINS]]]);
    expect(read.origin).toBe("macOS system keychains");
    expect(read.certificates.map(fingerprint).sort()).toEqual(national);
  });

  it("Windows: PowerShell's export of Cert:\\LocalMachine\\Root, one base64 DER a line (CRLF), other lines skipped", async () => {
    const { run, calls } = recorded(`PS banner line\r\n${fixture("windows-localmachine-root.txt")}\r\n`);
    const read = await readOsStore({ platform: "win32", run, getCACertificates: null });
    expect(calls[0]![0]).toBe("powershell.exe");
    expect(calls[0]![1].at(-1)).toContain("Cert:\\LocalMachine\\Root");
    expect(read.certificates.map(fingerprint).sort()).toEqual(national);
    expect(parseWindowsRootExport("no certificates here\r\n")).toEqual([]);
  });

  it("a reader that fails is a problem, never an exception; the anchors it gave are labelled 'system'", async () => {
    const failing = await readOsStore({ platform: "darwin", run: async () => Promise.reject(new Error("security: not found")), getCACertificates: null });
    expect(failing).toMatchObject({ certificates: [], problem: expect.stringContaining("security: not found") });
    const loaded = await loadAnchors({ bundled: false, system: failing });
    expect(loaded.anchors).toEqual([]);
    expect(loaded.problems).toEqual([{ origin: "darwin", message: failing.problem }]);

    const { run } = recorded(fixture("macos-security-find-certificate.txt"));
    const fromMac = await loadAnchors({ bundled: false, system: await readOsStore({ platform: "darwin", run, getCACertificates: null }) });
    expect(fromMac.anchors.map((a) => [a.source, a.origin])).toEqual([["system", "macOS system keychains"], ["system", "macOS system keychains"]]);
    // A national root in the OS store stays labelled as the bundled one (the first source wins).
    const both = await loadAnchors({ system: await readOsStore({ platform: "darwin", run, getCACertificates: null }) });
    expect(both.anchors.map((a) => a.source)).toEqual(["bundled", "bundled"]);
  });

  it("Node's own reader is used where it exists (tls.getCACertificates('system'))", async () => {
    const pems = fixture("macos-security-find-certificate.txt").split(/(?<=-----END CERTIFICATE-----\n)/).filter(Boolean);
    const asked: string[] = [];
    const read = await readOsStore({ platform: "linux", getCACertificates: (type) => (asked.push(type), pems) });
    expect(asked).toEqual(["system"]);
    expect(read).toMatchObject({ origin: "node:tls system" });
    expect(read.certificates).toHaveLength(2);
  });
});
