/**
 * KySo for portal developers without hardware (`npm run sandbox`, scripts/sandbox.ts is its command line): the real
 * core with its bridge listeners, the demo portal page exercising every method, and the real approval UI served
 * to a browser through the browser transport (loopback, random secret in the URL). Tokens are the SoftHSM demo
 * tokens, built once into the data folder, unless modules are given; the driver catalogue is never searched.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BridgePorts } from "../main/core/bridge/bridge.js";
import { createCore, type KysoCore } from "../main/core/kyso-core.js";
import type { KysoPolicy } from "../main/core/policy/policy-schema.js";
import { forkSpawner } from "../main/core/tokens/host-spawner.js";
import { startBrowserTransport } from "./browser-transport/start-browser-transport.js";
import { createStandInFileDialogs } from "./browser-transport/stand-in-file-dialogs.js";
import { ensureDemoTokens } from "./demo-tokens/provision-tokens.js";
import { USER_PIN } from "./demo-tokens/token-spec.js";
import { startPortalServer, type PortalServer } from "./portal/serve-portal.js";
import { startRemoteSandbox, type RemoteSandbox } from "./remote-server/start-remote-sandbox.js";
import { readSandboxPolicyFile, SandboxStartError, sandboxPolicy, withDemoRoot, withRemoteAccounts } from "./sandbox-policy.js";

export { SandboxStartError } from "./sandbox-policy.js";

export interface SandboxOptions {
  /** Demo tokens, the core's settings, pairings, audit log and local CA live here. */
  readonly dataDir: string;
  /** PKCS#11 modules to load instead of the demo tokens. */
  readonly modules?: readonly string[];
  /** Extra environment for the token hosts of `modules` (e.g. SOFTHSM2_CONF for a SoftHSM token of your own). */
  readonly moduleEnv?: Readonly<Record<string, string>>;
  /** A machine policy file; the demo portal's origin is added to its allowlist. */
  readonly policyFile?: string;
  /** Bridge listener ports (default: the policy's, then the documented ones); `[0]` = any free port. */
  readonly bridgePorts?: Partial<BridgePorts>;
  /** Serve the approval UI through the browser transport (builds the renderer when stale). Default true. */
  readonly approvalUi?: boolean;
  /**
   * Also start the local remote-signing server (sandbox/remote-server) with one account per dialect (CSC, VNPT
   * SmartCA, NEAC, Viettel MySign), signing with a demo token key; the banner says how to play the phone.
   */
  readonly remote?: boolean;
  /** Progress lines (first-run provisioning). */
  readonly log?: (line: string) => void;
}

export interface Sandbox {
  readonly core: KysoCore;
  readonly portal: PortalServer;
  /** `http://127.0.0.1:PORT`, allowlisted in `policy`. */
  readonly portalOrigin: string;
  /** The policy the core runs under (the file's, with the demo portal added). */
  readonly policy: KysoPolicy;
  /** What the developer needs: URLs, ports, tokens, and where the policy came from and what the sandbox changed. */
  readonly banner: readonly string[];
  /** With `remote`: the local remote-signing server (its `phone` hook is what the developer's curl sets). */
  readonly remote?: RemoteSandbox;
  close(): Promise<void>;
}

