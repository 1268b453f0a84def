/**
 * The SDK's states in Chromium, against the real bridge (issue 11): a closed socket (calls reject at once), a call
 * timeout, and a refused origin (KySo reached, close 4001 → OriginNotAllowedError) told apart from a Local Network
 * Access block and from no KySo at all (the socket never opens, close 1006 → LocalNetworkAccessError /
 * AppNotRunningError). The raw WebSocket events are checked too, so a page without the SDK can tell the same way.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { chromium, expect, test, type Page } from "@playwright/test";
import { startPortalServer, type PortalServer } from "../../../sandbox/portal/serve-portal.js";
import { CHROMIUM_ARGS } from "../../../playwright.config.js";
import { PORTAL, routePortal, startE2eCore, type E2eCore } from "./bridge-e2e.js";

const EXECUTABLE = process.env.KYSO_CHROMIUM ?? "/usr/bin/chromium";

interface SdkWindow {
  kysoSdk: {
    connect(options: unknown): Promise<SdkClient>;
  };
  kyso: SdkClient;
}
interface SdkClient {
  readonly closed: boolean;
  readonly pendingCalls: number;
  hello(options?: unknown): Promise<unknown>;
  sign(params: unknown, options?: unknown): Promise<unknown>;
  onClose(listener: (error: { closeCode: number }) => void): () => void;
  close(): void;
}

/** What a page without the SDK sees: whether the socket opened, then the close event's code and reason. */
function rawSocket(page: Page, url: string): Promise<{ opened: boolean; code: number; reason: string }> {
  return page.evaluate(
    (u) =>
      new Promise((resolve) => {
        let opened = false;
        const socket = new WebSocket(u);
        socket.onopen = () => (opened = true);
        socket.onclose = (event) => resolve({ opened, code: event.code, reason: event.reason });
      }),
    url,
  );
}

