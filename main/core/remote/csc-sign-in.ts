/**
 * The browser step of a CSC sign-in (OAuth 2.0 for native apps, RFC 8252): for one sign-in the core opens a
 * listener on `http://127.0.0.1:<random port>/callback`, builds the authorize URL with that redirect, has the shell
 * open it in the system browser (never an embedded view: the user types the password only at the provider), and
 * waits for the one redirect. The `state` must match (else it is a forged or stale redirect, refused before any
 * code is exchanged); the listener closes on the first callback, on cancel, or after `timeoutMs`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KysoError } from "../../domain/errors/index.js";
import { message } from "../../domain/messages/index.js";

/** Opens a URL in the system browser (the app: `shell.openExternal`; the sandbox prints it; tests fetch it). */
export type BrowserOpener = (url: string) => Promise<void>;

export interface AuthorizationRequest {
  /** The authorize URL for a redirect URI (the listener's, known only once it listens). */
  readonly build: (redirectUri: string) => string;
  /** The `state` the URL carries; the redirect must bring the same back. */
  readonly state: string;
  readonly signal?: AbortSignal;
}

export interface AuthorizationCode {
  readonly code: string;
  /** The redirect URI the code was issued for (the token request must repeat it exactly). */
  readonly redirectUri: string;
}

/** The core's port for the interactive sign-in; `CscProvider.signIn` drives it. */
export interface RemoteSignIn {
  authorize(request: AuthorizationRequest): Promise<AuthorizationCode>;
}

export interface LoopbackSignInOptions {
  readonly open: BrowserOpener;
  /** How long the user has to finish in the browser (default 5 minutes). */
  readonly timeoutMs?: number;
}

const CALLBACK_PATH = "/callback";
/** The page the browser shows after the redirect, in both languages: static text, no script, nothing echoed. */
const PAGE = (ok: boolean): string => {
  const key = ok ? "remoteAccounts.browserDone" : "remoteAccounts.browserFailed";
  return `<!doctype html><meta charset="utf-8"><title>KySo</title><p lang="vi">${message("vi", key)}</p><p lang="en">${message("en", key)}</p>`;
};

/**
 * Only an https page (or http on a loopback address, the local test service) goes to the system browser: the
 * authorize URL's base comes from the service's `info` reply, and `shell.openExternal` would open any scheme.
 */
export function browserUrl(raw: string): string {
  const url = new URL(raw);
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "[::1]" || url.hostname === "localhost";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw new KysoError("remote_sign_in_failed", `refusing to open a ${url.protocol} URL in the browser`);
  return url.toString();
}

export function loopbackSignIn(options: LoopbackSignInOptions): RemoteSignIn {
  return {
    async authorize(request) {
      if (request.signal?.aborted) throw new KysoError("remote_sign_in_failed", "sign-in cancelled");
      let settle!: { resolve: (code: string) => void; reject: (error: KysoError) => void };
      const result = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
      // Settled while the opener may still be running (the redirect arrives before `open` returns): observed below.
      result.catch(() => undefined);
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        // Only the callback path ends the sign-in (a browser may also ask for /favicon.ico).
        if (req.method !== "GET" || url.pathname !== CALLBACK_PATH) {
          res.writeHead(404, { "content-type": "text/plain" }).end();
          return;
        }
        const code = url.searchParams.get("code");
        const state = url.searchParams.get("state");
        const error = url.searchParams.get("error");
        const ok = !error && state === request.state && !!code;
        res.writeHead(ok ? 200 : 400, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(PAGE(ok));
        if (error) settle.reject(new KysoError("remote_sign_in_failed", `authorize: ${error.slice(0, 64)}`));
        else if (state !== request.state) settle.reject(new KysoError("remote_sign_in_failed", "authorize: the redirect's state does not match this sign-in"));
        else if (!code) settle.reject(new KysoError("remote_sign_in_failed", "authorize: no code in the redirect"));
        else settle.resolve(code);
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", resolve);
      });
      const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
      const timer = setTimeout(() => settle.reject(new KysoError("remote_sign_in_failed", "the browser sign-in was not finished in time")), options.timeoutMs ?? 300_000);
      timer.unref?.();
      const onAbort = (): void => settle.reject(new KysoError("remote_sign_in_failed", "sign-in cancelled"));
      request.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        await options.open(browserUrl(request.build(redirectUri)));
        return { code: await result, redirectUri };
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", onAbort);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
