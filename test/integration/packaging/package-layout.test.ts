/**
 * The packaged app, as electron-builder lays it out, checked on this machine where no Electron binary can be
 * downloaded: `--linux dir` packs a stand-in Electron folder (KYSO_PACKAGE_STANDIN=1 skips the fuse step, which
 * needs the real binary; the fuse choices are checked below on their own). The release workflow packs the real
 * Electron and smoke-tests the installed app on Windows, macOS and Linux runners.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listPackage } from "@electron/asar";
import { FuseV1Options } from "@electron/fuses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const ROOT = new URL("../../../", import.meta.url).pathname;
let work: string;
let app: string;
let asarEntries: string[];

function run(command: string, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kyso-package-"));
  const standIn = join(work, "electron-standin");
  await mkdir(join(standIn, "resources"), { recursive: true });
  await writeFile(join(standIn, "electron"), "#!/bin/sh\necho stand-in\n");
  await chmod(join(standIn, "electron"), 0o755);
  run("node", ["scripts/build.mjs"]);
  run("npx", ["electron-builder", "--linux", "dir", `-c.electronDist=${standIn}`, `-c.directories.output=${join(work, "release")}`], { KYSO_PACKAGE_STANDIN: "1" });
  app = join(work, "release", "linux-unpacked");
  asarEntries = listPackage(join(app, "resources", "app.asar"), { isPack: false }).map((entry) => entry.replaceAll("\\", "/"));
}, 900_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("packaged layout (electron-builder --linux dir)", () => {
  it("the executable is named kyso and the app is in an ASAR", () => {
    expect(existsSync(join(app, "kyso"))).toBe(true);
    for (const entry of ["/package.json", "/dist/main/electron/main.js", "/dist/preload/preload.cjs", "/dist/renderer/index.html", "/dist/main/core/signing/worker/document-worker.js"]) {
      expect(asarEntries).toContain(entry);
    }
  });

  it("the token host and pkcs11js are real files beside the ASAR (a process and a native addon cannot load from it)", () => {
    const unpacked = join(app, "resources", "app.asar.unpacked");
    expect(existsSync(join(unpacked, "dist", "native", "host", "host-main.js"))).toBe(true);
    expect(existsSync(join(unpacked, "node_modules", "pkcs11js", "build", "Release", "pkcs11.node"))).toBe(true);
  });

  it("no test code, fixtures, sources, source maps, SDK build or dev dependencies are shipped", async () => {
    const offenders = asarEntries.filter(
      (entry) =>
        /(^|\/)(test|fixtures|sandbox)\//.test(entry.replace(/^\/node_modules\/.*/, "")) ||
        /\.map$/.test(entry) ||
        (/\.tsx?$/.test(entry) && !entry.endsWith(".d.ts")) ||
        entry.startsWith("/dist/sdk/"),
    );
    expect(offenders).toEqual([]);
    const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    const shippedModules = new Set(asarEntries.filter((e) => e.startsWith("/node_modules/")).map((e) => e.split("/").slice(2, e.split("/")[2]!.startsWith("@") ? 4 : 3).join("/")));
    const devShipped = Object.keys(manifest.devDependencies).filter((name) => shippedModules.has(name));
    expect(devShipped).toEqual([]);
  });
});

describe("fuses (build/fuses.cjs)", () => {
  const { kysoFuses } = require(join(ROOT, "build", "fuses.cjs")) as { kysoFuses: () => Record<string, unknown> };
  const fuses = kysoFuses();

  it("decides every fuse this @electron/fuses knows (strictlyRequireAllFuses)", () => {
    expect(fuses.strictlyRequireAllFuses).toBe(true);
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === "number");
    for (const fuse of known) expect(typeof fuses[String(fuse)], FuseV1Options[fuse]).toBe("boolean");
  });

  it("runs only KySo's own code: no run-as-node, NODE_OPTIONS or inspector; ASAR only and integrity-checked", () => {
    expect(fuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(true);
  });
});
