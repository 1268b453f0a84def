/**
 * Idle RSS of the core as users run it (issue 10: <= 80 MiB): main/ and native/ compiled by tsc exactly as
 * `npm run build` does (one JS file per source file, so what the core imports lazily stays unloaded), then
 * idle-core-entry.mjs run on plain Node with --expose-gc in a child process, over a private copy of the fixture
 * tokens. The source tree under tsx is not a fair measure: tsx's transpiler and source maps cost ~40 MiB alone.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { copyFixtureTokens } from "../fixtures/index.js";

export interface IdleCore {
  readonly rssMiB: number;
  readonly heapMiB: number;
}

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function measureIdleCore(): Promise<IdleCore> {
  // Inside the project, so the compiled code resolves its packages from node_modules as dist/ does.
  const out = await mkdtemp(join(ROOT, "test", "artifacts", "idle-core-"));
  const tokens = await copyFixtureTokens();
  try {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    await run(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.main.json"), "--outDir", join(out, "dist")], { cwd: ROOT });
    await cp(join(ROOT, "native/drivers"), join(out, "dist/native/drivers"), { recursive: true, filter: (src) => !src.endsWith(".ts") });
    const { stdout } = await run(process.execPath, ["--expose-gc", join(ROOT, "test/bench/idle-core-entry.mjs")], {
      env: { ...process.env, KYSO_IDLE_DIST: join(out, "dist"), KYSO_IDLE_MODULE: tokens.manifest.modulePath, SOFTHSM2_CONF: tokens.softhsmConf },
      timeout: 120_000,
    });
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as IdleCore;
  } finally {
    await rm(out, { recursive: true, force: true });
    await tokens.cleanup();
  }
}
