/**
 * The packaged app, as electron-builder lays it out, checked on this machine where no Electron binary can be
 * downloaded: `--linux dir` packs a stand-in Electron folder (KYSO_PACKAGE_STANDIN=1 skips the fuse step, which
 * needs the real binary; the fuse choices are checked below on their own). The release workflow packs the real
 * Electron and smoke-tests the installed app on Windows, macOS and Linux runners.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

describe("per-machine installer scripts (deb/rpm, NSIS, pkg)", () => {
  const text = (path: string) => readFileSync(join(ROOT, path), "utf8");

  it("the machine step is in the package (the installers run `kyso --machine-install` / `--machine-uninstall`)", () => {
    for (const entry of ["/dist/main/electron/machine-command.js", "/dist/main/core/deploy/machine-install.js", "/dist/main/core/deploy/browser-policy-writer.js", "/dist/main/core/bridge/local-tls/machine-certificate.js"]) {
      expect(asarEntries).toContain(entry);
    }
  });

  it("deb and rpm: postinst runs the machine install, prerm (fpm --before-remove) the uninstall only on removal, postrm cleans up; all valid sh", () => {
    // The deb: and rpm: sections each name the three scripts (no YAML parser among the dependencies).
    const yml = text("electron-builder.yml");
    for (const target of ["deb", "rpm"]) {
      const section = new RegExp(`^${target}:\\n((?:  .*\\n|\\s*#.*\\n)+)`, "m").exec(yml)?.[1] ?? "";
      expect(section, target).toContain("afterInstall: build/linux/after-install.sh");
      expect(section, target).toContain("afterRemove: build/linux/after-remove.sh");
      expect(section, target).toMatch(/fpm:\n\s+- --before-remove=build\/linux\/before-remove\.sh/);
    }
    for (const script of ["build/linux/after-install.sh", "build/linux/before-remove.sh", "build/linux/after-remove.sh", "build/pkg-scripts/postinstall"]) {
      expect(spawnSync("sh", ["-n", join(ROOT, script)]).status, script).toBe(0);
      // electron-builder expands ${name} in after-install/after-remove and fails on an unknown one.
      expect(text(script), script).not.toMatch(/\$\{[a-zA-Z]+\}/);
    }
    const postinst = text("build/linux/after-install.sh");
    expect(postinst).toContain('"$APP_DIR/kyso" --machine-install --no-sandbox --ozone-platform=headless');
    expect(postinst).toContain("/etc/xdg/autostart/kyso.desktop");
    const prerm = text("build/linux/before-remove.sh");
    expect(prerm).toMatch(/remove\|0\)\s+if \[ -x "\$APP_DIR\/kyso" \]; then\s+"\$APP_DIR\/kyso" --machine-uninstall/);
    const postrm = text("build/linux/after-remove.sh");
    for (const needle of ["upgrade|1) exit 0", "rm -f /etc/xdg/autostart/kyso.desktop", "rm -rf /var/lib/kyso", "pkill -x kyso"]) expect(postrm).toContain(needle);
  });

  it("NSIS per machine: locked ProgramData\\KySo, machine install; uninstall undoes it except on update; macOS pkg postinstall", () => {
    const nsis = text("build/installer.nsh");
    expect(nsis).toContain("icacls \"$0\\KySo\" /inheritance:r");
    expect(nsis).toContain("ExecWait '\"$INSTDIR\\KySo.exe\" --machine-install'");
    expect(nsis).toMatch(/\$\{ifNot\} \$\{isUpdated\}[\s\S]*--machine-uninstall/);
    expect(/^pkg:\n(?: {2}.*\n)* {2}scripts: build\/pkg-scripts$/m.test(text("electron-builder.yml"))).toBe(true);
    expect(text("build/pkg-scripts/postinstall")).toContain('"$APP" --machine-install');
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