/** Starts everything or nothing: on a failure, what already started is closed and a SandboxStartError thrown. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  // Read first: an invalid policy stops the sandbox before anything listens.
  const filePolicy = options.policyFile ? { path: options.policyFile, policy: readSandboxPolicyFile(options.policyFile) } : undefined;
  await mkdir(options.dataDir, { recursive: true });

  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const portal = await startPortalServer();
    closers.push(() => portal.close());
    const portalOrigin = `http://127.0.0.1:${portal.port}`;
    let sandbox = sandboxPolicy(portalOrigin, filePolicy);

    const ownModules = options.modules ?? [];
    let modules: readonly string[] = ownModules;
    let env: Readonly<Record<string, string>> = options.moduleEnv ?? {};
    let remote: RemoteSandbox | undefined;
    if (ownModules.length === 0 || options.remote) {
      const demo = await ensureDemoTokens(join(options.dataDir, "demo-tokens"), () =>
        options.log?.("sandbox: provisioning the SoftHSM demo tokens (first run)..."),
      ).catch((error: unknown) => {
        // Most often a fresh machine without SoftHSM, OpenSC or OpenSSL: say which command installs them.
        throw new SandboxStartError(`could not provision the demo tokens (${(error as Error).message}); \`npm run setup\` installs SoftHSM, OpenSC and OpenSSL`, { cause: error });
      });
      if (ownModules.length === 0) {
        modules = [demo.modulePath];
        env = { SOFTHSM2_CONF: demo.softhsmConf };
      }
      // The remote accounts' certificates chain to the demo root too: it is an anchor whenever they are on.
      if (ownModules.length === 0 || options.remote) sandbox = withDemoRoot(sandbox, await readFile(demo.pki.rootPem, "utf8"));
      if (options.remote) {
        const started = await startRemoteSandbox(demo);
        remote = started;
        closers.push(() => started.close());
        sandbox = withRemoteAccounts(sandbox, started.providers);
      }
    }

    const { policy, description } = sandbox;
    const core = createCore({
      dataDir: join(options.dataDir, "core"),
      policy,
      modules,
      catalogue: false,
      spawner: forkSpawner({ env }),
      language: "vi",
      // "Sign files" in the browser: the stand-in dialog answers from KYSO_SANDBOX_FILES_DIR (no folder: cancelled).
      fileDialogs: createStandInFileDialogs(process.env.KYSO_SANDBOX_FILES_DIR ? { folder: process.env.KYSO_SANDBOX_FILES_DIR } : {}),
      ...(options.bridgePorts ? { bridgePorts: options.bridgePorts } : {}),
      ...(remote ? { remote: remote.hooks } : {}),
    });
    try {
      await core.start();
    } finally {
      // A core whose start failed half-way may hold token hosts or a listener: close it either way.
      closers.push(() => core.close());
    }
    // The user's account id at each sandbox provider (a user setting, as in the app).
    if (remote) await core.handlers["settings.set"]({ remoteAccounts: remote.accounts });

    let approvalUrl = "(not served: approve through the core's handlers)";
    if (options.approvalUi ?? true) {
      try {
        const transport = await startBrowserTransport({ core });
        closers.push(() => transport.close());
        approvalUrl = `${transport.url}#/approval`;
      } catch (error) {
        approvalUrl = `(unavailable: ${(error as Error).message.split("\n")[0]})`;
      }
    }

    const ports = core.bridge.ports;
    const banner = [
      "KySo sandbox is running.",
      `  Demo portal:   ${portal.url}?ports=${encodeURIComponent(JSON.stringify({ ws: [ports.ws], wss: [ports.wss] }))}`,
      `  Approval UI:   ${approvalUrl}`,
      `  Bridge:        ws://127.0.0.1:${ports.ws}/   wss://127.0.0.1:${ports.wss}/`,
      `  Local CA:      ${join(options.dataDir, "core", "tls", "ca.pem")}  (trust it for wss: certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "KySo Local CA" -i <ca.pem>)`,
      `  Tokens:        ${ownModules.length > 0 ? ownModules.join(", ") : `SoftHSM demo tokens, user PIN ${USER_PIN}`}`,
      `  Policy:        ${description}`,
      ...(remote?.banner ?? []),
    ];
    return { core, portal, portalOrigin, policy, banner, ...(remote ? { remote } : {}), close: closeAll };
  } catch (error) {
    await closeAll();
    if (error instanceof SandboxStartError) throw error;
    throw new SandboxStartError(`could not start: ${(error as Error).message}`, { cause: error });
  }
}
