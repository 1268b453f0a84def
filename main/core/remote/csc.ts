import { createHash, randomBytes } from "node:crypto";
import { KysoError } from "../../domain/errors/index.js";
import { HASH_OID } from "../../domain/hash-algorithm.js";
import { redactError } from "./errors.js";
import { b64, defaultFetch, postJson, str, type JsonReply } from "./http.js";
import { keyAlgorithmOf } from "./remote-signer.js";
import { systemClock, type FetchLike, type RemoteAccount, type RemoteClock, type RemoteCredential, type RemoteProvider, type RemoteSignOptions, type RemoteSignRequest } from "./types.js";

/** Signature algorithm OIDs CSC's `signAlgo` takes (RFC 8017 rsaEncryption, RFC 5758 ecdsa-with-SHA*). */
const RSA_OID = "1.2.840.113549.1.1.1";
const ECDSA_OID = { "SHA-256": "1.2.840.10045.4.3.2", "SHA-384": "1.2.840.10045.4.3.3", "SHA-512": "1.2.840.10045.4.3.4" } as const;

export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresAt: number;
}

/** Where tokens live between runs; the app's implementation is the OS secret store (not wired yet). */
export interface TokenStore {
  load(): Promise<OAuthTokens | undefined>;
  save(tokens: OAuthTokens | undefined): Promise<void>;
}

export function memoryTokenStore(): TokenStore {
  let tokens: OAuthTokens | undefined;
  return { load: async () => tokens, save: async (t) => void (tokens = t) };
}

export interface CscConfig {
  /** The service's API base, e.g. `https://rssp.example/csc/v2/` (with the trailing slash). */
  readonly baseUrl: string;
  readonly clientId: string;
  /** Only for a confidential client registered by the organisation; a public client uses PKCE alone. */
  readonly clientSecret?: string;
  readonly redirectUri: string;
  /** Opens `url` in the system browser and resolves with the `code` the redirect carried (browser step: not here). */
  readonly authorize: (url: string, state: string) => Promise<string>;
  /** For `credentials/authorize` in explicit mode with an OTP: asks the user (never stored). */
  readonly otp?: () => Promise<string>;
  readonly tokens?: TokenStore;
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
 * `credentials/authorize` (implicit, or explicit with an OTP) and `signatures/signHash`.
 */
export class CscProvider implements RemoteProvider {
  readonly kind = "csc" as const;
  private readonly fetch: FetchLike;
  private readonly clock: RemoteClock;
  private readonly tokens: TokenStore;
  private readonly secrets: string[];
  private oauthBase: string | undefined;

  constructor(private readonly config: CscConfig) {
    this.fetch = config.fetch ?? defaultFetch;
    this.clock = config.clock ?? systemClock;
    this.tokens = config.tokens ?? memoryTokenStore();
    this.secrets = config.clientSecret ? [config.clientSecret] : [];
  }

  async info(): Promise<Record<string, unknown>> {
    const reply = await this.post("info", {}, undefined);
    this.oauthBase = typeof reply.body.oauth2 === "string" ? reply.body.oauth2 : this.config.baseUrl;
    return reply.body;
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

  /** CSC errors are OAuth-style `{error, error_description}`; map the ones with a meaning to the user. */
  private failure(reply: JsonReply, path: string, token: string | undefined): KysoError {
    const error = typeof reply.body.error === "string" ? reply.body.error : `HTTP ${reply.status}`;
    const description = typeof reply.body.error_description === "string" ? reply.body.error_description.slice(0, 200) : "";
    const detail = `${path}: ${error}${description ? ` (${description})` : ""}`;
    const details = { provider: this.kind, remoteError: error };
    const code =
      error === "access_denied" ? "user_rejected"
      : error === "expired_token" || error === "authorization_pending_expired" ? "timeout"
      : error === "quota_exceeded" || error === "insufficient_quota" ? "remote_quota_exceeded"
      : reply.status === 401 || error === "invalid_token" ? "remote_unavailable"
      : reply.status >= 500 ? "remote_unavailable"
      : "signing_failed";
    return redactError(new KysoError(code, detail, details), [...this.secrets, ...(token ? [token] : [])]);
  }

  /** A valid access token: the stored one, a refreshed one, or a new authorization code exchange with PKCE. */
  async accessToken(): Promise<string> {
    const now = this.clock.now();
    const stored = await this.tokens.load();
    if (stored && stored.expiresAt - 30_000 > now) return stored.accessToken;
    if (this.oauthBase === undefined) await this.info();
    if (stored?.refreshToken) {
      try {
        return await this.exchange({ grant_type: "refresh_token", refresh_token: stored.refreshToken });
      } catch (error) {
        // A refused refresh token falls back to a new sign-in; anything else is a real failure.
        if (!(error instanceof KysoError) || error.code !== "signing_failed") throw error;
      }
    }
    const { verifier, challenge } = pkcePair();
    const state = base64url(randomBytes(16));
    const url = new URL("oauth2/authorize", this.oauthBase);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: this.config.clientId, redirect_uri: this.config.redirectUri, scope: "service", code_challenge: challenge, code_challenge_method: "S256", state })) {
      url.searchParams.set(k, v);
    }
    const code = await this.config.authorize(url.toString(), state);
    return this.exchange({ grant_type: "authorization_code", code, redirect_uri: this.config.redirectUri, code_verifier: verifier });
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
    await this.tokens.save({ accessToken, ...(refreshToken ? { refreshToken } : {}), expiresAt: this.clock.now() + expiresIn * 1000 });
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

  async signHash(account: RemoteAccount, request: RemoteSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array> {
    void account;
    const token = await this.accessToken();
    const hash = Buffer.from(request.digest).toString("base64");
    options.onState?.({ state: "waiting_for_phone", transactionId: request.credentialId });
    const info = await this.post("credentials/info", { credentialID: request.credentialId, certificates: "none", authInfo: true }, token, options.signal);
    const explicit = info.body.authMode === "explicit";
    const otp = explicit && this.config.otp ? await this.config.otp() : undefined;
    const authorized = await this.post("credentials/authorize", {
      credentialID: request.credentialId,
      numSignatures: 1,
      hashes: [hash],
      hashAlgorithmOID: HASH_OID[request.hashAlgorithm],
      description: `${request.transaction.description} (${request.transaction.origin})`.slice(0, 500),
      ...(otp ? { OTP: otp } : {}),
    }, token, options.signal);
    const sad = str(authorized.body.SAD, "SAD", "credentials/authorize");
    this.secrets.push(sad, ...(otp ? [otp] : []));
    const signed = await this.post("signatures/signHash", {
      credentialID: request.credentialId,
      SAD: sad,
      hashes: [hash],
      hashAlgorithmOID: HASH_OID[request.hashAlgorithm],
      signAlgo: request.scheme === "ecdsa" ? ECDSA_OID[request.hashAlgorithm] : RSA_OID,
    }, token, options.signal);
    const signatures = Array.isArray(signed.body.signatures) ? signed.body.signatures : [];
    options.onState?.({ state: "success" });
    return b64(signatures[0], "signatures", "signatures/signHash");
  }
}
