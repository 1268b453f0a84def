/**
 * `npm run sandbox -- --policy <file>`: the demo portal keeps working under a developer's own policy file (its
 * origin is merged into the allowlist and the banner says so), and an invalid policy file stops the sandbox with
 * one line and a non-zero exit code, never a stack trace. The core is the real one, on a copy of the SoftHSM
 * fixture tokens, with real sockets.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxStartError, startSandbox, type Sandbox, type SandboxOptions } from "../../../sandbox/start-sandbox.js";
import { copyFixtureTokens, TOKENS, type TokenCopy } from "../../fixtures/index.js";
import { connect, errorName, type Client } from "../bridge/bridge-harness.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const OWN_PORTAL = "https://portal.example.gov.vn";
const run = promisify(execFile);

let tokens: TokenCopy;
let dir: string;

beforeAll(async () => {
  tokens = await copyFixtureTokens();
  dir = await mkdtemp(join(tmpdir(), "kyso-sandbox-"));
});

afterAll(async () => {
  await tokens.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** The sandbox on the fixture tokens, with free ports and no approval UI (these tests talk to the bridge only). */
function options(policyFile: string, dataDir: string): SandboxOptions {
  return {
    dataDir,
    policyFile,
    modules: [tokens.manifest.modulePath],
    moduleEnv: { SOFTHSM2_CONF: tokens.softhsmConf },
    bridgePorts: { ws: [0], wss: [] },
    approvalUi: false,
  };
}

async function writePolicy(name: string, policy: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof policy === "string" ? policy : JSON.stringify(policy));
  return file;
}

describe("startSandbox with a policy file", () => {
  let sandbox: Sandbox;
  const clients: Client[] = [];
  let policyFile: string;

  beforeAll(async () => {
    policyFile = await writePolicy("own-policy.json", { allowedOrigins: [OWN_PORTAL], developerOrigins: false });
    sandbox = await startSandbox(options(policyFile, join(dir, "data")));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await sandbox.close();
  });

  it("policy file without the demo portal → its origin is added to the allowlist, developer origins on, the file's own origins kept", () => {
    expect(sandbox.portalOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.policy.allowedOrigins).toEqual([OWN_PORTAL, sandbox.portalOrigin]);
    expect(sandbox.policy.developerOrigins).toBe(true);
    // The developer's own token (`modules`): no demo root is made an anchor for it.
    expect(sandbox.policy.trustAnchors).toEqual([]);
  });

  it("the banner names the policy file and says what the sandbox changed in it", () => {
    const line = sandbox.banner.find((l) => l.trimStart().startsWith("Policy:"));
    expect(line).toContain(policyFile);
    expect(line).toContain(`demo portal ${sandbox.portalOrigin} added to allowedOrigins`);
    expect(line).toContain("developerOrigins turned on");
  });

  it("the demo portal's origin lists the tokens through the bridge; another loopback page is still refused", async () => {
    const port = sandbox.core.bridge.ports.ws!;
    const portal = await connect(port, { origin: sandbox.portalOrigin });
    const stranger = await connect(port, { origin: "http://127.0.0.1:1" });
    clients.push(portal, stranger);
    const listed = await portal.call("tokens.list");
    expect("result" in listed && (listed.result as readonly { label: string }[]).map((t) => t.label).sort()).toEqual(Object.values(TOKENS).sort());
    expect(errorName(await stranger.call("tokens.list"))).toBe("origin_not_allowed");
  });
});

describe("startSandbox: invalid policy file", () => {
  it("a file that fails the schema → SandboxStartError, one line listing every problem, nothing started", async () => {
    const file = await writePolicy("bad-policy.json", { allowedOrigins: ["https://a.example/path"], limits: { nope: 1 } });
    const failure = await startSandbox(options(file, join(dir, "bad-data"))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SandboxStartError);
    const message = (failure as Error).message;
    expect(message).not.toContain("\n");
    expect(message).toContain(`invalid policy file ${file}`);
    expect(message).toContain("allowedOrigins.0");
    expect(message).toContain("limits");
  });

  it("a file that is not JSON → SandboxStartError, one line saying so", async () => {
    const file = await writePolicy("not-json.json", "{ allowedOrigins: ");
    const failure = await startSandbox(options(file, join(dir, "bad-data"))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SandboxStartError);
    expect((failure as Error).message).toMatch(/^invalid policy file .*: not JSON: [^\n]+$/);
  });
});

describe("npm run sandbox -- --policy <invalid file>", () => {
  it("a policy file with problems → exit code 2, one line on stderr, no stack trace, nothing started", { timeout: 120_000 }, async () => {
    const file = await writePolicy("cli-policy.json", { allowedOrigins: "https://a.example", developerOrigins: "yes" });
    const outcome = await run(TSX, ["scripts/sandbox.ts", "--policy", file, "--data", join(dir, "cli-data")], { cwd: ROOT }).then(
      () => ({ code: 0, stderr: "", stdout: "" }),
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(outcome.code).toBe(2);
    const lines = outcome.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`sandbox: invalid policy file ${file}: `)).toBe(true);
    expect(lines[0]).toContain("allowedOrigins");
    expect(lines[0]).toContain("developerOrigins");
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
    expect(outcome.stdout).not.toContain("KySo sandbox is running");
  });
});
