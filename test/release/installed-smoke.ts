/**
 * Smoke test of an INSTALLED KySo, run by the release workflow on Windows, macOS and Linux runners after a silent
 * install (`npx tsx test/release/installed-smoke.ts <phase>`):
 *
 *   policy      (before the install) writes the machine policy, with `browserPolicy: "write"`, so the installer's
 *               machine step (`--machine-install`) trusts the local CA and writes the browser policies.
 *   installed   the installer's machine step left its record (and, on Linux, the Chrome policy), the machine policy this script wrote is found in the admin-owned place, KySo starts hidden, its
 *               bridge answers `hello` for the allowlisted portal and refuses another origin, and a `sign` request
 *               opens an approval (nobody decides it, so the portal gets `timeout` after the policy's 10 s, the
 *               shortest approval timeout the schema allows).
 *   uninstalled after the silent uninstall: nothing listens on KySo's ports, the autostart entry is gone, and nothing
 *               the machine step wrote is left (record, machine certificate, CA anchor, browser policies).
 *
 * The packaged app refuses remote debugging (main/electron/launch-switches.ts) and has the inspector fuse off, so
 * the approval window itself is driven only by the development-build smoke test (test/e2e/electron/smoke.spec.ts),
 * which the workflow also runs on each OS.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { connect as netConnect } from "node:net";
import { dirname } from "node:path";
import { WebSocket } from "ws";
import { machineManifestPath, machineTlsDir } from "../../main/core/deploy/machine-paths.js";
import { thisMachine } from "../../main/electron/machine-command.js";

const PORTAL = "https://portal.example.gov.vn";
const WS_PORT = 17640;
const PORTS = [17630, 17631, 17632, 17640, 17641, 17642];

function policyPath(): string {
  if (process.platform === "win32") return `${process.env.ProgramData ?? "C:\\ProgramData"}\\KySo\\policy.json`;
  if (process.platform === "darwin") return "/Library/Application Support/KySo/policy.json";
  return "/etc/kyso/policy.json";
}

function appBinary(): string {
  if (process.platform === "win32") return `${process.env.ProgramFiles ?? "C:\\Program Files"}\\KySo\\KySo.exe`;
  if (process.platform === "darwin") return "/Applications/KySo.app/Contents/MacOS/KySo";
  return "/opt/KySo/kyso";
}

function autostartEntry(): string | undefined {
  if (process.platform === "linux") return "/etc/xdg/autostart/kyso.desktop";
  return undefined; // Windows: HKLM Run value, checked by the workflow with `reg query`.
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** Waits for KySo's bridge by retrying the connection on each "close" event of the previous attempt (no sleeps). */
function openSocket(origin: string, attempts: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const attempt = (left: number) => {
      const ws = new WebSocket(`ws://127.0.0.1:${WS_PORT}/`, { origin, handshakeTimeout: 2000 });
      ws.once("open", () => resolve(ws));
      ws.once("error", () => (left > 0 ? setImmediate(() => attempt(left - 1)) : reject(new Error(`KySo bridge not reachable for ${origin}`))));
    };
    attempt(attempts);
  });
}

interface Answer {
  readonly id?: number;
  readonly result?: unknown;
  readonly error?: { readonly data?: { readonly name?: string } };
}

function call(ws: WebSocket, method: string, params?: unknown): Promise<Answer> {
  const id = Math.floor(performance.now() * 1000);
  ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }));
  return new Promise((resolve) => {
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as Answer;
      if (message.id === id) resolve(message);
    });
  });
}

function fail(message: string): never {
  console.error(`installed-smoke: FAIL ${message}`);
  process.exit(1);
}

async function installed(): Promise<void> {
  if (!existsSync(appBinary())) fail(`no app at ${appBinary()}`);
  await writePolicy();
  // The installer's machine step ran with the policy the `policy` phase wrote before the install.
  if (!existsSync(machineManifestPath(thisMachine()))) fail(`no machine install record at ${machineManifestPath(thisMachine())}`);
  if (process.platform === "linux" && !existsSync("/etc/opt/chrome/policies/managed/kyso.json")) fail("browserPolicy write: Chrome policy not written");
  const app = spawn(appBinary(), ["--hidden"], { stdio: "inherit", detached: false });
  try {
    const ws = await openSocket(PORTAL, 600);
    const hello = (await call(ws, "hello")) as { result?: { origin?: { trust?: string } } };
    if (hello.result?.origin?.trust !== "policy") fail(`hello: ${JSON.stringify(hello)}`);
    const answer = await call(ws, "sign", { format: "raw", document: Buffer.from("Xin chào").toString("base64") });
    // No token and no one to click: the approval opened and expired, or it waited for a token that never came.
    const name = answer.error?.data?.name;
    if (name !== "timeout" && name !== "token_not_present") fail(`sign: ${JSON.stringify(answer)}`);
    ws.close();
    const stranger = await openSocket("https://not-allowed.example", 5).then(
      async (socket) => (await call(socket, "hello")).error?.data?.name,
      () => "refused",
    );
    if (stranger !== "origin_not_allowed" && stranger !== "refused") fail(`unknown origin got ${String(stranger)}`);
    console.log("installed-smoke: installed app OK (policy found, hello, approval flow, origin gate)");
  } finally {
    app.kill();
  }
}

const POLICY = { allowedOrigins: [PORTAL], allowUserPairing: false, browserPolicy: "write", ports: { ws: [WS_PORT] }, limits: { approvalTimeoutSeconds: 10 } };

async function writePolicy(): Promise<void> {
  await mkdir(dirname(policyPath()), { recursive: true });
  await writeFile(policyPath(), JSON.stringify(POLICY));
}

/** What the machine step writes (main/core/deploy/machine-install.ts); all of it must be gone after uninstall. */
function machineLeftovers(): string[] {
  const paths = [machineManifestPath(thisMachine()), machineTlsDir(thisMachine())];
  if (process.platform === "linux") {
    paths.push("/usr/local/share/ca-certificates/kyso-local-ca.crt", "/etc/pki/ca-trust/source/anchors/kyso-local-ca.pem", "/etc/opt/chrome/policies/managed/kyso.json", "/etc/chromium/policies/managed/kyso.json", "/etc/opt/edge/policies/managed/kyso.json");
  }
  return paths.filter((path) => existsSync(path));
}

async function uninstalled(): Promise<void> {
  const left = machineLeftovers();
  if (left.length > 0) fail(`machine install leftovers: ${left.join(", ")}`);
  const open = [];
  for (const port of PORTS) if (await listening(port)) open.push(port);
  if (open.length > 0) fail(`still listening on ${open.join(", ")}`);
  const autostart = autostartEntry();
  if (autostart && existsSync(autostart)) fail(`autostart entry left: ${autostart}`);
  if (existsSync(appBinary())) fail(`app left at ${appBinary()}`);
  console.log("installed-smoke: uninstall left nothing running or starting");
}

const phase = process.argv[2];
if (phase === "policy") await writePolicy();
else if (phase === "installed") await installed();
else if (phase === "uninstalled") await uninstalled();
else fail("usage: installed-smoke.ts policy|installed|uninstalled");
