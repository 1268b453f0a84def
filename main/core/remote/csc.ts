import { createHash, randomBytes } from "node:crypto";
import { KysoError } from "../../domain/errors/index.js";
import { HASH_OID } from "../../domain/hash-algorithm.js";
import { b64, defaultFetch, oauthErrorState, oauthStyleError, postJson, str, type JsonReply } from "./http.js";
import { waitForPhone } from "./phone-wait.js";
import { keyAlgorithmOf, signOneHash } from "./remote-signer.js";
import type { RemoteSignIn } from "./csc-sign-in.js";
import { getJsonSecret, MemorySecretStore, type SecretStore } from "./secret-store.js";
import { systemClock, type FetchLike, type RemoteAccount, type RemoteClock, type RemoteCredential, type RemoteProvider, type RemoteBatchSignRequest, type RemoteSignOptions, type RemoteSignRequest, type RemoteSignState } from "./types.js";

/** Signature algorithm OIDs CSC's `signAlgo` takes (RFC 8017 rsaEncryption, RFC 5758 ecdsa-with-SHA*). */
const RSA_OID = "1.2.840.113549.1.1.1";
const ECDSA_OID = { "SHA-256": "1.2.840.10045.4.3.2", "SHA-384": "1.2.840.10045.4.3.3", "SHA-512": "1.2.840.10045.4.3.4" } as const;

/** The `signAlgo` OID for a request (CSC, and Viettel MySign which takes the same field). */
export function signAlgoOid(request: Pick<RemoteSignRequest, "scheme" | "hashAlgorithm">): string {
  return request.scheme === "ecdsa" ? ECDSA_OID[request.hashAlgorithm] : RSA_OID;
}

export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresAt: number;
}

function isOAuthTokens(value: unknown): value is OAuthTokens {
  const v = value as Partial<OAuthTokens> | null;
  return typeof v === "object" && v !== null && typeof v.accessToken === "string" && typeof v.expiresAt === "number" && (v.refreshToken === undefined || typeof v.refreshToken === "string");
}

/** The SecretStore key of one service's tokens for one client (a user signs in once per service). */
export function cscTokenKey(config: Pick<CscConfig, "baseUrl" | "clientId">): string {
  return `csc-oauth:${config.clientId}@${config.baseUrl}`;
}

export interface CscConfig {
  /** The service's API base, e.g. `https://rssp.example/csc/v2/` (with the trailing slash). */
  readonly baseUrl: string;
  readonly clientId: string;
  /** Only for a confidential client registered by the organisation; a public client uses PKCE alone. */
  readonly clientSecret?: string;
  readonly redirectUri: string;
  /**
   * The sign-in the user starts (settings page, `remote.signIn`): a loopback redirect listener per sign-in and the
   * system browser (csc-sign-in.ts). Listing and signing never open the browser by themselves with it: without
   * tokens they fail with `remote_sign_in_required`.
   */
  readonly signIn?: RemoteSignIn;
  /**
   * Older hook (tests): opens `url` (redirect `redirectUri`) and resolves with the redirect's `code`; called on
   * demand whenever no token is stored.
   */
  readonly authorize?: (url: string, state: string) => Promise<string>;
  /** For `credentials/authorize` in explicit mode with an OTP: asks for it (never stored); else the sign request's `otp` (the approval). */
  readonly otp?: () => Promise<string>;
  /** Where the OAuth tokens live (the OS secret store in the app); the provider keeps them nowhere else. */
  readonly secretStore?: SecretStore;
  /**
   * `signatures/signHash` in the specification's asynchronous mode (`operationMode: "A"`, then
   * `signatures/signPolling`): `"auto"` (default) uses it when `info` advertises `asynchronousOperationMode`.
   */
  readonly operationMode?: "auto" | "sync" | "async";
  readonly pollIntervalMs?: number;
  /** How long an asynchronous request may stay pending (sent as `validity_period`, seconds). */
  readonly expiryMs?: number;
  readonly fetch?: FetchLike;
  readonly clock?: RemoteClock;
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");

/** RFC 7636: a 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash("sha256").update(verifier).digest()) };
}

/**
 * Generic Cloud Signature Consortium API v2 client (also speaks v1.0.4 where the calls coincide): `info`,
 * OAuth2 authorization code with PKCE and refresh, `credentials/list`, `credentials/info`,
 * `credentials/authorize` (implicit, or explicit with an OTP) and `signatures/signHash`, synchronous or
 * asynchronous with `signatures/signPolling`. OAuth tokens go through the `SecretStore` only.
 */
export class CscProvider implements RemoteProvider {
  readonly kind = "csc" as const;
  private readonly fetch: FetchLike;
  private readonly clock: RemoteClock;
  private readonly store: SecretStore;
  private readonly tokenKey: string;
  private readonly secrets: string[];
  private oauthBase: string | undefined;
  private asyncAdvertised = false;

