/**
 * Case 3, CMS: detached CAdES-B-B of 1 KB and 10 MB through the token service (host process, login, sign,
 * logout: what one bridge request costs) and `sign({format: "cms"})`, against `openssl cms -sign` through the
 * pkcs11 engine on the same SoftHSM key. The peer pays a process start and a module load per signature: that
 * is how a portal's server-side or a script would use it, and the table says so.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { sign } from "../../main/core/signing/index.js";
import { fixtureDir } from "../fixtures/index.js";
import { openTokenHarness } from "../helpers/token-service-harness.js";
import { report, row, size, target, watchLoop, type Row, type Target } from "./bench-lib.js";

const run = promisify(execFile);
const kysoN = size("CMS_N", 100, 5);
const opensslN = size("CMS_OPENSSL_N", 30, 3);
const bigBytes = size("CMS_BIG_BYTES", 10 * 1024 * 1024, 100 * 1024);

const harness = await openTokenHarness();
const fixture = harness.tokens.cert("personRsa");
const certificate = (await harness.service.listCertificates()).find((c) => c.fingerprintSha256 === fixture.fingerprintSha256)!;
const dir = harness.tokens.dir;
const rows: Row[] = [];
const targets: Target[] = [];
try {
  for (const [label, bytes] of [["1 KB", 1024], [`${(bigBytes / 2 ** 20).toFixed(1)} MB`, bigBytes]] as const) {
    const data = randomBytes(bytes);
    const input = join(dir, `cms-${bytes}.bin`);
    await writeFile(input, data);

    const peer: number[] = [];
    const peerStart = performance.now();
    for (let i = 0; i < opensslN; i++) {
      const t = performance.now();
      await run(
        "openssl",
        ["cms", "-sign", "-binary", "-md", "sha256", "-in", input, "-signer", fixture.pemPath, "-engine", "pkcs11", "-keyform", "engine",
          "-inkey", `pkcs11:token=${encodeURIComponent(fixture.token)};id=%${fixture.keyId};type=private?pin-value=${harness.tokens.manifest.userPin}`,
          "-outform", "DER", "-out", join(dir, "openssl.p7s")],
        { env: { ...process.env, SOFTHSM2_CONF: harness.tokens.softhsmConf, OPENSSL_CONF: join(fixtureDir(), "openssl-engine.cnf") } },
      );
      peer.push(performance.now() - t);
    }
    const peerRow = row(`openssl cms -sign ${label} (process start included)`, peer, performance.now() - peerStart);

    const one = async (): Promise<void> => {
      const signer = await harness.service.openSigner({ certificateId: certificate.id, pin: Buffer.from(harness.tokens.manifest.userPin) });
      try {
        await sign({ format: "cms", document: data, options: { detached: true } }, signer);
      } finally {
        await signer.close();
      }
    };
    await one();
    const { value, loopMaxMs } = await watchLoop(async () => {
      const samples: number[] = [];
      const started = performance.now();
      for (let i = 0; i < kysoN; i++) {
        const t = performance.now();
        await one();
        samples.push(performance.now() - t);
      }
      return { samples, wallMs: performance.now() - started };
    });
    const kyso = row(`KySo CAdES-B-B detached ${label} (open+login+sign+close)`, value.samples, value.wallMs, {
      baseline: peerRow.name,
      ratio: median(value.samples) / peerRow.medianMs,
      loopMaxMs,
    });
    rows.push(peerRow, kyso);
    targets.push(target(`CMS ${label} per signature / openssl`, kyso.ratio!, "<=", 0.25, "x"));
    targets.push(target(`event loop blocked, CMS ${label}`, loopMaxMs, "<=", 50, "ms"));
    await rm(input, { force: true });
  }
} finally {
  await harness.close();
}
report({ case: "cms", rows, targets, notes: ["openssl pays a process start, engine load and C_Initialize per signature; KySo's host is already running"] });

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
