/**
 * scripts/setup-system.sh, the system-package preflight shared by `npm run setup`, `npm test` and `.ci/run`, run
 * by the real bash with stubs of dpkg-query, id, sudo and apt-get as the whole PATH: the stubs say which packages
 * are installed and who we are, and record what would have been run. Nothing is installed or removed for real.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SCRIPT = resolve(import.meta.dirname, "../../../scripts/setup-system.sh");
const BASH = "/bin/bash";
const run = promisify(execFile);

/** Packages `apt-get remove` would take away (issue 14's example), plus one removed but with its config left. */
const REMOVED = ["softhsm2", "qpdf", "xmlsec1"];
const CONFIG_ONLY = "poppler-utils";

interface Machine {
  /** Packages dpkg-query reports as not installed at all. */
  readonly missing?: readonly string[];
  /** Packages dpkg-query reports as removed with their configuration files kept. */
  readonly configOnly?: readonly string[];
  readonly uid: number;
  /** Absent: no sudo on PATH. */
  readonly sudo?: "passwordless" | "needs-password";
  /** Absent: no dpkg-query on PATH (not Debian). */
  readonly dpkg?: false;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every stubbed sudo / apt-get call, one line each, with DEBIAN_FRONTEND as apt-get saw it. */
  readonly calls: string[];
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-setup-system-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function stub(name: string, body: string): Promise<void> {
  const file = join(dir, "bin", name);
  await writeFile(file, `#!${BASH}\n${body}\n`);
  await chmod(file, 0o755);
}

/** Runs the script on a machine made of stubs; only bash builtins and the stubs are reachable. */
async function runOn(machine: Machine, args: readonly string[] = []): Promise<Outcome> {
  await mkdir(join(dir, "bin"));
  const calls = join(dir, "calls.log");
  if (machine.dpkg !== false) {
    // dpkg-query -W -f=<format> pkg...: installed ones as "<name> install ok installed", never-installed ones not at all.
    await stub(
      "dpkg-query",
      `status=0
for p in "$@"; do
  [[ $p == -* ]] && continue
  if [[ " $FAKE_MISSING " == *" $p "* ]]; then echo "dpkg-query: no packages found matching $p" >&2; status=1
  elif [[ " $FAKE_CONFIG_ONLY " == *" $p "* ]]; then echo "$p deinstall ok config-files"
  else echo "$p install ok installed"; fi
done
exit $status`,
    );
  }
  await stub("id", `[[ $1 == -u ]] && echo "$FAKE_UID"`);
  await stub("apt-get", `echo "apt-get $* (DEBIAN_FRONTEND=$DEBIAN_FRONTEND)" >> "$FAKE_CALLS"`);
  if (machine.sudo) {
    await stub(
      "sudo",
      `echo "sudo $*" >> "$FAKE_CALLS"
[[ $FAKE_SUDO == passwordless ]] || exit 1
# sudo -n env VAR=value cmd...: run the (stubbed) command the way sudo would.
shift
if [[ $1 == env ]]; then shift; export "$1"; shift; "$@"; fi`,
    );
  }
  const env = {
    PATH: join(dir, "bin"),
    FAKE_MISSING: (machine.missing ?? []).join(" "),
    FAKE_CONFIG_ONLY: (machine.configOnly ?? []).join(" "),
    FAKE_UID: String(machine.uid),
    FAKE_SUDO: machine.sudo ?? "",
    FAKE_CALLS: calls,
  };
  const outcome = await run(BASH, [SCRIPT, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  const log = await readFile(calls, "utf8").catch(() => "");
  return { ...outcome, calls: log.split("\n").filter(Boolean) };
}

async function packageList(): Promise<string[]> {
  const { stdout } = await run(BASH, [SCRIPT, "--list"]);
  return stdout.trim().split("\n");
}

describe("setup-system.sh", () => {
  it("lists every package once, including the build tools npm ci needs and the ones the tests need", async () => {
    const list = await packageList();
    expect(new Set(list).size).toBe(list.length);
    for (const p of ["g++", "make", "python3", ...REMOVED, "chromium", "openjdk-17-jdk-headless"]) expect(list).toContain(p);
  });

  it("all packages present, not root → no action: no output, exit 0, neither sudo nor apt-get called", async () => {
    const outcome = await runOn({ uid: 1000, sudo: "passwordless" });
    expect(outcome).toEqual({ code: 0, stdout: "", stderr: "", calls: [] });
  });

  it("missing packages, not root, no sudo → one message listing them and the command to run, exit 1, nothing run", async () => {
    const outcome = await runOn({ uid: 1000, missing: REMOVED, configOnly: [CONFIG_ONLY] });
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe("");
    const lines = outcome.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const missing = (await packageList()).filter((p) => REMOVED.includes(p) || p === CONFIG_ONLY);
    expect(lines[0]).toContain(`missing packages: ${missing.join(" ")}.`);
    expect(lines[0]).toContain(`apt-get install -y --no-install-recommends ${missing.join(" ")}`);
    expect(outcome.calls).toEqual([]);
  });

  it("missing packages, not root, sudo asks for a password → the same one message, exit 1, no apt-get", async () => {
    const outcome = await runOn({ uid: 1000, missing: REMOVED, sudo: "needs-password" });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(outcome.stderr).toContain("missing packages: softhsm2");
    expect(outcome.calls).toEqual(["sudo -n true"]);
  });

  it("missing packages as root → apt-get update, then install of exactly the missing ones, non-interactive", async () => {
    const outcome = await runOn({ uid: 0, missing: REMOVED, configOnly: [CONFIG_ONLY] });
    expect(outcome.code).toBe(0);
    const missing = (await packageList()).filter((p) => REMOVED.includes(p) || p === CONFIG_ONLY);
    expect(outcome.calls).toEqual([
      "apt-get update -qq (DEBIAN_FRONTEND=noninteractive)",
      `apt-get install -y -qq --no-install-recommends ${missing.join(" ")} (DEBIAN_FRONTEND=noninteractive)`,
    ]);
  });

  it("missing packages, password-less sudo → the same apt-get calls through sudo -n", async () => {
    const outcome = await runOn({ uid: 1000, missing: ["qpdf"], sudo: "passwordless" });
    expect(outcome.code).toBe(0);
    expect(outcome.calls).toEqual([
      "sudo -n true",
      "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
      "apt-get update -qq (DEBIAN_FRONTEND=noninteractive)",
      "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qpdf",
      "apt-get install -y -qq --no-install-recommends qpdf (DEBIAN_FRONTEND=noninteractive)",
    ]);
  });

  it("--check with missing packages → lists them, installs nothing, exit 1, even as root", async () => {
    const outcome = await runOn({ uid: 0, missing: ["qpdf"] }, ["--check"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("missing packages: qpdf.");
    expect(outcome.calls).toEqual([]);
  });

  it("no dpkg-query (not Debian/Ubuntu) → one line saying so, exit 0, nothing run", async () => {
    const outcome = await runOn({ uid: 1000, dpkg: false });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(outcome.calls).toEqual([]);
  });
});