/** `connect`, then `hello`: the outcome, or the SDK error's class, code and close code. */
function connectAndHello(page: Page, port: number): Promise<{ ok: true } | { ok: false; error: string; code: string; closeCode?: number }> {
  return page.evaluate(async (p) => {
    const { kysoSdk } = window as unknown as SdkWindow;
    try {
      const client = await kysoSdk.connect({ schemes: ["ws"], ports: { ws: [p] }, attemptTimeoutMs: 3000 });
      await client.hello();
      return { ok: true as const };
    } catch (error) {
      const e = error as { name: string; code: string; closeCode?: number };
      return { ok: false as const, error: e.name, code: e.code, ...(e.closeCode !== undefined ? { closeCode: e.closeCode } : {}) };
    }
  }, port);
}

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test.describe("refused origin vs Local Network Access block vs no KySo", () => {
  let kyso: E2eCore;
  let portal: PortalServer;
  let home: string;
  test.beforeAll(async () => {
    portal = await startPortalServer();
    // Developer origins off (the default): the portal's own http://127.0.0.1:PORT origin is refused at the handshake.
    kyso = await startE2eCore();
    home = await mkdtemp(join(tmpdir(), "kyso-home-"));
  });
  test.afterAll(async () => {
    await kyso?.close();
    await portal?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test("the same page: blocked by the browser → 1006, never opened; allowed by the browser but refused by KySo → opened, 4001", async () => {
    // The portal's address marked public, so Chromium's Local Network Access applies to it as to a real portal.
    const browser = await chromium.launch({
      executablePath: EXECUTABLE,
      args: [...CHROMIUM_ARGS, `--ip-address-space-overrides=127.0.0.1:${portal.port}=public`],
      env: { ...process.env, HOME: home },
    });
    try {
      const url = `ws://127.0.0.1:${kyso.core.bridge.ports.ws}/`;
      const blocked = await (await browser.newContext()).newPage();
      await blocked.goto(portal.url);
      expect(await rawSocket(blocked, url)).toEqual({ opened: false, code: 1006, reason: "" });
      expect(await connectAndHello(blocked, kyso.core.bridge.ports.ws!)).toMatchObject({ ok: false, error: "LocalNetworkAccessError", code: "local_network_access_blocked" });

      const allowed = await browser.newContext();
      await allowed.grantPermissions(["local-network-access"], { origin: `http://127.0.0.1:${portal.port}` });
      const refused = await allowed.newPage();
      await refused.goto(portal.url);
      expect(await rawSocket(refused, url)).toEqual({ opened: true, code: 4001, reason: "origin_not_allowed" });
      expect(await connectAndHello(refused, kyso.core.bridge.ports.ws!)).toEqual({ ok: false, error: "OriginNotAllowedError", code: "origin_not_allowed", closeCode: 4001 });

      // Nothing listening (KySo not running): never opened, 1006, and the SDK says so.
      const nothing = await deadPort();
      expect(await rawSocket(refused, `ws://127.0.0.1:${nothing}/`)).toEqual({ opened: false, code: 1006, reason: "" });
      expect(await connectAndHello(refused, nothing)).toMatchObject({ ok: false, error: "AppNotRunningError", code: "app_not_running" });
    } finally {
      await browser.close();
    }
  });
});

test.describe("closed socket and call timeout (allowlisted portal)", () => {
  let kyso: E2eCore | undefined;
  test.beforeAll(async () => {
    kyso = await startE2eCore();
  });
  test.afterAll(async () => {
    await kyso?.close();
  });

  test.beforeEach(async ({ page, context }) => {
    // A routed https origin counts as a public site: Chromium's Local Network Access applies, so grant it.
    await context.grantPermissions(["local-network-access"], { origin: PORTAL });
    await routePortal(page);
    await page.goto(`${PORTAL}/`);
    await page.evaluate(async (port) => {
      const w = window as unknown as SdkWindow;
      w.kyso = await w.kysoSdk.connect({ schemes: ["ws"], ports: { ws: [port] } });
    }, kyso!.core.bridge.ports.ws!);
  });

  const HASH = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";

  test("a call that outlives its timeoutMs rejects with CallTimeoutError; the connection stays usable", async ({ page }) => {
    const outcome = await page.evaluate(async (hash) => {
      const { kyso } = window as unknown as SdkWindow;
      // Nobody decides the approval: only the page's own bound can end the wait.
      const error = (await kyso.sign({ format: "raw", hash }, { timeoutMs: 300 }).catch((e: unknown) => e)) as { name: string; code: string };
      return { error: error.name, code: error.code, pending: kyso.pendingCalls, closed: kyso.closed, hello: await kyso.hello() };
    }, HASH);
    expect(outcome).toMatchObject({ error: "CallTimeoutError", code: "timeout", pending: 0, closed: false, hello: { origin: { trust: "policy" } } });
  });

  test("close(): the pending call rejects at once with ConnectionClosedError (1000), and every later call too", async ({ page }) => {
    const outcome = await page.evaluate(async (hash) => {
      const { kyso } = window as unknown as SdkWindow;
      const pending = kyso.sign({ format: "raw", hash }).catch((e: unknown) => e) as Promise<{ name: string; closeCode: number }>;
      kyso.close();
      const first = await pending;
      const later = (await kyso.hello().catch((e: unknown) => e)) as { name: string; closeCode: number };
      return { first: [first.name, first.closeCode], later: [later.name, later.closeCode], closed: kyso.closed, pending: kyso.pendingCalls };
    }, HASH);
    expect(outcome).toEqual({ first: ["ConnectionClosedError", 1000], later: ["ConnectionClosedError", 1000], closed: true, pending: 0 });
  });

  test("KySo goes away mid-call: the pending call and onClose get ConnectionClosedError at once (the app quit)", async ({ page }) => {
    const outcome = page.evaluate(async (hash) => {
      const { kyso } = window as unknown as SdkWindow;
      const closed = new Promise<number>((resolve) => kyso.onClose((error) => resolve(error.closeCode)));
      const error = (await kyso.sign({ format: "raw", hash }).catch((e: unknown) => e)) as { name: string };
      return { error: error.name, closeCode: await closed, closed: kyso.closed };
    }, HASH);
    await kyso!.nextApproval();
    const core = kyso!;
    kyso = undefined;
    await core.close();
    expect(await outcome).toEqual({ error: "ConnectionClosedError", closeCode: 1006, closed: true });
  });
});
