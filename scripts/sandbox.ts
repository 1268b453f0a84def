/**
 * `npm run sandbox` — KySo for portal developers without hardware:
 *
 *   npm run sandbox                                  demo SoftHSM tokens (PIN 1234), made on first run
 *   npm run sandbox -- --module <path> --policy <file>   your own PKCS#11 module and policy file
 *
 * Starts the real core (bridge listeners on the documented ports), a demo portal page exercising every method,
 * and the real approval UI in the browser through the test transport (loopback, random secret in the URL).
 * Data lives in .kyso-sandbox/ (gitignored). It never loads a token module unless asked: the driver catalogue
 * is not searched. Bad arguments or an invalid policy file stop it with a message and exit code 2.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createCore, type KysoCore } from "../main/core/kyso-core.js";
import { loadPolicy, PolicyFileError } from "../main/core/policy/load-policy.js";
import { policySchema, type KysoPolicy } from "../main/core/policy/policy-schema.js";
import { forkSpawner } from "../main/core/tokens/host-spawner.js";
import { startPortalServer } from "../sandbox/portal/serve-portal.js";

const USAGE = `Usage: npm run sandbox [-- --module <pkcs11-module-path>] [--policy <policy.json>] [--data <dir>]

  --module <path>   load this PKCS#11 module instead of the demo SoftHSM tokens (repeatable)
  --policy <file>   machine policy file (allowlisted origins, trust anchors, limits); see docs/policy.md
  --data <dir>      data folder (default .kyso-sandbox)
`;

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseArguments(): { modules: string[]; policyFile?: string; dataDir: string } {
  let values: { module?: string[]; policy?: string; data?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { module: { type: "string", multiple: true }, policy: { type: "string" }, data: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const modules = (values.module ?? []).map((m) => resolve(m));
  for (const module of modules) if (!existsSync(module)) fail(`--module ${module}: no such file`);
  if (values.policy !== undefined && !existsSync(values.policy)) fail(`--policy ${values.policy}: no such file`);
  return { modules, ...(values.policy ? { policyFile: resolve(values.policy) } : {}), dataDir: resolve(values.data ?? ".kyso-sandbox") };
}

/** The demo tokens: the test fixture PKI and two SoftHSM tokens, built once into the data folder. */
async function demoTokens(dataDir: string): Promise<{ module: string; softhsmConf: string }> {
  const dir = join(dataDir, "demo-tokens");
  const { makeFixtures } = await import("../test/fixtures/make-fixtures.js");
  const { loadManifest } = await import("../test/fixtures/index.js");
  if (!existsSync(join(dir, "manifest.json"))) {
    process.stdout.write("sandbox: provisioning the SoftHSM demo tokens (first run)...\n");
    await makeFixtures(dir);
  }
  const manifest = await loadManifest(dir);
  return { module: manifest.modulePath, softhsmConf: manifest.softhsmConf };
}

async function main(): Promise<void> {
  const args = parseArguments();
  let filePolicy: KysoPolicy | undefined;
  try {
    filePolicy = args.policyFile ? loadPolicy(args.policyFile) : undefined;
  } catch (error) {
    if (error instanceof PolicyFileError) fail(error.message);
    throw error;
  }
  await mkdir(args.dataDir, { recursive: true });

  const portal = await startPortalServer();
  const portalOrigin = `http://127.0.0.1:${portal.port}`;
  // Without a policy file: the demo portal (a loopback http page) is a developer origin, allowlisted.
  const policy = filePolicy ?? policySchema.parse({ developerOrigins: true, allowedOrigins: [portalOrigin] });

  let env: Record<string, string> = {};
  let modules = args.modules;
  if (modules.length === 0) {
    const demo = await demoTokens(args.dataDir);
    modules = [demo.module];
    env = { SOFTHSM2_CONF: demo.softhsmConf };
  }

  let core: KysoCore;
  try {
    core = createCore({ dataDir: join(args.dataDir, "core"), policy, ...(filePolicy && args.policyFile ? { policyFile: args.policyFile } : {}), modules, catalogue: false, spawner: forkSpawner({ env }), language: "vi" });
    await core.start();
  } catch (error) {
    await portal.close();
    fail(`could not start the core: ${(error as Error).message}`);
  }

  let approvalUrl = "(the approval UI transport is not available in this tree: approve through core.handlers)";
  let closeTransport = async (): Promise<void> => undefined;
  try {
    const { startTestTransport } = await import("../test/transport/start-test-transport.js");
    const transport = await startTestTransport({ core });
    approvalUrl = `${transport.url}#/approval`;
    closeTransport = () => transport.close();
  } catch (error) {
    approvalUrl = `(approval UI unavailable: ${(error as Error).message})`;
  }

  const ports = core.bridge.ports;
  process.stdout.write(
    [
      "",
      "KySo sandbox is running.",
      `  Demo portal:   ${portal.url}?ports=${encodeURIComponent(JSON.stringify({ ws: [ports.ws], wss: [ports.wss] }))}`,
      `  Approval UI:   ${approvalUrl}`,
      `  Bridge:        ws://127.0.0.1:${ports.ws}/   wss://127.0.0.1:${ports.wss}/`,
      `  Local CA:      ${join(args.dataDir, "core", "tls", "ca.pem")}  (trust it for wss: certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "KySo Local CA" -i <ca.pem>)`,
      `  Tokens:        ${args.modules.length > 0 ? modules.join(", ") : "SoftHSM demo tokens, user PIN 1234"}`,
      `  Policy:        ${args.policyFile ?? `built-in (allowlist ${portalOrigin}, developer origins on)`}`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );

  const stop = async (): Promise<void> => {
    await closeTransport();
    await core.close();
    await portal.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

void main();