  constructor(private readonly config: CscConfig) {
    this.fetch = config.fetch ?? defaultFetch;
    this.clock = config.clock ?? systemClock;
    this.store = config.secretStore ?? new MemorySecretStore();
    this.tokenKey = cscTokenKey(config);
    this.secrets = config.clientSecret ? [config.clientSecret] : [];
  }

  async info(): Promise<Record<string, unknown>> {
    const reply = await this.post("info", {}, undefined);
    this.oauthBase = typeof reply.body.oauth2 === "string" ? reply.body.oauth2 : this.config.baseUrl;
    const methods = Array.isArray(reply.body.methods) ? reply.body.methods : [];
    this.asyncAdvertised = reply.body.asynchronousOperationMode === true && methods.includes("signatures/signPolling");
    return reply.body;
  }

  /** Forgets the stored tokens (sign out): the next call needs a new sign-in in the browser. */
  async signOut(): Promise<void> {
    await this.store.delete(this.tokenKey);
  }

  /** Whether tokens are stored, and until when the access token is good (a refresh token renews it). */
  async signInStatus(): Promise<{ readonly signedIn: boolean; readonly expiresAt?: number; readonly refreshable?: boolean }> {
    const stored = await getJsonSecret(this.store, this.tokenKey, isOAuthTokens);
    if (!stored) return { signedIn: false };
    return { signedIn: true, expiresAt: stored.expiresAt, refreshable: stored.refreshToken !== undefined };
  }

  /**
   * The interactive sign-in (the user asked for it): authorization code with PKCE through `signIn` (or the older
   * `authorize` hook), tokens into the SecretStore. A forged redirect (`state`) is refused by the port before any
   * exchange; a wrong verifier is refused by the service (`signing_failed`), and nothing is stored then.
   */
  async signIn(signal?: AbortSignal): Promise<void> {
    if (this.oauthBase === undefined) await this.info();
    await this.authorizationCode(signal);
  }

  private async authorizationCode(signal?: AbortSignal): Promise<string> {
    const { verifier, challenge } = pkcePair();
    const state = base64url(randomBytes(16));
    const build = (redirectUri: string): string => {
      const url = new URL("oauth2/authorize", this.oauthBase);
      for (const [k, v] of Object.entries({ response_type: "code", client_id: this.config.clientId, redirect_uri: redirectUri, scope: "service", code_challenge: challenge, code_challenge_method: "S256", state })) {
        url.searchParams.set(k, v);
      }
      return url.toString();
    };
    let code: string;
    let redirectUri: string;
    if (this.config.signIn) {
      ({ code, redirectUri } = await this.config.signIn.authorize({ build, state, ...(signal ? { signal } : {}) }));
    } else if (this.config.authorize) {
      redirectUri = this.config.redirectUri;
      code = await this.config.authorize(build(redirectUri), state);
    } else {
      throw new KysoError("remote_sign_in_required", "csc: no sign-in step in this build");
    }
    return this.exchange({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier });
  }

  private async post(path: string, body: Record<string, unknown> | URLSearchParams, token: string | undefined, signal?: AbortSignal, base = this.config.baseUrl): Promise<JsonReply> {
    const reply = await postJson(this.fetch, new URL(path, base).toString(), body, {
      secrets: [...this.secrets, ...(token ? [token] : [])],
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(signal ? { signal } : {}),
    });
    if (reply.status >= 400) throw this.failure(reply, path, token);
    return reply;
  }

  /** CSC errors are OAuth-style `{error, error_description}` (http.ts maps the ones with a meaning to the user). */
  private failure(reply: JsonReply, path: string, token: string | undefined): KysoError {
    return oauthStyleError(reply, path, this.kind, [...this.secrets, ...(token ? [token] : [])]);
  }

