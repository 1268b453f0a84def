/**
 * The local TLS certificate on disk: key, certificate and CA are one file replaced atomically, and what is loaded is
 * checked (key matches the certificate, certificate chains to the CA) before a listener gets it. A crash at any
 * file-system step, simulated by a step that throws, leaves the next start with a matching pair that a real TLS
 * handshake accepts. The old three-file layout is read once and migrated.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, type FileHandle } from "node:fs/promises";
import { createServer, connect as tlsConnect, type Server } from "node:tls";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ensureLocalCertificate,
  issueLocalCertificate,
  LOCAL_TLS_FS,
  type LocalCertificate,
  type LocalTlsFs,
  writeLocalCertificate,
} from "../../../../main/core/bridge/local-tls/local-certificate.js";

const DAY_MS = 86_400_000;
const NOW = new Date();
const LEGACY = { cert: "leaf.pem", key: "leaf.key", ca: "ca.pem" } as const;

let dir: string;
beforeEach(async () => (dir = join(await mkdtemp(join(tmpdir(), "kyso-tls-crash-")), "tls")));
afterEach(() => rm(join(dir, ".."), { recursive: true, force: true }));

/** Fresh (not due) and old (inside the renewal window) certificates, issued once for the whole file. */
let fresh: LocalCertificate;
let other: LocalCertificate;
let old: LocalCertificate;
beforeAll(async () => {
  [fresh, other, old] = await Promise.all([issueLocalCertificate(NOW), issueLocalCertificate(NOW), issueLocalCertificate(new Date(NOW.getTime() - 340 * DAY_MS))]);
});

/** The layout before the bundle: three files, each replaced by its own rename. */
function writeLegacy(parts: Pick<LocalCertificate, "certPem" | "keyPem" | "caPem">): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, LEGACY.cert), parts.certPem, { mode: 0o600 });
  writeFileSync(join(dir, LEGACY.key), parts.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, LEGACY.ca), parts.caPem, { mode: 0o600 });
}

