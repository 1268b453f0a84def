/**
 * Where the machine policy comes from. Admins put it where only they can write (docs/admin.md), and the first place
 * that has one wins, as browsers do with their own policies:
 *
 * - Windows: `HKLM\Software\Policies\KySo` (Group Policy's home), then `%ProgramData%\KySo\policy.json`;
 * - macOS: `/Library/Managed Preferences/vn.kyso.app.plist` (a configuration profile), then
 *   `/Library/Application Support/KySo/policy.json`;
 * - Linux: `/etc/kyso/policy.json`.
 *
 * `KYSO_POLICY_FILE` is read only by development builds: in a packaged app any user could unset or replace it and
 * so escape the organisation's policy.
 *
 * A place that has a policy which does not validate is an answer too ("invalid"), never a reason to look further:
 * falling back to the next place, or to no policy, would silently widen what the machine allows.
 */
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { MAX_POLICY_FILE_BYTES, PolicyFileError, parsePolicy } from "./load-policy.js";
import { defaultPolicy, type KysoPolicy } from "./policy-schema.js";
import { registryPolicy, REGISTRY_KEY } from "./windows-registry.js";
import { plistPolicy } from "./macos-plist.js";

export type PolicySourceKind = "registry" | "managed-preferences" | "file" | "environment";

export interface PolicyLocation {
  readonly kind: PolicySourceKind;
  /** Registry key or file path, as diagnostics shows it. */
  readonly location: string;
}

export type MachinePolicy =
  | { readonly status: "none"; readonly policy: KysoPolicy; readonly searched: readonly PolicyLocation[] }
  | { readonly status: "loaded"; readonly policy: KysoPolicy; readonly source: PolicyLocation; readonly text: string }
  | { readonly status: "invalid"; readonly source: PolicyLocation; readonly problems: readonly string[]; readonly text?: string };

/** What discovery may touch on the machine; tests pass recorded answers instead of the real system. */
export interface MachineAccess {
  /** The file's text, or undefined when it does not exist. Throws for a file that exists but cannot be read. */
  readFile(path: string): string | undefined;
  /** A command's standard output, or undefined when it exits non-zero (e.g. `reg query` of an absent key). */
  run(command: string, args: readonly string[]): string | undefined;
}

export interface DiscoveryOptions {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Development (unpackaged) build: KYSO_POLICY_FILE is honoured, ahead of the machine places. */
  readonly development: boolean;
  readonly access?: MachineAccess;
}

export function policyLocations(options: Pick<DiscoveryOptions, "platform" | "env" | "development">): PolicyLocation[] {
  const places: PolicyLocation[] = [];
  const fromEnv = options.env.KYSO_POLICY_FILE;
  if (options.development && fromEnv) places.push({ kind: "environment", location: fromEnv });
  switch (options.platform) {
    case "win32":
      places.push({ kind: "registry", location: REGISTRY_KEY });
      places.push({ kind: "file", location: join(options.env.ProgramData ?? "C:\\ProgramData", "KySo", "policy.json").replaceAll("/", "\\") });
      break;
    case "darwin":
      places.push({ kind: "managed-preferences", location: "/Library/Managed Preferences/vn.kyso.app.plist" });
      places.push({ kind: "file", location: "/Library/Application Support/KySo/policy.json" });
      break;
    default:
      places.push({ kind: "file", location: "/etc/kyso/policy.json" });
  }
  return places;
}

/** The first place that holds a policy decides; see the file comment for why an invalid one does not fall through. */
export function discoverMachinePolicy(options: DiscoveryOptions): MachinePolicy {
  const access = options.access ?? systemAccess();
  const searched = policyLocations(options);
  for (const place of searched) {
    let text: string | undefined;
    try {
      text = readPlace(place, access, options.env);
    } catch (error) {
      const problems = error instanceof PolicyFileError ? error.problems : [`cannot read: ${(error as Error).message}`];
      return { status: "invalid", source: place, problems };
    }
    if (text === undefined) continue;
    try {
      return { status: "loaded", policy: parsePolicy(text, place.location), source: place, text };
    } catch (error) {
      if (error instanceof PolicyFileError) return { status: "invalid", source: place, problems: error.problems, text };
      throw error;
    }
  }
  return { status: "none", policy: defaultPolicy(), searched };
}

/** A place's policy as JSON text (the registry and plist forms are converted), or undefined when it has none. */
function readPlace(place: PolicyLocation, access: MachineAccess, env: DiscoveryOptions["env"]): string | undefined {
  switch (place.kind) {
    case "registry": {
      const output = access.run("reg", ["query", place.location, "/s"]);
      return output === undefined ? undefined : registryPolicy(output, env);
    }
    case "managed-preferences": {
      if (access.readFile(place.location) === undefined) return undefined;
      // Profiles install binary plists; plutil (always on macOS) turns any plist into XML for the reader.
      const xml = access.run("plutil", ["-convert", "xml1", "-o", "-", place.location]);
      if (xml === undefined) throw new Error("plutil could not read the managed preferences");
      return plistPolicy(xml);
    }
    case "file":
    case "environment":
      return access.readFile(place.location);
  }
}

export function systemAccess(): MachineAccess {
  return {
    readFile(path) {
      try {
        const bytes = readFileSync(path);
        if (bytes.length > MAX_POLICY_FILE_BYTES) throw new Error(`larger than ${MAX_POLICY_FILE_BYTES} bytes`);
        return bytes.toString("utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
        throw error;
      }
    },
    run(command, args) {
      try {
        return execFileSync(command, [...args], { encoding: "utf8", timeout: 10_000, windowsHide: true, stdio: ["ignore", "pipe", "ignore"], maxBuffer: MAX_POLICY_FILE_BYTES * 2 });
      } catch {
        return undefined;
      }
    },
  };
}

/** One line for the tray, the sandbox and logs: where the policy came from, or why there is none in force. */
export function describeMachinePolicy(result: MachinePolicy): string {
  switch (result.status) {
    case "none":
      return `no machine policy (searched ${result.searched.map((p) => p.location).join(", ")})`;
    case "loaded":
      return `machine policy from ${result.source.location}`;
    case "invalid":
      return `invalid machine policy ${result.source.location}: ${result.problems.join("; ")}`;
  }
}
