/**
 * The Electron entry point: thin wiring (machine.md) between the core and the desktop. Order matters: the renderer
 * scheme is registered before `ready`, the single-instance lock is taken before anything else starts, and the
 * core starts only in the instance that owns the lock.
 */
// First: keeps V8's young generation small while the modules below load (idle RSS, main/core/startup-heap.ts).
import { releaseStartupHeap } from "./hold-startup-heap.js";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { app } from "electron";
import type { ApprovalView } from "../core/app-api/approval-view.js";
import type { SettingsView } from "../core/app-api/views.js";
import type { TokenInfo } from "../domain/token.js";
import type { Language } from "../domain/errors/kyso-error.js";
import { ApprovalWindow } from "./approval-window.js";
import { HIDDEN_ARG } from "./autostart.js";
import { hardenApp } from "./harden.js";
import { registerIpc } from "./ipc-main.js";
import { KYSO_URL_SCHEME, findKysoUrl, parseKysoUrl } from "./kyso-url.js";
import { filesFromArgv, SIGN_FILES_ARG } from "./opened-files-argv.js";
import { forbiddenLaunchSwitch } from "./launch-switches.js";
import { machineCommandOf, runMachineCommand, thisMachine } from "./machine-command.js";
import { machineTlsDir } from "../core/deploy/machine-paths.js";
import { loadCore } from "./load-core.js";
import { electronFileDialogs } from "./file-dialogs.js";
import { describeMachinePolicy, discoverMachinePolicy } from "../core/policy/machine-policy.js";
import { watchMachinePolicy } from "../core/policy/policy-watch.js";
import { applyStartAtLogin } from "./login-item.js";
import { registerRendererScheme, serveRenderer } from "./renderer-protocol.js";
import { shellMessages } from "./shell-messages.js";
import { KysoTray } from "./tray.js";
import { hasProblem, trayStatus } from "./tray-state.js";
import { MainWindow } from "./windows.js";

// dist/main/electron/main.js → dist/
const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PRELOAD = join(DIST, "preload", "preload.cjs");
const RENDERER = join(DIST, "renderer");
const HOST_ENTRY = join(DIST, "native", "host", "host-main.js");

registerRendererScheme();

const forbiddenSwitch = forbiddenLaunchSwitch(process.argv, app.isPackaged);
const machineCommand = machineCommandOf(process.argv);
if (forbiddenSwitch) {
  console.error(`kyso: refusing to start with ${forbiddenSwitch} (it would let another program drive the approval window)`);
  app.exit(1);
} else if (machineCommand) {
  // The per-machine installer's step (machine-command.ts): no tray, no bridge, no single-instance lock.
  void runMachineCommand(machineCommand, !app.isPackaged).then((code) => app.exit(code));
} else if (!app.requestSingleInstanceLock()) {
  // A second launch (or a kyso:// link) hands its argv to the first instance and leaves.
  app.quit();
} else {
  // Started, or failed: either way later work may grow the young generation again.
  void start().finally(releaseStartupHeap);
}

