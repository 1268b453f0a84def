/**
 * The CSC sign-in as the app runs it (issue 16): a loopback redirect listener on a random port for one sign-in
 * (RFC 8252), the authorize URL opened by the "browser" (here an HTTP client driving the local server's authorize
 * endpoint, which redirects to the listener), PKCE S256 checked by the server, `state` checked by KySo, the tokens
 * only in the SecretStore, and a refresh without a second browser trip.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CscProvider, cscTokenKey, MemorySecretStore, type FetchLike, type OAuthTokens } from "../../../main/core/remote/index.js";
import { browserUrl, loopbackSignIn, type BrowserOpener } from "../../../main/core/remote/csc-sign-in.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { expectCode, fakeClock, openRemoteSuite, SECRETS, type RemoteSuite } from "./remote-harness.js";

let suite: RemoteSuite;
beforeAll(async () => {
  suite = await openRemoteSuite();
});
afterAll(async () => suite?.close());
beforeEach(() => {
  suite.server.phone = "approve";
});

/** The system browser: follows the authorize URL; the server's 302 lands on KySo's loopback listener. */
const browser = (opened: string[] = []): BrowserOpener => async (url) => {
  opened.push(url);
  await fetch(url);
};

/** A browser that delivers a forged redirect: the real code, someone else's state. */
const forgedStateBrowser: BrowserOpener = async (url) => {
  const reply = await fetch(url, { redirect: "manual" });
  const location = new URL(reply.headers.get("location") ?? "");
  location.searchParams.set("state", "forged-state-0000000000");
  await fetch(location);
};

function provider(options: { open?: BrowserOpener; fetch?: FetchLike; store?: MemorySecretStore; clock?: ReturnType<typeof fakeClock> } = {}) {
  return new CscProvider({
    baseUrl: suite.server.cscBase,
    clientId: SECRETS.cscClientId,
    // The policy's redirect is not used by the loopback sign-in: the listener's random port is.
    redirectUri: "http://127.0.0.1:53682/callback",
    signIn: loopbackSignIn({ open: options.open ?? browser() }),
    secretStore: options.store ?? new MemorySecretStore(),
    otp: async () => SECRETS.otp,
    operationMode: "sync",
    clock: options.clock ?? fakeClock(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

describe("CSC sign-in through a loopback redirect (RFC 8252) and PKCE", () => {
  it("signs in, stores the tokens only in the SecretStore, and lists the credential with them", async () => {
    const opened: string[] = [];
    const store = new MemorySecretStore();
    const p = provider({ open: browser(opened), store });
    expect(await p.signInStatus()).toEqual({ signedIn: false });
    await p.signIn();
    expect(opened).toHaveLength(1);
    const url = new URL(opened[0]!);
    const redirect = new URL(url.searchParams.get("redirect_uri")!);
    expect(redirect.hostname).toBe("127.0.0.1");
    expect(redirect.pathname).toBe("/callback");
    expect(Number(redirect.port)).toBeGreaterThan(0);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(url.searchParams.has("code_verifier")).toBe(false);
    // The token request repeats the listener's redirect exactly and carries the verifier.
    const token = new URLSearchParams(suite.server.requests.findLast((r) => r.path.endsWith("oauth2/token"))!.body);
    expect(token.get("redirect_uri")).toBe(redirect.toString());
    expect(token.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.size).toBe(1);
    const stored = JSON.parse((await store.get(cscTokenKey({ baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId })))!) as OAuthTokens;
    expect(suite.server.issuedTokens.has(stored.accessToken)).toBe(true);
    expect((await p.signInStatus()).signedIn).toBe(true);
    const [credential] = await p.listCredentials({ userId: REMOTE_TEST_USER });
    expect(credential?.id).toBe("cred-1");
    // The listener is gone once the sign-in is over.
    await expect(fetch(redirect)).rejects.toThrow();
  });

  it("a wrong PKCE verifier is refused by the server (signing_failed) and nothing is stored", async () => {
    const tampering: FetchLike = (url, init) =>
      fetch(url, { ...init, body: init.body.replace(/code_verifier=[^&]+/, `code_verifier=${"A".repeat(43)}`) });
    const store = new MemorySecretStore();
    await expectCode(provider({ fetch: tampering, store }).signIn(), "signing_failed");
    expect(store.size).toBe(0);
    const token = suite.server.requests.findLast((r) => r.path.endsWith("oauth2/token"))!;
    expect(new URLSearchParams(token.body).get("code_verifier")).toBe("A".repeat(43));
  });

  it("a redirect with another state is refused by KySo before any code is exchanged", async () => {
    const before = suite.server.requests.filter((r) => r.path.endsWith("oauth2/token")).length;
    const store = new MemorySecretStore();
    await expectCode(provider({ open: forgedStateBrowser, store }).signIn(), "remote_sign_in_failed");
    expect(suite.server.requests.filter((r) => r.path.endsWith("oauth2/token")).length).toBe(before);
    expect(store.size).toBe(0);
  });

  it("without a sign-in, listing fails remote_sign_in_required and never opens the browser", async () => {
    const opened: string[] = [];
    await expectCode(provider({ open: browser(opened) }).listCredentials({ userId: REMOTE_TEST_USER }), "remote_sign_in_required");
    expect(opened).toEqual([]);
  });

  it("an expired access token is refreshed in the background; sign-out forgets the tokens", async () => {
    const opened: string[] = [];
    const clock = fakeClock();
    const store = new MemorySecretStore();
    const p = provider({ open: browser(opened), store, clock });
    await p.signIn();
    const key = cscTokenKey({ baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId });
    const first = JSON.parse((await store.get(key))!) as OAuthTokens;
    await clock.sleep(3600_000);
    await p.listCredentials({ userId: REMOTE_TEST_USER });
    const second = JSON.parse((await store.get(key))!) as OAuthTokens;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(opened).toHaveLength(1);
    expect(suite.server.requests.findLast((r) => r.path.endsWith("oauth2/token"))!.body).toContain("grant_type=refresh_token");
    await p.signOut();
    expect(store.size).toBe(0);
    expect(await p.signInStatus()).toEqual({ signedIn: false });
  });

  it("the browser opens only https pages or loopback http (the authorize base comes from the service)", () => {
    expect(browserUrl("https://rssp.example/oauth2/authorize?x=1")).toBe("https://rssp.example/oauth2/authorize?x=1");
    expect(browserUrl("http://127.0.0.1:9/oauth2/authorize")).toBe("http://127.0.0.1:9/oauth2/authorize");
    for (const url of ["http://rssp.example/oauth2/authorize", "file:///etc/passwd", "javascript:alert(1)"]) {
      expect(() => browserUrl(url)).toThrow(/refusing/);
    }
  });
});
