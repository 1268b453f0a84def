/**
 * `connect()` and the browser's Local Network Access permission, in Node against the real bridge: the page's
 * permission is a stand-in `navigator.permissions` (what each browser state looks like to the SDK), the fetch is
 * Node's real fetch to the real reach path (with the Origin a browser would send), the socket is `ws`.
 * Chromium itself is exercised in test/e2e/bridge/lna-prompt.spec.ts.
 */
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { AppNotRunningError, connect, LocalNetworkAccessError, REACH_PATH, reachUrl, type ConnectOptions, type LocalNetworkPermissionState } from "../../../sdk/src/index.js";
import { PORTAL, startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";

let bridge: BridgeHarness;
beforeAll(async () => {
  bridge = await startBridgeHarness();
});
afterAll(() => bridge?.close());
afterEach(() => vi.unstubAllGlobals());

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What happened, in order: `fetch <url>` and `socket <url>`. */
interface Page {
  readonly events: string[];
  state: LocalNetworkPermissionState;
  readonly queried: string[];
  readonly options: (ports: number[], extra?: Partial<ConnectOptions>) => ConnectOptions;
}

/**
 * A page whose permission is `state` under the names in `known`; `onFetch` plays the user answering the prompt
 * the fetch raised (it may change `state`, and returns whether the browser lets the request through).
 */
function page(state: LocalNetworkPermissionState, onFetch: (p: Page) => boolean | "hang" = () => true, known = ["loopback-network"]): Page {
  const events: string[] = [];
  const queried: string[] = [];
  const p: Page = {
    events,
    state,
    queried,
    options: (ports, extra = {}) => ({
      schemes: ["ws"],
      ports: { ws: ports },
      attemptTimeoutMs: 1000,
      WebSocket: class extends WebSocket {
        constructor(url: string) {
          super(url, { origin: PORTAL });
          events.push(`socket ${url}`);
        }
      } as unknown as typeof globalThis.WebSocket,
      fetch: (async (input: string, init: RequestInit) => {
        events.push(`fetch ${input}`);
        const verdict = onFetch(p);
        if (verdict === "hang") {
          return new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new TypeError("aborted"))));
        }
        if (!verdict) throw new TypeError("Failed to fetch");
        return globalThis.fetch(input, { ...init, headers: { Origin: PORTAL } });
      }) as typeof fetch,
      ...extra,
    }),
  };
  vi.stubGlobal("navigator", {
    permissions: {
      query: async ({ name }: { name: string }) => {
        queried.push(name);
        if (!known.includes(name)) throw new TypeError(`unknown permission ${name}`);
        return { state: p.state };
      },
    },
  });
  return p;
}

describe("connect() and Local Network Access", () => {
  it("prompt: the SDK fetches the reach path first (the browser asks), the user allows, then the socket connects", async () => {
    const before = bridge.core.bridge.reachAnswered;
    const p = page("prompt", (q) => {
      q.state = "granted";
      return true;
    });
    const client = await connect(p.options([bridge.wsPort]));
    expect(p.events).toEqual([`fetch http://127.0.0.1:${bridge.wsPort}${REACH_PATH}`, `socket ws://127.0.0.1:${bridge.wsPort}/`]);
    expect(bridge.core.bridge.reachAnswered).toBe(before + 1);
    expect((await client.hello()).origin).toEqual({ origin: PORTAL, trust: "policy" });
    client.close();
  });

  it("prompt, then the user denies: LocalNetworkAccessError('denied') at once, no socket tried", async () => {
    const p = page("prompt", (q) => {
      q.state = "denied";
      return false;
    });
    const error = await connect(p.options([bridge.wsPort])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalNetworkAccessError);
    expect(error).toMatchObject({ code: "local_network_access_blocked", permissionState: "denied" });
    expect(p.events).toEqual([`fetch http://127.0.0.1:${bridge.wsPort}${REACH_PATH}`]);
  });

  it("prompt dismissed (still prompt) and nothing listening: asks once per listener URL, then AppNotRunningError, not a block", async () => {
    const [a, b] = [await deadPort(), await deadPort()];
    const p = page("prompt", () => false);
    const error = await connect(p.options([a, b])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppNotRunningError);
    expect(p.events.filter((e) => e.startsWith("fetch"))).toEqual([reachUrl(`ws://127.0.0.1:${a}/`), reachUrl(`ws://127.0.0.1:${b}/`)].map((u) => `fetch ${u}`));
  });

  it("prompt granted but KySo not running: one fetch (the decision is made), sockets fail → AppNotRunningError", async () => {
    const [a, b] = [await deadPort(), await deadPort()];
    const p = page("prompt", (q) => {
      q.state = "granted";
      return false; // connection refused: nothing on that port
    });
    await expect(connect(p.options([a, b]))).rejects.toBeInstanceOf(AppNotRunningError);
    expect(p.events.filter((e) => e.startsWith("fetch"))).toHaveLength(1);
  });

  it("prompt never answered: gives up after permissionTimeoutMs without asking again", async () => {
    const [a, b] = [await deadPort(), await deadPort()];
    const p = page("prompt", () => "hang");
    await expect(connect(p.options([a, b], { permissionTimeoutMs: 50 }))).rejects.toBeInstanceOf(AppNotRunningError);
    expect(p.events.filter((e) => e.startsWith("fetch"))).toHaveLength(1);
  });

  it("denied: no fetch; the sockets fail (blocked) → LocalNetworkAccessError('denied')", async () => {
    const p = page("denied");
    await expect(connect(p.options([await deadPort()]))).rejects.toMatchObject({ name: "LocalNetworkAccessError", permissionState: "denied" });
    expect(p.events.some((e) => e.startsWith("fetch"))).toBe(false);
  });

  it("granted, or no such permission in this browser: no fetch, the socket directly", async () => {
    for (const known of [["loopback-network"], []]) {
      const p = page("granted", () => true, known);
      const client = await connect(p.options([bridge.wsPort]));
      expect(p.events).toEqual([`socket ws://127.0.0.1:${bridge.wsPort}/`]);
      client.close();
    }
  });

  it("an older browser that knows only 'local-network-access' is asked under that name", async () => {
    const p = page("prompt", (q) => ((q.state = "granted"), true), ["local-network-access"]);
    const client = await connect(p.options([bridge.wsPort]));
    expect(p.queried.slice(0, 2)).toEqual(["loopback-network", "local-network-access"]);
    expect(p.events[0]).toBe(`fetch http://127.0.0.1:${bridge.wsPort}${REACH_PATH}`);
    client.close();
  });

  it("reachUrl maps each listener to its loopback origin (wss → https)", () => {
    expect(reachUrl("wss://127.0.0.1:8443/")).toBe(`https://127.0.0.1:8443${REACH_PATH}`);
    expect(reachUrl("ws://127.0.0.1:8080/")).toBe(`http://127.0.0.1:8080${REACH_PATH}`);
  });

  it("LocalNetworkAccessError's guidance says how to allow it and that an admin can, in Vietnamese then English", () => {
    const { guidance } = new LocalNetworkAccessError("denied");
    const [vi_, en] = guidance.split(" / The browser");
    expect(vi_).toMatch(/Cho phép/);
    expect(vi_).toMatch(/quản trị viên/);
    expect(en).toMatch(/Allow/);
    expect(en).toMatch(/administrator can allow this site/);
    expect(guidance).toContain("LoopbackNetworkAllowedForUrls");
  });
});
