/**
 * Case 8, token host recovery (issue 9): SIGKILL the host of the SoftHSM module and time until the supervisor's
 * replacement answers (`onHostReady.downMs`), for the first crashes of a run. Baseline in the same run: the time a
 * fresh host takes to start and load the module. Uses the compiled host (dist/native/host/host-main.js, what the
 * app ships; `npx tsc -p tsconfig.main.json` builds it) when present, else the source through tsx.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { HostSupervisor } from "../../main/core/tokens/host-supervisor.js";
import { forkSpawner, type HostProcess, type HostSpawner } from "../../main/core/tokens/host-spawner.js";
import { DEFAULT_BACKOFF } from "../../main/core/tokens/timeouts.js";
import { copyFixtureTokens } from "../fixtures/index.js";
import { median, report, row, size, target, type Row, type Target } from "./bench-lib.js";

const compiled = resolve("dist/native/host/host-main.js");
const rounds = size("RECOVERY_ROUNDS", 5, 2);
const tokens = await copyFixtureTokens();
const base = forkSpawner({ ...(existsSync(compiled) ? { entry: compiled } : {}), env: { SOFTHSM2_CONF: tokens.softhsmConf } });
const hosts: HostProcess[] = [];
const spawner: HostSpawner = { spawn: (path) => (hosts.push(base.spawn(path)), hosts.at(-1)!) };

const rows: Row[] = [];
const targets: Target[] = [];
// The supervisor's restart timer is unref'd (it must not keep the app alive at quit): this script has nothing
// else on its loop while it waits.
const keepAlive = setInterval(() => undefined, 1000);
try {
  const starts: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const fresh = new HostSupervisor(tokens.manifest.modulePath, spawner, DEFAULT_BACKOFF, {}, 15_000);
    const t = performance.now();
    await fresh.request("probe", {}, 10_000);
    starts.push(performance.now() - t);
    fresh.close();
  }
  const baseline = row(`fresh host start + module load (${existsSync(compiled) ? "compiled" : "tsx"})`, starts, starts.reduce((a, b) => a + b, 0));

  const downs: number[] = [];
  let ready: ((ms: number) => void) | undefined;
  const supervisor = new HostSupervisor(tokens.manifest.modulePath, spawner, DEFAULT_BACKOFF, {
    onHostReady: (event) => event.restarted && ready?.(event.downMs),
  }, 15_000);
  await supervisor.request("probe", {}, 10_000);
  // Two crashes in a row, as a user would meet them: the first restarts at once, the second after the short back-off.
  for (let i = 0; i < 2; i++) {
    const back = new Promise<number>((resolve) => (ready = resolve));
    process.kill(hosts.at(-1)!.pid!, "SIGKILL");
    downs.push(await back);
    await supervisor.request("probe", {}, 10_000);
  }
  supervisor.close();
  rows.push(baseline, row("crashed host answering again (1st, 2nd crash)", downs, downs.reduce((a, b) => a + b, 0), { baseline: baseline.name, ratio: median(downs) / baseline.medianMs }));
  targets.push(target("first crash: host answers again", downs[0]!, "<=", 2000, "ms"));
} finally {
  clearInterval(keepAlive);
  await tokens.cleanup();
}
report({ case: "recovery", rows, targets, notes: ["downMs is measured by the supervisor from the host's exit to its replacement's first answer"] });
