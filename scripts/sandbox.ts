/**
 * `npm run sandbox` — KySo for portal developers without hardware (sandbox/start-sandbox.ts does the work):
 *
 *   npm run sandbox                                      demo SoftHSM tokens (PIN 1234), made on first run
 *   npm run sandbox -- --module <path> --policy <file>   your own PKCS#11 module and policy file
 *   npm run sandbox -- --remote                          also remote signing accounts (local test server, one per dialect)
 *
 * Data lives in .kyso-sandbox/ (gitignored). Bad arguments stop it with the usage; an invalid policy file or a
 * failed start with one line naming the problem. Either way exit code 2 and no stack trace.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { readSandboxPolicyFile, SandboxStartError } from "../sandbox/sandbox-policy.js";

const USAGE = `Usage: npm run sandbox [-- --module <pkcs11-module-path>] [--policy <policy.json>] [--data <dir>] [--remote]

  --module <path>   load this PKCS#11 module instead of the demo SoftHSM tokens (repeatable)
  --policy <file>   machine policy file (allowlisted origins, trust anchors, limits); see docs/policy.md.
                    The demo portal's origin is added to its allowlist (the banner says so).
  --data <dir>      data folder (default .kyso-sandbox)
  --remote          also start the local remote-signing server (CSC, VNPT SmartCA, NEAC, Viettel MySign) on
                    127.0.0.1 with one account per dialect; the phone is played with curl (the banner says how)
`;

/** Exit code for anything that stops the sandbox before it runs. */
const EXIT_REFUSED = 2;

function stop(message: string, withUsage: boolean): never {
  process.stderr.write(`sandbox: ${message}\n${withUsage ? `\n${USAGE}` : ""}`);
  process.exit(EXIT_REFUSED);
}

function parseArguments(): { modules: string[]; policyFile?: string; dataDir: string; remote: boolean } {
  let values: { module?: string[]; policy?: string; data?: string; help?: boolean; remote?: boolean };
  try {
    ({ values } = parseArgs({
      options: { module: { type: "string", multiple: true }, policy: { type: "string" }, data: { type: "string" }, remote: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    stop((error as Error).message, true);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const modules = (values.module ?? []).map((m) => resolve(m));
  for (const module of modules) if (!existsSync(module)) stop(`--module ${module}: no such file`, true);
  if (values.policy !== undefined && !existsSync(values.policy)) stop(`--policy ${values.policy}: no such file`, false);
  return { modules, ...(values.policy ? { policyFile: resolve(values.policy) } : {}), dataDir: resolve(values.data ?? ".kyso-sandbox"), remote: values.remote ?? false };
}

async function main(): Promise<void> {
  const args = parseArguments();
  // A bad policy file fails here, in a moment, before the core's modules are even loaded.
  if (args.policyFile) readSandboxPolicyFile(args.policyFile);
  const { startSandbox } = await import("../sandbox/start-sandbox.js");
  const sandbox = await startSandbox({
    dataDir: args.dataDir,
    modules: args.modules,
    remote: args.remote,
    ...(args.policyFile ? { policyFile: args.policyFile } : {}),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(["", ...sandbox.banner, "Press Ctrl+C to stop.", ""].join("\n"));
  const shutdown = async (): Promise<void> => {
    await sandbox.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  // Every start failure is already one line (SandboxStartError); anything else is shown as one line too.
  const message = error instanceof SandboxStartError ? error.message : `unexpected error: ${String((error as Error)?.message ?? error).split("\n")[0]}`;
  stop(message, false);
});
