/**
 * The Linux desktop entry the deb/rpm packages install, rendered by electron-builder's own LinuxTargetHelper from
 * electron-builder.yml (the `--linux dir` build of package-layout.test.ts writes no .desktop file, and deb/rpm
 * need fpm, which this machine cannot download): "Open with KySo" for PDFs, the kyso:// handler and the
 * "Sign with KySo" action that hands the files to the app (main/electron/opened-files-argv.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { SIGN_FILES_ARG } from "../../../main/electron/opened-files-argv.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
// electron-builder's own modules, resolved from electron-builder itself (not dependencies of KySo).
const builderRequire = createRequire(createRequire(import.meta.url).resolve("electron-builder"));

interface LinuxConfig {
  readonly executableName: string;
  readonly fileAssociations?: unknown[];
}
interface BuilderConfig {
  readonly productName: string;
  readonly fileAssociations?: unknown[];
  readonly linux: LinuxConfig;
}

async function desktopEntry(): Promise<string> {
  const yaml = builderRequire("js-yaml") as { load(text: string): unknown };
  const { LinuxTargetHelper } = builderRequire("app-builder-lib/out/targets/LinuxTargetHelper.js") as {
    LinuxTargetHelper: new (packager: unknown) => { computeDesktopEntry(options: unknown): Promise<string> };
  };
  const config = yaml.load(readFileSync(`${ROOT}electron-builder.yml`, "utf8")) as BuilderConfig;
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { description: string };
  const packager = {
    appInfo: { productName: config.productName, sanitizedProductName: config.productName, description: manifest.description },
    executableName: config.linux.executableName,
    info: { metadata: { ...manifest, desktopName: "kyso.desktop" } },
    fileAssociations: [...(config.fileAssociations ?? []), ...(config.linux.fileAssociations ?? [])],
    config,
    platformSpecificBuildOptions: config.linux,
  };
  return new LinuxTargetHelper(packager).computeDesktopEntry(config.linux);
}

function section(entry: string, name: string): Record<string, string> {
  const body = entry.split(/^\[/m).find((part) => part.startsWith(`${name}]`)) ?? "";
  return Object.fromEntries(
    body
      .split("\n")
      .slice(1)
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("Linux desktop entry (deb/rpm)", () => {
  it("registers application/pdf and kyso://, with a 'Sign with KySo' action passing the files to the installed app", async () => {
    const entry = await desktopEntry();
    const main = section(entry, "Desktop Entry");
    expect(main.MimeType!.split(";")).toEqual(expect.arrayContaining(["application/pdf", "x-scheme-handler/kyso"]));
    expect(main.Exec).toBe("/opt/KySo/kyso %U");
    expect(main.Actions).toBe("SignWithKySo;");
    const action = section(entry, "Desktop Action SignWithKySo");
    expect(action.Name).toBe("Sign with KySo");
    expect(action["Name[vi]"]).toBe("Ký bằng KySo");
    expect(action.Exec).toBe(`/opt/KySo/kyso ${SIGN_FILES_ARG} %F`);
  });
});
