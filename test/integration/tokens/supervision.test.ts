import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";
import { HostSupervisor, type HostReady, type HostRestartScheduled } from "../../../main/core/tokens/host-supervisor.js";
import { forkSpawner, type HostProcess } from "../../../main/core/tokens/index.js";
import { verifyWithNode } from "../../helpers/verify-signature.js";

const NOT_PKCS11 = "/usr/lib/x86_64-linux-gnu/libz.so.1";
const MISSING = "/nonexistent/kyso/libbit4xpki.so";

let harness: TokenHarness;
let personRsa: CertificateInfo;

beforeAll(async () => {
  harness = await openTokenHarness({
    timeouts: { enumerationMs: 3_000, signingMs: 1_000, loginMs: 3_000 },
    restartBackoff: { initialMs: 50, maxMs: 200 },
  });
  const certificates = await harness.service.listCertificates();
  const found = certificates.find((info) => info.fingerprintSha256 === harness.tokens.cert("personRsa").fingerprintSha256);
  if (!found) throw new Error("personRsa not listed");
  personRsa = found;
});
afterAll(() => harness?.close());

async function signOnce(): Promise<boolean> {
  const signer = await harness.service.openSigner({ certificateId: personRsa.id, pin: Buffer.from(harness.tokens.manifest.userPin) });
  try {
    const data = Buffer.from("after restart");
    const signature = await signer.signDigest({ hashAlgorithm: "SHA-256", digest: createHash("sha256").update(data).digest(), scheme: "rsa-pkcs1" });
    return verifyWithNode(signer.certificate, data, "SHA-256", "rsa-pkcs1", signature);
  } finally {
    await signer.close();
  }
}

function currentHostPid(): number {
  const pid = harness.hosts.at(-1)?.pid;
  if (!pid) throw new Error("no host");
  return pid;
}

