/**
 * The `kyso` command as a real child process against a real core (SoftHSM fixture tokens): certs, 100 PDFs signed
 * with ONE approval shown as from the CLI, verify, unattended signing only when the machine policy lists the
 * certificate (PIN from stdin), the exit codes of docs/cli.md, and a channel only the user can open.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { CLI_ORIGIN, CLI_UNATTENDED_ORIGIN, cliChannelPath } from "../../../main/core/cli-channel/protocol.js";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import type { VerificationReport } from "../../../main/domain/wire/verify-report.js";
import { loadManifest } from "../../fixtures/index.js";
import { startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";

// 100 PDFs through the workers and several CLI processes: minutes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 480_000, hookTimeout: 180_000 });

const CLI = fileURLToPath(new URL("../../../main/cli/kyso.ts", import.meta.url));
const FILES = 100;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function kyso(dataDir: string, args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: { ...process.env, KYSO_DATA_DIR: dataDir, LANG: "en_US.UTF-8" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

let rootPem: string;
let attended: BridgeHarness;
let person: CertificateInfo;
let other: CertificateInfo;
let pdf: Uint8Array;
let work: string;

beforeAll(async () => {
  // The manifest names the root's FILE; policy `trustAnchors` takes PEM text (a path there is no anchor at all).
  rootPem = await readFile((await loadManifest()).pki.rootPem, "utf8");
  attended = await startBridgeHarness({ trustAnchors: [rootPem], revocationCheck: "off" });
  // The anchor really is in force (the loader reports a policy entry without a certificate as a problem).
  const { trustAnchors } = await attended.core.handlers["diagnostics.get"]();
  expect(trustAnchors?.problems).toEqual([]);
  expect(trustAnchors?.counts.policy).toBe(1);
  const listed = await attended.core.handlers["certificates.list"]();
  const usable = listed.filter((c) => c.valid);
  person = usable.find((c) => c.vn?.personalId === "001234567890")!;
  other = usable.find((c) => c.id !== person.id)!;
  pdf = await makeSamplePdf(1);
  work = await mkdtemp(join(tmpdir(), "kyso-cli-"));
});
afterAll(async () => {
  await attended?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("kyso CLI through the running app", () => {
  it("the channel is a 0600 socket in the 0700 data folder (POSIX), with a 0600 per-start secret", async () => {
    if (process.platform === "win32") return; // a named pipe: no file modes (docs/threat-model.md, "CLI channel")
    const socket = await stat(cliChannelPath(attended.dataDir));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect((await stat(attended.dataDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(attended.dataDir, "cli.token"))).mode & 0o777).toBe(0o600);
  });

  it("kyso certs --json: the token's certificates, exit 0", async () => {
    const run = await kyso(attended.dataDir, ["certs", "--json"]);
    expect(run.code).toBe(0);
    const { certificates } = JSON.parse(run.stdout) as { certificates: { id: string; fingerprintSha256: string; valid: boolean; unattended: boolean }[] };
    expect(certificates.map((c) => c.id)).toContain(person.id);
    expect(certificates.find((c) => c.id === person.id)).toMatchObject({ fingerprintSha256: person.fingerprintSha256, valid: true, unattended: false });
  });

  it("kyso sign of 100 PDFs in a folder: ONE approval from the CLI listing all of them, then kyso verify --json", async () => {
    const folder = join(work, "batch");
    await mkdir(folder);
    await Promise.all(Array.from({ length: FILES }, (_, i) => writeFile(join(folder, `doc-${String(i + 1).padStart(3, "0")}.pdf`), pdf)));
    const running = kyso(attended.dataDir, ["sign", "--json", "--preset", "appendix", "--document-number", "15/QĐ-UBND", "--cert", person.fingerprintSha256, folder]);
    const approval = (await attended.nextApproval("sign")) as SignApprovalView;
    expect(approval.origin.origin).toBe(CLI_ORIGIN);
    expect(approval.batch).toBe(true);
    expect(approval.items).toHaveLength(FILES);
    // `--cert` restricts the approval to that certificate.
    expect(approval.candidates.map((c) => c.id)).toEqual([person.id]);
    await attended.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { exitCode: number; unattended: boolean; files: { ok: boolean; output?: string }[] };
    expect(out).toMatchObject({ exitCode: 0, unattended: false });
    expect(out.files.filter((f) => f.ok)).toHaveLength(FILES);
    expect((await readdir(folder)).filter((n) => n.endsWith(".signed.pdf"))).toHaveLength(FILES);
    // No other approval was opened for the run.
    expect((await attended.core.handlers["approvals.list"]()).filter((a) => a.id !== approval.id && a.kind === "sign")).toEqual([]);

    // A sample of the 100: the chain is trusted (the fixture root is a policy anchor), but the SoftHSM fixture
    // certificates name no OCSP/CRL and a B-B signature carries no revocation data, so the validity is not yet
    // determinable (exit 8). Why TOTAL-PASSED is out of reach with these tokens: docs/cli.md, "Verify".
    for (const n of ["001", "025", "050", "075", "100"]) {
      const verified = await kyso(attended.dataDir, ["verify", "--json", join(folder, `doc-${n}.signed.pdf`)]);
      expect(verified.code, verified.stdout.slice(0, 3000)).toBe(8);
      const report = JSON.parse(verified.stdout) as { exitCode: number; indication: string; signatures: number; report: VerificationReport };
      expect(report).toMatchObject({ exitCode: 8, indication: "INDETERMINATE", signatures: 1 });
      expect(report.report.signatures[0]).toMatchObject({
        chain: { trusted: true, anchor: "C=VN, O=KySo Test, CN=KySo Test Root CA" },
        integrity: { hash: "valid", signature: "valid" },
        revocation: { status: "missing" },
        result: { indication: "INDETERMINATE", subIndication: "TRY_LATER", reason: "revocationMissing" },
      });
    }
    // A tampered copy: TOTAL-FAILED, exit 1.
    const signed = await readFile(join(folder, "doc-002.signed.pdf"));
    const at = signed.indexOf("stream\n") + 20;
    signed[at] = signed[at]! ^ 0xff;
    await writeFile(join(work, "tampered.pdf"), signed);
    const tampered = await kyso(attended.dataDir, ["verify", "--json", join(work, "tampered.pdf")]);
    expect(tampered.code, tampered.stdout.slice(0, 3000)).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ indication: "TOTAL-FAILED" });

    // The same folder again: its 100 signed copies exist. Without a flag nothing is signed and no approval opens;
    // the refusal lists them and names the flags (exit 1).
    const approvalsBefore = (await attended.core.handlers["approvals.list"]()).length;
    const args = ["sign", "--preset", "appendix", "--document-number", "15/QĐ-UBND", "--cert", person.id];
    const refused = await kyso(attended.dataDir, [...args, folder]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain("100 signed copies exist already");
    expect(refused.stderr).toContain(join(folder, "doc-100.signed.pdf"));
    for (const flag of ["--overwrite", "--keep-both", "--skip-existing"]) expect(refused.stderr).toContain(flag);
    const refusedJson = JSON.parse((await kyso(attended.dataDir, [...args, "--json", folder])).stdout) as { exitCode: number; files: unknown[]; error: { code: string; existing: string[] } };
    expect(refusedJson).toMatchObject({ exitCode: 1, files: [], error: { code: "file_exists" } });
    expect(refusedJson.error.existing).toHaveLength(FILES);
    // --skip-existing: all 100 skipped, reported as such; nothing to sign, so no approval; exit 0.
    const skippedRun = await kyso(attended.dataDir, [...args, "--json", "--skip-existing", folder]);
    expect(skippedRun.code, skippedRun.stderr).toBe(0);
    const skippedOut = JSON.parse(skippedRun.stdout) as { exitCode: number; skipped: string[]; files: { ok: boolean; skipped?: boolean; error?: { code: string } }[] };
    expect(skippedOut.exitCode).toBe(0);
    expect(skippedOut.skipped).toHaveLength(FILES);
    expect(skippedOut.files.every((f) => !f.ok && f.skipped === true && f.error?.code === "file_exists")).toBe(true);
    expect((await attended.core.handlers["approvals.list"]()).length).toBe(approvalsBefore);
    expect((await readdir(folder)).filter((n) => n.endsWith(".signed.pdf"))).toHaveLength(FILES);
    // Two choices at once: usage error (exit 2), before anything is asked of the app.
    const both = await kyso(attended.dataDir, [...args, "--overwrite", "--keep-both", folder]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("Use only one of --overwrite, --keep-both, --skip-existing");
  });

  it("--keep-both writes <name>.signed (2).pdf beside the existing copy; --skip-existing signs only the new file", async () => {
    const folder = join(work, "existing");
    await mkdir(folder);
    const [old, fresh] = [join(folder, "old.pdf"), join(folder, "fresh.pdf")];
    await writeFile(old, pdf);
    await writeFile(fresh, pdf);
    await writeFile(join(folder, "old.signed.pdf"), "an earlier signed copy");
    const args = ["sign", "--json", "--preset", "appendix", "--document-number", "2", "--cert", person.id];

    const keeping = kyso(attended.dataDir, [...args, "--keep-both", old]);
    const first = await attended.nextApproval("sign");
    await attended.core.handlers["approvals.approve"]({ approvalId: first.id, certificateId: person.id, pin: "1234" });
    const kept = await keeping;
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ exitCode: 0, skipped: [], files: [{ path: old, ok: true, output: join(folder, "old.signed (2).pdf") }] });
    expect(await readFile(join(folder, "old.signed.pdf"), "utf8")).toBe("an earlier signed copy");

    const skipping = kyso(attended.dataDir, [...args, "--skip-existing", old, fresh]);
    const second = (await attended.nextApproval("sign")) as SignApprovalView;
    // Only the file to sign is in the approval.
    expect(second.batch ? second.items : [second]).toHaveLength(1);
    await attended.core.handlers["approvals.approve"]({ approvalId: second.id, certificateId: person.id, pin: "1234" });
    const run = await skipping;
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      exitCode: 0,
      skipped: [old],
      files: [{ path: old, ok: false, skipped: true, error: { code: "file_exists" } }, { path: fresh, ok: true, output: join(folder, "fresh.signed.pdf") }],
    });
  });

  it("declined in KySo: exit 4, nothing written", async () => {
    const path = join(work, "declined.pdf");
    await writeFile(path, pdf);
    const running = kyso(attended.dataDir, ["sign", "--preset", "appendix", "--document-number", "1", "--cert", person.id, path]);
    const approval = await attended.nextApproval("sign");
    await attended.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect((await running).code).toBe(4);
    expect((await readdir(work)).filter((n) => n.startsWith("declined"))).toEqual(["declined.pdf"]);
  });

  it("--pin-stdin without a policy that lists the certificate: exit 5, no approval, audited", async () => {
    const path = join(work, "no-policy.pdf");
    await writeFile(path, pdf);
    const run = await kyso(attended.dataDir, ["sign", "--json", "--preset", "appendix", "--document-number", "1", "--cert", person.id, "--pin-stdin", path], "1234\n");
    expect(run.code).toBe(5);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 5, error: { code: "unattended_not_allowed" } });
    expect((await attended.core.handlers["approvals.list"]()).filter((a) => a.state.kind === "choosing-certificate")).toEqual([]);
    const audit = await attended.core.handlers["audit.list"]({ kind: "all" });
    expect(audit.some((l) => l.origin === CLI_UNATTENDED_ORIGIN && l.result === "unattended_not_allowed")).toBe(true);
  });

  it("usage errors exit 2; an unknown certificate exits 6", async () => {
    expect((await kyso(attended.dataDir, ["sign", "--preset", "appendix", join(work, "x.pdf")])).code).toBe(2);
    expect((await kyso(attended.dataDir, ["frobnicate"])).code).toBe(2);
    const path = join(work, "unknown-cert.pdf");
    await writeFile(path, pdf);
    expect((await kyso(attended.dataDir, ["sign", "--preset", "appendix", "--document-number", "1", "--cert", "00".repeat(32), path])).code).toBe(6);
  });

  it("app not running: exit 3 with the message, for a missing data folder and for a stale secret", async () => {
    const missing = await kyso(join(work, "no-such-profile"), ["certs"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("KySo is not running");
    const stale = join(work, "stale");
    await mkdir(stale);
    await writeFile(join(stale, "cli.token"), "ab".repeat(32));
    expect((await kyso(stale, ["certs", "--json"])).code).toBe(3);
  });

  it("a request without the per-start secret is refused (origin_not_allowed)", async () => {
    const { connect } = await import("node:net");
    const socket = connect(cliChannelPath(attended.dataDir));
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.setEncoding("utf8").on("data", (d: string) => (text += d));
      socket.on("close", () => resolve(text));
      socket.write(`${JSON.stringify({ id: 1, auth: "00".repeat(32), method: "certs" })}\n`);
    });
    expect(JSON.parse(answer)).toMatchObject({ id: 1, ok: false, error: { code: "origin_not_allowed" } });
  });
});

describe("unattended signing allowed by the machine policy", () => {
  let allowed: BridgeHarness;
  beforeAll(async () => {
    allowed = await startBridgeHarness({
      trustAnchors: [rootPem],
      revocationCheck: "off",
      unattendedSigning: { certificates: [person.fingerprintSha256.toUpperCase()], presets: ["appendix"] },
    });
  });
  afterAll(async () => allowed?.close());

  it("--pin-stdin signs with no approval to decide; audited as unattended; another certificate or preset exits 5", async () => {
    const folder = join(work, "unattended");
    await mkdir(folder);
    const paths = [join(folder, "a.pdf"), join(folder, "b.pdf")];
    for (const p of paths) await writeFile(p, pdf);
    const run = await kyso(allowed.dataDir, ["sign", "--json", "--preset", "appendix", "--document-number", "7", "--cert", person.fingerprintSha256, "--pin-stdin", ...paths], "1234\n");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 0, unattended: true, files: [{ ok: true }, { ok: true }] });
    const audit = await allowed.core.handlers["audit.list"]({});
    expect(audit.filter((l) => l.origin === CLI_UNATTENDED_ORIGIN && l.result === "ok")).toHaveLength(2);

    const certs = JSON.parse((await kyso(allowed.dataDir, ["certs", "--json"])).stdout) as { certificates: { id: string; unattended: boolean }[] };
    expect(certs.certificates.find((c) => c.id === person.id)?.unattended).toBe(true);

    const another = join(folder, "c.pdf");
    await writeFile(another, pdf);
    expect((await kyso(allowed.dataDir, ["sign", "--preset", "appendix", "--document-number", "7", "--cert", other.id, "--pin-stdin", another], "1234\n")).code).toBe(5);
    const copy = ["sign", "--preset", "copy", "--copy-kind", "sao-y", "--organisation", "Sở Tư pháp", "--cert", person.id, "--pin-stdin", another];
    expect((await kyso(allowed.dataDir, copy, "1234\n")).code).toBe(5);
  });

  it("a wrong PIN ends the unattended run (no approval left waiting for a PIN nobody types)", async () => {
    const path = join(work, "unattended", "wrong-pin.pdf");
    await writeFile(path, pdf);
    const run = await kyso(allowed.dataDir, ["sign", "--json", "--preset", "appendix", "--document-number", "7", "--cert", person.id, "--pin-stdin", path], "9999\n");
    expect(run.code).toBe(7);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "pin_incorrect" } });
    expect((await allowed.core.handlers["approvals.list"]()).filter((a) => a.state.kind === "entering-pin" || a.state.kind === "choosing-certificate")).toEqual([]);
  });
});