  /** A valid access token: the stored one, a refreshed one, or a new authorization code exchange with PKCE. */
  async accessToken(): Promise<string> {
    const now = this.clock.now();
    const stored = await getJsonSecret(this.store, this.tokenKey, isOAuthTokens);
    if (stored && stored.expiresAt - 30_000 > now) return stored.accessToken;
    if (this.oauthBase === undefined) await this.info();
    if (stored?.refreshToken) {
      try {
        return await this.exchange({ grant_type: "refresh_token", refresh_token: stored.refreshToken });
      } catch (error) {
        // A refused refresh token falls back to a new sign-in; anything else is a real failure.
        if (!(error instanceof KysoError) || error.code !== "signing_failed") throw error;
        await this.store.delete(this.tokenKey);
      }
    }
    // Only the older on-demand hook opens the browser from here; with the sign-in port the user starts it.
    if (!this.config.authorize) throw new KysoError("remote_sign_in_required", "csc: not signed in");
    return this.authorizationCode();
  }

  private async exchange(grant: Record<string, string>): Promise<string> {
    const form = new URLSearchParams({ ...grant, client_id: this.config.clientId, ...(this.config.clientSecret ? { client_secret: this.config.clientSecret } : {}) });
    const secrets = Object.values(grant);
    this.secrets.push(...secrets.filter((s) => s.length >= 16));
    const reply = await this.post("oauth2/token", form, undefined, undefined, this.oauthBase);
    const accessToken = str(reply.body.access_token, "access_token", "oauth2/token");
    const expiresIn = typeof reply.body.expires_in === "number" ? reply.body.expires_in : 3600;
    const refreshToken = typeof reply.body.refresh_token === "string" ? reply.body.refresh_token : undefined;
    this.secrets.push(accessToken, ...(refreshToken ? [refreshToken] : []));
    const tokens: OAuthTokens = { accessToken, ...(refreshToken ? { refreshToken } : {}), expiresAt: this.clock.now() + expiresIn * 1000 };
    await this.store.set(this.tokenKey, JSON.stringify(tokens));
    return accessToken;
  }

  async listCredentials(account: RemoteAccount): Promise<RemoteCredential[]> {
    const token = await this.accessToken();
    const list = await this.post("credentials/list", { userID: account.userId }, token);
    const ids = Array.isArray(list.body.credentialIDs) ? (list.body.credentialIDs as unknown[]) : [];
    const out: RemoteCredential[] = [];
    for (const id of ids) {
      const credentialId = str(id, "credentialIDs", "credentials/list");
      const info = await this.post("credentials/info", { credentialID: credentialId, certificates: "chain", certInfo: false, authInfo: true }, token);
      const cert = (info.body.cert ?? {}) as Record<string, unknown>;
      const ders = (Array.isArray(cert.certificates) ? cert.certificates : []).map((c) => b64(c, "cert.certificates", "credentials/info"));
      const [certificate, ...chain] = ders;
      if (!certificate) throw new KysoError("remote_unavailable", "credentials/info: no certificate");
      out.push({ id: credentialId, certificate, chain, keyAlgorithm: keyAlgorithmOf(certificate) });
    }
    return out;
  }

