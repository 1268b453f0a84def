/**
 * Settings, "Remote signing accounts" in Chromium through the browser transport (issue 16): the policy's CSC
 * provider is listed, the account id typed is saved and still there after a reload, and the Sign in button runs
 * the real loopback sign-in against the local CSC test server (the "system browser" is an HTTP client following
 * the authorize redirect to KySo's listener), after which the section reads "signed in until …"; Sign out undoes
 * it. Tokens live in an in-memory SecretStore; the section says so.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { createCore, type KysoCore } from "../../../main/core/kyso-core.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { loopbackSignIn } from "../../../main/core/remote/csc-sign-in.js";
import { MemorySecretStore } from "../../../main/core/remote/secret-store.js";
import { noTokens } from "../../helpers/no-tokens.js";
import { startBrowserTransport, type BrowserTransport } from "../../../sandbox/browser-transport/start-browser-transport.js";
import { REMOTE_TEST_USER, startRemoteSigningServer, type RemoteSigningServer } from "../../../sandbox/remote-server/remote-signing-server.js";
import { openHarness, type Harness } from "../../integration/signing/harness.js";

test.describe.configure({ timeout: 180_000 });

let harness: Harness;
let server: RemoteSigningServer;
let core: KysoCore;
let transport: BrowserTransport;
let dataDir: string;
const opened: string[] = [];
const store = new MemorySecretStore();

test.beforeAll(async () => {
  harness = await openHarness();
  server = await startRemoteSigningServer(await harness.signer("personRsa"), { spId: "sp", spPassword: "sp-password-0000", cscClientId: "kyso-desktop", otp: "482913" });
  dataDir = await mkdtemp(join(tmpdir(), "kyso-ui-remote-"));
  core = createCore({
    dataDir,
    policy: policySchema.parse({
      remoteSigning: { providers: [{ id: "rssp", kind: "csc", name: "Test RSSP", baseUrl: server.cscBase, clientId: "kyso-desktop", redirectUri: "http://127.0.0.1:53682/callback" }] },
    }),
    tokenService: noTokens,
    bridgePorts: { ws: [], wss: [] },
    compatPorts: { vgca: 0, signpluginHttp: 0, signpluginHttps: 0, signpluginV2: 0 },
    language: "en",
    remote: {
      secretStore: store,
      cscSignIn: loopbackSignIn({ open: async (url) => void (opened.push(url), await fetch(url)) }),
    },
  });
  await core.start();
  transport = await startBrowserTransport({ core });
});

test.afterAll(async () => {
  await transport?.close();
  await core?.close();
  await server?.close();
  await harness?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test("remote accounts: the account id is saved, Sign in runs the loopback sign-in, Sign out undoes it", async ({ page }) => {
  await page.goto(`${transport.url}#/settings`);
  const section = page.getByTestId("remote-accounts");
  await expect(section.getByRole("heading", { name: "Remote signing accounts" })).toBeVisible();
  const row = section.getByTestId("remote-provider-rssp");
  await expect(row).toContainText("Test RSSP");
  await expect(row).toContainText("Cloud Signature Consortium (CSC)");
  await expect(section.getByTestId("secret-store-memory")).toBeVisible();

  await row.getByTestId("remote-user-rssp").fill(REMOTE_TEST_USER);
  await row.getByTestId("remote-save-rssp").click();
  await expect(row.getByRole("status")).toHaveText("Saved.");
  expect((await core.handlers["settings.get"]()).remoteAccounts).toEqual({ rssp: { userId: REMOTE_TEST_USER } });
  await page.reload();
  await expect(page.getByTestId("remote-user-rssp")).toHaveValue(REMOTE_TEST_USER);

  const signIn = page.getByTestId("remote-signin-rssp");
  await expect(signIn).toHaveAttribute("data-state", "signed-out");
  await expect(signIn).toContainText("Not signed in");
  await page.getByTestId("remote-signin-button-rssp").click();
  await expect(signIn).toHaveAttribute("data-state", "signed-in");
  await expect(signIn).toContainText("Signed in");
  expect(opened).toHaveLength(1);
  expect(new URL(new URL(opened[0]!).searchParams.get("redirect_uri")!).hostname).toBe("127.0.0.1");
  expect(store.size).toBe(1);

  await signIn.getByRole("button", { name: "Sign out" }).click();
  await expect(signIn).toHaveAttribute("data-state", "signed-out");
  expect(store.size).toBe(0);
});
