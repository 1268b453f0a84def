import { makeFixtures } from "../fixtures/make-fixtures.js";
import { FIXTURE_DIR_ENV, fixtureDir } from "../fixtures/index.js";

/** Builds the fixtures fresh for every run (about 3 s), so no suite depends on state left by an earlier run. */
export default async function globalSetup(): Promise<void> {
  const dir = fixtureDir();
  process.env[FIXTURE_DIR_ENV] = dir;
  await makeFixtures(dir);
}
