/** Shared set-up for the signing format suites: fixture signers, a scratch folder, the local TSA. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFixtureSigners, type FixtureSigner, type FixtureSigners } from "../../helpers/fixture-signer.js";

/** The three key types of the acceptance list. */
export const KEY_FIXTURES = [
  { name: "personRsa", label: "RSA-2048" },
  { name: "orgRsa3072", label: "RSA-3072" },
  { name: "personEc", label: "P-256" },
] as const;

export interface Harness {
  readonly dir: string;
  readonly signers: FixtureSigners;
  signer(name: string): Promise<FixtureSigner>;
  file(name: string, data: Uint8Array | string): Promise<string>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-signing-"));
  const signers = await openFixtureSigners();
  const cache = new Map<string, Promise<FixtureSigner>>();
  return {
    dir,
    signers,
    signer(name) {
      let s = cache.get(name);
      if (!s) cache.set(name, (s = signers.signer(name)));
      return s;
    },
    async file(name, data) {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    async close() {
      await signers.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