async function start(): Promise<void> {
  let pendingUrl = findKysoUrl(process.argv);
  app.on("open-url", (event, url) => {
    event.preventDefault();
    pendingUrl = url;
  });
  // macOS hands documents ("Open with KySo", a drop on the Dock icon) as open-file events, not argv.
  const macFiles: string[] = [];
  let started = false;
  app.on("open-file", (event, path) => {
    event.preventDefault();
    if (started) handleFiles(["kyso", path], process.cwd());
    else macFiles.push(path);
  });
  await app.whenReady();
  if (!app.isDefaultProtocolClient(KYSO_URL_SCHEME)) app.setAsDefaultProtocolClient(KYSO_URL_SCHEME);
  hardenApp();
  serveRenderer(RENDERER);

  let language: Language = app.getLocale().toLowerCase().startsWith("vi") ? "vi" : "en";
  // Admin-owned places only in a packaged app; KYSO_POLICY_FILE too in a development build (machine-policy.ts).
  const discovery = { platform: process.platform, env: process.env, development: !app.isPackaged };
  const machinePolicy = discoverMachinePolicy(discovery);
  if (machinePolicy.status !== "loaded") console.warn(`kyso: ${describeMachinePolicy(machinePolicy)}`);
  const core = loadCore({
    // KYSO_E2E_DATA_DIR: the Electron smoke test runs the app on a throw-away profile.
    dataDir: process.env.KYSO_E2E_DATA_DIR ?? app.getPath("userData"),
    language,
    hostEntry: HOST_ENTRY,
    machinePolicy,
    // Called only from the main window's "Sign files" page, so the window exists by then.
    fileDialogs: electronFileDialogs(() => mainWindow.current(), () => language),
    // Only a packaged app: a development build keeps its own certificate.
    ...(app.isPackaged ? { machineTlsDir: machineTlsDir(thisMachine()) } : {}),
  });
  // A changed policy applies to the whole app (listeners, allowlist, modules): start again, quietly, in the tray.
  const stopPolicyWatch = watchMachinePolicy(discovery, machinePolicy, (next) => {
    console.warn(`kyso: machine policy changed (${describeMachinePolicy(next)}), restarting`);
    app.relaunch({ args: [...process.argv.slice(1).filter((arg) => arg !== HIDDEN_ARG), HIDDEN_ARG] });
    app.quit();
  });
  const ipc = registerIpc(core, () => language);
  const paths = { preloadPath: PRELOAD };
  const mainWindow = new MainWindow(paths, ipc, () => shellMessages(language).mainTitle);
  const approvals = new ApprovalWindow(core, ipc, paths, () => shellMessages(language));

  let settings: SettingsView | undefined;
  let tokens: readonly TokenInfo[] = [];
  let openApprovals: readonly ApprovalView[] = [];
  const tray = new KysoTray(
    {
      open: (route) => mainWindow.show(route),
      // The same path as "Sign with KySo": the core announces the files, the window opens "Sign files".
      signFiles: (paths) => void handleFiles(["kyso", SIGN_FILES_ARG, ...paths], process.cwd()),
      setBridgePaused: (bridgePaused) => void core.handlers["settings.set"]({ bridgePaused }).catch(() => undefined),
      setStartAtLogin: (startAtLogin) => void core.handlers["settings.set"]({ startAtLogin }).catch(() => undefined),
      quit: () => app.quit(),
    },
    shellMessages(language),
  );
  let problem = false;
  const refreshTray = () => {
    tray.update(trayStatus({ approvals: openApprovals, tokens, problem }), settings, shellMessages(language));
  };
  // Diagnostics change with tokens (a driver failing) and settings (pausing the bridge): re-read them then.
  const refreshProblem = () =>
    void core.handlers["diagnostics.get"]().then(
      (diagnostics) => {
        problem = hasProblem(diagnostics);
        refreshTray();
      },
      () => undefined,
    );
  const applySettings = (next: SettingsView) => {
    const loginChanged = settings?.startAtLogin !== next.startAtLogin;
    settings = next;
    language = next.language;
    if (loginChanged) void applyStartAtLogin(next.startAtLogin).catch((error: unknown) => console.error("kyso: start at login", error));
    refreshTray();
  };
  core.onEvent("approvalsChanged", (list) => {
    openApprovals = list;
    approvals.update(list);
    refreshTray();
  });
  core.onEvent("approvalAutoHide", () => approvals.hideAfterSuccess());
  core.onEvent("tokensChanged", (list) => {
    tokens = list;
    refreshTray();
    refreshProblem();
  });
  core.onEvent("settingsChanged", (next) => {
    applySettings(next);
    refreshProblem();
  });

  const handleUrl = (raw: string | undefined) => {
    const action = raw ? parseKysoUrl(raw) : null;
    if (action?.action === "open") mainWindow.show(action.page ?? "home");
    // "start" only needs KySo running, which it now is.
  };
  // PDFs from "Sign with KySo" / "Open with KySo": the core announces them (`files.opened`) to the main window.
  const handleFiles = (argv: readonly string[], workingDirectory: string): boolean => {
    const { paths, action } = filesFromArgv(argv, workingDirectory);
    if (paths.length === 0 || !core.openFiles(paths, action)) return false;
    // An open window's renderer heard `files.opened` and went to "Sign files"; reloading it now could lose files
    // that page already took. A new window opens on "Sign files", which takes them (`files.takeOpened`).
    if (!mainWindow.raise()) mainWindow.show("sign-files");
    return true;
  };
  app.on("second-instance", (_event, argv, workingDirectory) => {
    const url = findKysoUrl(argv);
    if (url) handleUrl(url);
    else if (!handleFiles(argv, workingDirectory)) mainWindow.show("home");
  });
  app.on("open-url", (_event, url) => handleUrl(url));
  // A tray app: closing the last window does not quit.
  app.on("window-all-closed", () => undefined);
  let quitting = false;
  app.on("before-quit", (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    stopPolicyWatch();
    approvals.close();
    mainWindow.close();
    tray.destroy();
    ipc.dispose();
    void core.close().finally(() => app.quit());
  });

  await core.start();
  // The smoke test needs the bridge's ephemeral port and proof that the tray exists; nothing else reads this file.
  if (process.env.KYSO_E2E_STATE_FILE) {
    await writeFile(process.env.KYSO_E2E_STATE_FILE, JSON.stringify({ ports: core.bridge.ports, tray: true }));
  }
  applySettings(await core.handlers["settings.get"]());
  tokens = await core.handlers["tokens.list"]().catch(() => []);
  refreshProblem();
  started = true;
  if (pendingUrl) handleUrl(pendingUrl);
  else if (handleFiles(macFiles.length > 0 ? ["kyso", ...macFiles] : process.argv, process.cwd())) return;
  else if (!process.argv.includes(HIDDEN_ARG)) mainWindow.show("home");
}