/** A real TLS server with the pair, and a client that trusts only the CA and checks the IP name. */
async function handshakeWorks(certificate: LocalCertificate): Promise<boolean> {
  const server: Server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<boolean>((resolve) => {
      const socket = tlsConnect({ host: "127.0.0.1", port, ca: certificate.caPem }, () => {
        resolve(socket.authorized);
        socket.destroy();
      });
      socket.once("error", () => resolve(false));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function matches(certificate: LocalCertificate): boolean {
  const leaf = new X509Certificate(certificate.certPem);
  const ca = new X509Certificate(certificate.caPem);
  return leaf.checkPrivateKey(createPrivateKey(certificate.keyPem)) && leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

class Crash extends Error {}

/**
 * The real file-system steps, except that step number `crashAt` (open, write, fsync, close, rename, folder fsync,
 * unlink: every call counts) throws as if the process died there. `reached` tells whether it did.
 */
function crashingFs(crashAt: number): LocalTlsFs & { reached(): boolean } {
  let step = 0;
  const tick = (): void => {
    if (step++ === crashAt) throw new Crash(`crash at step ${crashAt}`);
  };
  const wrapHandle = (handle: FileHandle): FileHandle =>
    new Proxy(handle, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== "writeFile" && key !== "sync" && key !== "close") return typeof value === "function" ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          if (key === "close") {
            await target.close();
            tick();
            return;
          }
          tick();
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
  return {
    open: (async (...args: Parameters<LocalTlsFs["open"]>) => {
      tick();
      return wrapHandle(await LOCAL_TLS_FS.open(...args));
    }) as LocalTlsFs["open"],
    rename: async (...args) => {
      tick();
      return LOCAL_TLS_FS.rename(...args);
    },
    syncDir: async (path) => {
      tick();
      return LOCAL_TLS_FS.syncDir(path);
    },
    unlink: async (path) => {
      tick();
      return LOCAL_TLS_FS.unlink(path);
    },
    reached: () => step > crashAt,
  };
}

/**
 * Runs `ensureLocalCertificate` from `setUp`'s state with a crash at step 0, 1, 2, ... until a run completes
 * without reaching its crash point; after every crash the next (normal) start must load a matching, working pair.
 */
async function crashEverywhere(setUp: () => void | Promise<void>, at: Date): Promise<number> {
  for (let crashAt = 0; crashAt < 50; crashAt++) {
    await rm(dir, { recursive: true, force: true });
    await setUp();
    const fs = crashingFs(crashAt);
    let crashed = false;
    try {
      await ensureLocalCertificate(dir, at, fs);
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
      crashed = true;
    }
    expect(crashed).toBe(fs.reached());
    if (!crashed) return crashAt; // every step was crashed once
    const next = await ensureLocalCertificate(dir, at);
    expect(matches(next.certificate), `after a crash at step ${crashAt}`).toBe(true);
    expect(await handshakeWorks(next.certificate), `handshake after a crash at step ${crashAt}`).toBe(true);
    // And the start after that one loads the same pair, without renewing again.
    const third = await ensureLocalCertificate(dir, at);
    expect(third.renewed).toBe(false);
    expect(third.certificate.certPem).toBe(next.certificate.certPem);
  }
  throw new Error("the crash loop never completed");
}

describe("local TLS certificate: atomic on disk, checked on load", () => {
  it("legacy files whose key does not match the certificate (a renewal torn between renames) → a new matching pair", async () => {
    writeLegacy({ certPem: fresh.certPem, keyPem: other.keyPem, caPem: fresh.caPem });
    const ensured = await ensureLocalCertificate(dir, NOW);
    expect(ensured.renewed).toBe(true);
    expect(matches(ensured.certificate)).toBe(true);
    expect(await handshakeWorks(ensured.certificate)).toBe(true);
  });

  it("legacy files whose certificate was not issued by the stored CA → a new matching pair", async () => {
    writeLegacy({ certPem: fresh.certPem, keyPem: fresh.keyPem, caPem: other.caPem });
    const ensured = await ensureLocalCertificate(dir, NOW);
    expect(ensured.renewed).toBe(true);
    expect(matches(ensured.certificate)).toBe(true);
  });

  it("the old three-file layout is read once: same certificate kept, one bundle file (0600), old files gone", async () => {
    writeLegacy(fresh);
    const migrated = await ensureLocalCertificate(dir, NOW);
    expect(migrated.renewed).toBe(false);
    expect(migrated.certificate.certPem).toBe(fresh.certPem);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect((statSync(join(dir, files[0]!)).mode & 0o777).toString(8)).toBe("600");
    expect((await ensureLocalCertificate(dir, NOW)).certificate.keyPem).toBe(fresh.keyPem);
  });

  it("a crash at any step of the first issue → the next start has a matching, working pair", async () => {
    const steps = await crashEverywhere(() => undefined, NOW);
    expect(steps).toBeGreaterThanOrEqual(6); // open, write, fsync, close, rename, folder fsync
  });

  it("a crash at any step of a renewal → the next start has a matching, working pair", async () => {
    // A stored certificate (current layout) inside the renewal window.
    const steps = await crashEverywhere(() => writeLocalCertificate(dir, old), NOW);
    expect(steps).toBeGreaterThanOrEqual(6);
  });

  it("a crash at any step of the migration from the old layout (due and not due) → a matching, working pair", async () => {
    expect(await crashEverywhere(() => writeLegacy(fresh), NOW)).toBeGreaterThanOrEqual(8); // bundle write + 3 unlinks
    expect(await crashEverywhere(() => writeLegacy(old), NOW)).toBeGreaterThanOrEqual(8);
  });

  it("leftover temp files from a crash are cleared and never loaded", async () => {
    writeLegacy(fresh);
    writeFileSync(join(dir, ".local-tls.json.deadbeef0000.tmp"), "{trunc");
    writeFileSync(join(dir, "leaf.key.0123456789ab.tmp"), other.keyPem);
    await ensureLocalCertificate(dir, NOW);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
