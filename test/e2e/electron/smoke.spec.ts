/**
 * The app under real Electron: launches it on a throw-away profile with a policy that lists a test portal and the
 * SoftHSM fixture tokens, checks the tray came up and the window is hardened, then a "portal" asks to sign over the
 * bridge and the test approves in the approval window. Needs an Electron binary, which the npm package downloads
 * on first use; this machine has no internet (machine.md), so here the test skips and says why.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { _electron as electron, expect, test } from "@playwright/test";
import { getAppInfo } from "../../../main/core/app-info.js";
import { USER_PIN, copyFixtureTokens } from "../../fixtures/index.js";
import { connectPortal } from "../helpers/portal-client.js";

/**
 * Where the electron package keeps its binary, without `require("electron")`: that call tries to download the
 * binary when it is missing, which on a closed network only prints "fetch failed" and wastes time.
 * ELECTRON_OVERRIDE_DIST_PATH points at an unpacked Electron, as for electron-builder's electronDist.
 */
function electronBinary(): string | undefined {
  const pkg = dirname(createRequire(import.meta.url).resolve("electron/package.json"));
  const pathFile = join(pkg, "path.txt");
  const name = existsSync(pathFile) ? readFileSync(pathFile, "utf8").trim() : "electron";
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? join(override, name) : existsSync(pathFile) ? join(pkg, "dist", name) : undefined;
  return candidate && existsSync(candidate) ? candidate : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const binary = electronBinary();
const entry = join(process.cwd(), "dist", "main", "electron", "main.js");
const PORTAL = "https://portal.example.gov.vn";

test.describe("Electron smoke", () => {
  test.skip(!binary, "No Electron binary on this machine (electron's npm package fetches it on first use, which needs internet): run `npm start` once on a connected machine, then this test runs.");
  test.skip(!existsSync(entry), "The app is not built: run `npm run build` first.");

  test("launches with a tray and a hardened window, and a portal's request is approved in the approval window", async () => {
    const tokens = await copyFixtureTokens();
    const dir = await mkdtemp(join(tmpdir(), "kyso-electron-"));
    const policyFile = join(dir, "policy.json");
    const stateFile = join(dir, "state.json");
    const ws = await freePort();
    await writeFile(policyFile, JSON.stringify({ allowedOrigins: [PORTAL], modules: [tokens.manifest.modulePath], ports: { ws: [ws], wss: [await freePort()] } }));
    const app = await electron.launch({
      executablePath: binary,
      args: [entry],
      env: { ...process.env, HOME: dir, SOFTHSM2_CONF: tokens.softhsmConf, KYSO_POLICY_FILE: policyFile, KYSO_E2E_DATA_DIR: join(dir, "data"), KYSO_E2E_STATE_FILE: stateFile },
    });
    try {
      const main = await app.firstWindow();
      await expect(main.getByTestId("app-version")).toContainText(getAppInfo().version);
      // Sandboxed and isolated: no Node globals reach the page, only the typed API.
      expect(await main.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe("undefined");
      expect(await main.evaluate(() => Object.keys((window as unknown as { kyso: object }).kyso).sort())).toEqual(["invoke", "on"]);
      await expect.poll(async () => existsSync(stateFile)).toBe(true);
      const state = JSON.parse(await readFile(stateFile, "utf8")) as { ports: { ws?: number }; tray: boolean };
      expect(state.tray).toBe(true);

      const portal = await connectPortal(state.ports.ws!, PORTAL);
      const approvalWindow = app.waitForEvent("window");
      const answer = portal.call("sign", { format: "raw", document: Buffer.from("Xin chào").toString("base64") });
      const approval = await approvalWindow;
      await expect(approval.getByTestId("approval-origin")).toContainText("portal.example.gov.vn");
      await approval.getByRole("textbox").or(approval.locator("input[type=password]")).first().fill(USER_PIN);
      await approval.locator("button[type=submit]").click();
      expect((await answer).signature).toBeTruthy();
      portal.close();

      // The tray keeps the app alive with no window open.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((w) => w.close()));
      expect(await app.evaluate(({ app: electronApp }) => electronApp.isReady())).toBe(true);
    } finally {
      await app.close();
      await tokens.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
