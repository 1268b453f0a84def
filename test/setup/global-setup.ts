import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeFixtures } from "../fixtures/make-fixtures.js";
import { FIXTURE_DIR_ENV } from "../fixtures/index.js";

/**
 * Builds the fixtures fresh for every run (about 3 s) in a folder of the run's own, so no suite depends on state
 * left by an earlier run and two runs at once (two developers' terminals, an editor's watcher) cannot clobber
 * each other. Workers are forked after this and inherit the variable.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-fixtures-"));
  process.env[FIXTURE_DIR_ENV] = dir;
  await makeFixtures(dir);
  return () => rm(dir, { recursive: true, force: true });
}
