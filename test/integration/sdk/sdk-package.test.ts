/**
 * The published `@kyso/sdk` package: `npm pack` in sdk/ runs the `prepack` build (root tsc, sdk config, into
 * sdk/dist) and ships the compiled ES modules with their declarations — no TypeScript source, tests or source maps.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const SDK_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "sdk");

interface PackResult {
  readonly name: string;
  readonly version: string;
  readonly files: readonly { readonly path: string }[];
}

describe("@kyso/sdk package", () => {
  it("npm pack ships index/protocol/errors JS + .d.ts, README and CHANGELOG, and no source, test or map files", async () => {
    // npm writes the prepack script's output to stderr when --json is given; stdout is the JSON alone.
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json"], { cwd: SDK_DIR, maxBuffer: 8 * 1024 * 1024 });
    const [pack] = JSON.parse(stdout) as PackResult[];
    const manifest = JSON.parse(readFileSync(join(SDK_DIR, "package.json"), "utf8")) as { version: string };
    expect(pack).toMatchObject({ name: "@kyso/sdk", version: manifest.version });
    const paths = pack!.files.map((f) => f.path);
    for (const file of ["index", "protocol", "verify-report", "wire-errors", "errors", "client", "retry"]) {
      expect(paths).toContain(`dist/${file}.js`);
      expect(paths).toContain(`dist/${file}.d.ts`);
    }
    expect(paths).toEqual(expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md"]));
    const junk = paths.filter((p) => /\.map$|\.test\.|\.spec\.|(^|\/)test\/|(^|\/)src\/|\.tsbuildinfo$|(?<!\.d)\.ts$/.test(p));
    expect(junk).toEqual([]);
  }, 120_000);

  it("the built entry point loads as an ES module and exports the public API", async () => {
    // The first test's prepack left sdk/dist in place (vitest runs a file's tests in order).
    const sdk = (await import(pathToFileURL(join(SDK_DIR, "dist", "index.js")).href)) as Record<string, unknown>;
    for (const name of ["connect", "connectWithRetry", "KysoSdkError", "KysoError", "ConnectionClosedError", "CallTimeoutError", "RequestError", "OriginNotAllowedError", "DEFAULT_PORTS", "CLOSE_CODES", "WIRE_ERRORS", "ERROR_CODES"]) {
      expect(sdk[name], name).toBeDefined();
    }
    expect(sdk.KysoError).toBe(sdk.KysoSdkError);
  });
});
