/**
 * The idle core as the packaged app runs it: the tsc output of main/ and native/ (what `npm run build` puts in
 * dist/) on plain Node, not the source tree through tsx, whose transpiler and kept source maps weigh more than the
 * core. idle-core.ts compiles, then runs this file with --expose-gc and these variables:
 *   KYSO_IDLE_DIST  the compiled tree;  SOFTHSM2_CONF, KYSO_IDLE_MODULE  a private copy of the fixture tokens.
 * It starts the core, waits until the certificates are listed (token hosts probed, cache filled, bridge listening),
 * collects the heap and prints one JSON line `{rssMiB, heapMiB, certificates}`. Token hosts are other processes.
 */
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { pathToFileURL } from "node:url";

const dist = process.env.KYSO_IDLE_DIST;
const modulePath = process.env.KYSO_IDLE_MODULE;
if (!dist || !modulePath || typeof globalThis.gc !== "function") throw new Error("run by idle-core.ts (KYSO_IDLE_DIST, KYSO_IDLE_MODULE, --expose-gc)");
const load = (path) => import(pathToFileURL(join(dist, path)).href);
// As main/electron/main.ts does: the young generation is held small while the core loads and starts.
const { holdYoungGenerationDuringStart } = await load("main/core/startup-heap.js");
const releaseStartupHeap = holdYoungGenerationDuringStart();
const { createCore } = await load("main/core/kyso-core.js");
const { policySchema } = await load("main/core/policy/policy-schema.js");
const { createTokenService, forkSpawner } = await load("main/core/tokens/index.js");

const dataDir = await mkdtemp(join(tmpdir(), "kyso-idle-"));
const core = createCore({
  dataDir,
  policy: policySchema.parse({ allowedOrigins: ["https://dichvucong.example.gov.vn"] }),
  tokenService: createTokenService({ modules: { policy: [modulePath], catalogue: false }, spawner: forkSpawner(), pollIntervalMs: 0 }),
  bridgePorts: { ws: [0], wss: [0] },
  language: "vi",
});
try {
  await core.start();
  const listed = await core.handlers["certificates.list"]();
  if (listed.length === 0) throw new Error("no certificate listed: the token hosts did not answer");
  releaseStartupHeap();
  globalThis.gc();
  await nextTurn();
  globalThis.gc();
  const usage = process.memoryUsage();
  console.log(JSON.stringify({ rssMiB: usage.rss / 2 ** 20, heapMiB: usage.heapUsed / 2 ** 20, certificates: listed.length }));
} finally {
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
}