  signHash(account: RemoteAccount, request: RemoteSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array> {
    return signOneHash(this, account, request, options);
  }

  /** `credentials/authorize` with `numSignatures` = N over all N `hashes` (one SAD, one confirmation), then one `signHash`. */
  async signHashes(account: RemoteAccount, request: RemoteBatchSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array[]> {
    void account;
    const token = await this.accessToken();
    const hashes = request.digests.map((digest) => Buffer.from(digest).toString("base64"));
    options.onState?.({ state: "waiting_for_phone", transactionId: request.credentialId });
    const info = await this.post("credentials/info", { credentialID: request.credentialId, certificates: "none", authInfo: true }, token, options.signal);
    const explicit = info.body.authMode === "explicit";
    // A hook the embedder supplied (tests, a headless build) wins; the app has none, so the approval asks.
    const ask = this.config.otp ?? options.otp;
    const otp = explicit && otpRequired(info.body) && ask ? await ask() : undefined;
    // The OTP is redacted from every error from here on (a service may echo it back); it is never stored.
    if (otp) this.secrets.push(otp);
    const authorized = await this.post("credentials/authorize", {
      credentialID: request.credentialId,
      numSignatures: hashes.length,
      hashes,
      hashAlgorithmOID: HASH_OID[request.hashAlgorithm],
      description: `${request.transaction.description} (${request.transaction.origin})`.slice(0, 500),
      ...(otp ? { OTP: otp } : {}),
    }, token, options.signal).catch((error: unknown) => {
      // A refused OTP is the user's typo or an expired code, not a broken service: its own code.
      if (error instanceof KysoError && OTP_ERRORS.has(String(error.details?.remoteError))) throw new KysoError("remote_otp_incorrect", error.message, { provider: this.kind });
      throw error;
    });
    const sad = str(authorized.body.SAD, "SAD", "credentials/authorize");
    this.secrets.push(sad);
    const asyncMode = await this.asyncMode();
    const started = this.clock.now();
    const expiryMs = this.config.expiryMs ?? 300_000;
    const signed = await this.post("signatures/signHash", {
      credentialID: request.credentialId,
      SAD: sad,
      hashes,
      hashAlgorithmOID: HASH_OID[request.hashAlgorithm],
      signAlgo: signAlgoOid(request),
      ...(asyncMode ? { operationMode: "A", validity_period: Math.ceil(expiryMs / 1000) } : {}),
    }, token, options.signal);
    // A service may answer an asynchronous request at once (the specification allows it): take the signature.
    if (!asyncMode || Array.isArray(signed.body.signatures)) {
      const signatures = Array.isArray(signed.body.signatures) ? signed.body.signatures : [];
      const values = signaturesFor(signatures, hashes.length, "signatures/signHash");
      options.onState?.({ state: "success" });
      return values;
    }
    const responseId = str(signed.body.responseID, "responseID", "signatures/signHash");
    return waitForPhone(() => this.poll(responseId, hashes.length, token, options.signal), {
      provider: this.kind,
      transactionId: responseId,
      clock: this.clock,
      started,
      expiryMs,
      intervalMs: this.config.pollIntervalMs ?? 2_000,
      secrets: [...this.secrets, token],
      options,
    });
  }

  private async asyncMode(): Promise<boolean> {
    const mode = this.config.operationMode ?? "auto";
    if (mode !== "auto") return mode === "async";
    if (this.oauthBase === undefined) await this.info();
    return this.asyncAdvertised;
  }

  /**
   * One `signatures/signPolling` exchange. Finished: 200 with `signatures`. Still pending: 202, or the
   * specification's error reply for a request not yet completed (400 whose description says so); both are
   * this client's reading of CSC v2 (docs/remote-signing.md "Assumptions to check").
   */
  private async poll(responseId: string, count: number, token: string, signal: AbortSignal | undefined): Promise<{ state: RemoteSignState; value?: Uint8Array[] }> {
    const path = "signatures/signPolling";
    const reply = await postJson(this.fetch, new URL(path, this.config.baseUrl).toString(), { responseID: responseId }, {
      secrets: [...this.secrets, token],
      headers: { authorization: `Bearer ${token}` },
      ...(signal ? { signal } : {}),
    });
    if (reply.status === 202 || isPending(reply)) return { state: { state: "waiting_for_phone", transactionId: responseId } };
    if (reply.status >= 400) {
      const state = oauthErrorState(reply);
      // A 401/5xx while polling is retried by the wait (the phone may still approve); say so with the typed error.
      if (state.state === "network_failure") throw this.failure(reply, path, token);
      return { state };
    }
    const signatures = Array.isArray(reply.body.signatures) ? reply.body.signatures : [];
    return { state: { state: "success" }, value: signaturesFor(signatures, count, path) };
  }
}

/** The OAuth-style error names services use for a wrong or expired OTP (the CSC specification fixes none). */
const OTP_ERRORS = new Set(["invalid_otp", "otp_invalid", "invalid_OTP"]);

/** `credentials/info` says an OTP is needed (`OTP.presence` "true"; absent: older services that always ask). */
function otpRequired(info: Record<string, unknown>): boolean {
  const otp = info.OTP as { presence?: unknown } | undefined;
  return otp === undefined || otp.presence === undefined || otp.presence === "true" || otp.presence === true;
}

/** One signature per hash sent, in the order of `hashes` (CSC v2 `signHash`/`signPolling`). */
function signaturesFor(signatures: readonly unknown[], count: number, path: string): Uint8Array[] {
  if (signatures.length !== count) throw new KysoError("remote_unavailable", `${path}: ${signatures.length} signatures for ${count} hashes`);
  return signatures.map((s) => b64(s, "signatures", path));
}

const PENDING = /not (yet )?(been )?(completed|finished|available)|still (being )?(processed|processing|pending)|in progress|pending/i;

function isPending(reply: JsonReply): boolean {
  const description = typeof reply.body.error_description === "string" ? reply.body.error_description : "";
  return reply.status === 400 && (reply.body.error === "authorization_pending" || (reply.body.error === "invalid_request" && PENDING.test(description)));
}