describe("token host supervision", () => {
  it("host crash during sign: the sign fails with a typed error, the host restarts, the next sign works", async () => {
    const signer = await harness.service.openSigner({ certificateId: personRsa.id, pin: Buffer.from(harness.tokens.manifest.userPin) });
    const before = harness.hosts.length;
    // Stop the host so the sign is certainly in flight, then kill it: a crash in the middle of C_Sign.
    process.kill(currentHostPid(), "SIGSTOP");
    const sent = harness.nextSent("sign");
    const pending = signer.signDigest({ hashAlgorithm: "SHA-256", digest: new Uint8Array(32), scheme: "rsa-pkcs1" });
    await sent; // the sign is handed to the stopped host: in flight, unanswered
    process.kill(currentHostPid(), "SIGKILL");
    await expect(pending).rejects.toMatchObject({ code: "signing_failed", details: { reason: "host_exited" } });
    await signer.close();
    expect(await signOnce()).toBe(true);
    expect(harness.hosts.length).toBe(before + 1);
  });

  it("hung call: the sign fails with `timeout` at the signing limit and the host is killed and replaced", async () => {
    const signer = await harness.service.openSigner({ certificateId: personRsa.id, pin: Buffer.from(harness.tokens.manifest.userPin) });
    const hung = harness.hosts.at(-1);
    process.kill(currentHostPid(), "SIGSTOP");
    const started = Date.now();
    await expect(signer.signDigest({ hashAlgorithm: "SHA-256", digest: new Uint8Array(32), scheme: "rsa-pkcs1" })).rejects.toMatchObject({
      code: "timeout",
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2_500);
    await signer.close();
    expect(await signOnce()).toBe(true);
    expect(harness.hosts.at(-1)).not.toBe(hung);
    expect(existsSync(`/proc/${hung?.pid}/status`)).toBe(false);
  });

  it("a missing module and a file that is not PKCS#11 appear in diagnostics while SoftHSM keeps working", async () => {
    expect(existsSync(NOT_PKCS11)).toBe(true);
    const mixed = await openTokenHarness({ modulePaths: [MISSING, NOT_PKCS11, harness.tokens.manifest.modulePath] }, harness.tokens);
    try {
      const diagnostics = mixed.service.diagnostics();
      expect(diagnostics.find((entry) => entry.path === MISSING)?.status).toMatchObject({ kind: "failed", code: "not_found" });
      expect(diagnostics.find((entry) => entry.path === MISSING)?.vendor).toBe("Bit4id");
      const notPkcs11 = diagnostics.find((entry) => entry.path === NOT_PKCS11)?.status;
      expect(notPkcs11).toMatchObject({ kind: "failed", code: "not_pkcs11" });
      // `reason` is the raw detail (the loader's own words, naming the file); the UI words the code.
      expect(notPkcs11?.kind === "failed" && notPkcs11.reason).toContain("libz.so");
      expect(diagnostics.find((entry) => entry.path === harness.tokens.manifest.modulePath)?.status).toMatchObject({ kind: "ready", tokens: 2 });
      expect((await mixed.service.listTokens()).length).toBe(2);
      expect((await mixed.service.listCertificates()).length).toBe(Object.keys(harness.tokens.manifest.objects).length);
    } finally {
      await mixed.service.close();
    }
  });
});

describe("token host recovery (real host on SoftHSM)", () => {
  it("a killed host is replaced at once, without a request, and answers again; a second kill in a row waits the reported 0.5 s", async () => {
    const hosts: HostProcess[] = [];
    const fork = forkSpawner({ env: { SOFTHSM2_CONF: harness.tokens.softhsmConf } });
    const scheduled: HostRestartScheduled[] = [];
    let readyAgain: ((event: HostReady) => void) | undefined;
    const supervisor = new HostSupervisor(
      harness.tokens.manifest.modulePath,
      {
        spawn(path) {
          const host = fork.spawn(path);
          hosts.push(host);
          return host;
        },
      },
      { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 },
      {
        onRestartScheduled: (event) => void scheduled.push(event),
        onHostReady: (event) => readyAgain?.(event),
      },
    );
    /** Kills the current host and resolves with the "ready again" event of its replacement. */
    const killAndAwaitReady = (): Promise<HostReady> =>
      new Promise<HostReady>((resolve) => {
        readyAgain = (event) => {
          if (event.restarted) resolve(event);
        };
        process.kill(hosts.at(-1)!.pid!, "SIGKILL");
      });
    try {
      const tokens = (await supervisor.request("listTokens", {}, 5_000)).tokens.length;
      expect(tokens).toBe(2);

      const first = await killAndAwaitReady();
      expect(scheduled.at(-1)).toMatchObject({ delayMs: 0, failures: 1, reason: "signal SIGKILL" });
      expect(first).toMatchObject({ restarted: true, generation: 2 });
      expect(hosts).toHaveLength(2); // started by the supervisor itself: nobody asked yet
      expect((await supervisor.request("listTokens", {}, 5_000)).tokens).toHaveLength(tokens);

      const second = await killAndAwaitReady();
      expect(scheduled.at(-1)).toMatchObject({ delayMs: 500, failures: 2 });
      expect(second.generation).toBe(3);
      expect((await supervisor.request("listTokens", {}, 5_000)).tokens).toHaveLength(tokens);
      expect(supervisor.health()).toMatchObject({ crashes: 2, consecutiveFailures: 2, lastCrash: { reason: "signal SIGKILL" } });
    } finally {
      supervisor.close();
    }
  });

  it("through the token service: after a host crash the next listing works, with no request needed to start the new host", async () => {
    const before = harness.hosts.length;
    const started = harness.nextHost();
    process.kill(currentHostPid(), "SIGKILL");
    await started; // the supervisor's own restart: this harness never polls and nothing was asked yet
    expect(harness.hosts.length).toBe(before + 1);
    expect((await harness.service.listTokens()).length).toBe(2);
    expect(await signOnce()).toBe(true);
    // Diagnostics say the driver restarted, with the reason, so support sees what happened.
    const recovery = harness.service.diagnostics().find((d) => d.recovery)?.recovery;
    expect(recovery?.crashes).toBeGreaterThan(0);
    expect(recovery?.lastCrash?.reason).toMatch(/SIGKILL/);
  });
});
