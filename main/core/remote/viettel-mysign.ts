import { randomUUID } from "node:crypto";
import { KysoError } from "../../domain/errors/index.js";
import { HASH_OID } from "../../domain/hash-algorithm.js";
import { signAlgoOid } from "./csc.js";
import { b64, defaultFetch, oauthStyleError, postJson, str, type JsonReply } from "./http.js";
import { waitForPhone } from "./phone-wait.js";
import { keyAlgorithmOf, signOneHash } from "./remote-signer.js";
import { getJsonSecret, MemorySecretStore, type SecretStore } from "./secret-store.js";
import { mysignState } from "./vn-status.js";
import { systemClock, type FetchLike, type RemoteAccount, type RemoteClock, type RemoteCredential, type RemoteProvider, type RemoteBatchSignRequest, type RemoteSignOptions, type RemoteSignRequest } from "./types.js";

export interface ViettelMySignConfig {
  /** The gateway's service base, e.g. `https://remotesigning.viettel.vn:8773/vtss/service/` (trailing slash). */
  readonly baseUrl: string;
  /** Issued by Viettel-CA to the organisation's registered system; from the machine policy, never shipped or logged. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The signing profile Viettel assigns with the client (e.g. `adss:ras:profile:001`); sent when set. */
  readonly profileId?: string;
  /**
   * `login` (default): `ras/v1/login` with the user's id, one token per user. `client-credentials`:
   * `ras/v1/authenticate` (`grant_type=client_credentials`), one token for the organisation's client.
   */
  readonly auth?: "login" | "client-credentials";
  /** Where the session token lives between calls (the OS secret store in the app). */
  readonly secretStore?: SecretStore;
  readonly fetch?: FetchLike;
  readonly clock?: RemoteClock;
  readonly pollIntervalMs?: number;
  /** How long the phone has to confirm; Viettel publishes no figure, 5 minutes as VNPT. */
  readonly expiryMs?: number;
  readonly newDocumentId?: () => string;
}

interface SessionToken {
  readonly accessToken: string;
  readonly expiresAt: number;
}

function isSessionToken(value: unknown): value is SessionToken {
  const v = value as Partial<SessionToken> | null;
  return typeof v === "object" && v !== null && typeof v.accessToken === "string" && typeof v.expiresAt === "number";
}

/**
 * Viettel MySign (Viettel-CA's remote signing gateway): `ras/v1/login` or `ras/v1/authenticate` -> Bearer token,
 * `certificates/info`, `signHash` with `async: 1` -> `transactionId`, then `requests/status` until the user
 * confirms in the MySign app. Sends the digest only (base64, with its OID), never the document.
 */
export class ViettelMySignProvider implements RemoteProvider {
  readonly kind = "viettel-mysign" as const;
  private readonly fetch: FetchLike;
  private readonly clock: RemoteClock;
  private readonly store: SecretStore;
  private readonly secrets: string[];

  constructor(private readonly config: ViettelMySignConfig) {
    this.fetch = config.fetch ?? defaultFetch;
    this.clock = config.clock ?? systemClock;
    this.store = config.secretStore ?? new MemorySecretStore();
    this.secrets = [config.clientSecret];
  }

  /** The SecretStore key of a session: per user for `login`, per client for `client-credentials`. */
  tokenKey(account: RemoteAccount): string {
    const who = this.config.auth === "client-credentials" ? "" : `:${account.userId}`;
    return `viettel-mysign:${this.config.clientId}${who}@${this.config.baseUrl}`;
  }

  private url(path: string): string {
    return new URL(path, this.config.baseUrl).toString();
  }

  private async token(account: RemoteAccount, signal?: AbortSignal): Promise<string> {
    const key = this.tokenKey(account);
    const stored = await getJsonSecret(this.store, key, isSessionToken);
    if (stored && stored.expiresAt - 30_000 > this.clock.now()) return stored.accessToken;
    const clientCredentials = this.config.auth === "client-credentials";
    const path = clientCredentials ? "ras/v1/authenticate" : "ras/v1/login";
    const profile = this.config.profileId ? { profile_id: this.config.profileId } : {};
    const body = clientCredentials
      ? new URLSearchParams({ client_id: this.config.clientId, client_secret: this.config.clientSecret, grant_type: "client_credentials" })
      : { client_id: this.config.clientId, client_secret: this.config.clientSecret, user_id: account.userId, ...profile };
    const reply = await postJson(this.fetch, this.url(path), body, { secrets: this.secrets, ...(signal ? { signal } : {}) });
    if (reply.status >= 400 || typeof reply.body.access_token !== "string") throw this.failure(reply, path);
    const accessToken = str(reply.body.access_token, "access_token", path);
    this.secrets.push(accessToken);
    // Samples show `expires_in` as a number or a numeric string (seconds).
    const expiresIn = Number(reply.body.expires_in);
    const expiresAt = this.clock.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000;
    await this.store.set(key, JSON.stringify({ accessToken, expiresAt } satisfies SessionToken));
    return accessToken;
  }

  /** A Bearer call; a 401 (the gateway dropped the session) signs in again once. */
  private async call(account: RemoteAccount, path: string, body: Record<string, unknown>, options: { signal?: AbortSignal | undefined; acceptArray?: boolean } = {}): Promise<JsonReply> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(account, options.signal);
      const reply = await postJson(this.fetch, this.url(path), body, {
        secrets: this.secrets,
        headers: { authorization: `Bearer ${token}` },
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.acceptArray ? { acceptArray: true } : {}),
      });
      if (reply.status === 401 && attempt === 0) {
        await this.store.delete(this.tokenKey(account));
        continue;
      }
      if (reply.status >= 400) throw this.failure(reply, path);
      return reply;
    }
  }

  private failure(reply: JsonReply, path: string): KysoError {
    return oauthStyleError(reply, path, this.kind, this.secrets);
  }

  async listCredentials(account: RemoteAccount): Promise<RemoteCredential[]> {
    const path = "certificates/info";
    const profile = this.config.profileId ? { profile_id: this.config.profileId } : {};
    const reply = await this.call(account, path, { client_id: this.config.clientId, user_id: account.userId, certificates: "chain", certInfo: true, authInfo: true, ...profile }, { acceptArray: true });
    const items = (reply.list ?? (Array.isArray(reply.body.credentials) ? reply.body.credentials : [])) as Record<string, unknown>[];
    const out: RemoteCredential[] = [];
    for (const item of items) {
      const cert = (item.cert ?? {}) as Record<string, unknown>;
      const ders = (Array.isArray(cert.certificates) ? cert.certificates : []).map((c) => b64(typeof c === "string" ? c.replace(/\s+/g, "") : c, "cert.certificates", path));
      const [certificate, ...chain] = ders;
      // A credential without a certificate cannot be checked or used: leave it out rather than fail the list.
      if (!certificate) continue;
      out.push({ id: str(item.credential_id, "credential_id", path), certificate, chain, keyAlgorithm: keyAlgorithmOf(certificate) });
    }
    return out;
  }

  signHash(account: RemoteAccount, request: RemoteSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array> {
    return signOneHash(this, account, request, options);
  }

  /** `signHash` with `numSignatures` = N and N entries in `hash[]`/`documents[]`: one confirmation in the app. */
  async signHashes(account: RemoteAccount, request: RemoteBatchSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array[]> {
    const name = `${request.transaction.description} (${request.transaction.origin})`.slice(0, 500);
    const count = request.digests.length;
    const started = this.clock.now();
    const sent = await this.call(account, "signHash", {
      client_id: this.config.clientId,
      credentialID: request.credentialId,
      numSignatures: count,
      // `document_name` is what the MySign app shows: the title and the portal's origin, nothing of the content.
      documents: request.digests.map((_, index) => ({ document_id: this.config.newDocumentId?.() ?? randomUUID(), document_name: count === 1 ? name : `${name} ${index + 1}/${count}` })),
      hash: request.digests.map((digest) => Buffer.from(digest).toString("base64")),
      hashAlgo: HASH_OID[request.hashAlgorithm],
      signAlgo: signAlgoOid(request),
      async: 1,
    }, { signal: options.signal });
    const transactionId = str(sent.body.transactionId, "transactionId", "signHash");
    const path = "requests/status";
    return waitForPhone(async () => {
      const reply = await this.call(account, path, { transactionId }, { signal: options.signal });
      const message = typeof reply.body.description === "string" ? reply.body.description : typeof reply.body.message === "string" ? reply.body.message : "";
      const state = mysignState(reply.body.status, transactionId, message);
      if (state.state !== "success") return { state };
      const signatures: unknown[] = Array.isArray(reply.body.signatures) ? reply.body.signatures : [];
      if (signatures.length !== count) throw new KysoError("remote_unavailable", `${path}: ${signatures.length} signatures for ${count} hashes`);
      // In the order of `hash[]`; samples show the base64 wrapped with CR/LF.
      return { state, value: signatures.map((s) => b64(typeof s === "string" ? s.replace(/\s+/g, "") : s, "signatures", path)) };
    }, {
      provider: this.kind,
      transactionId,
      clock: this.clock,
      started,
      expiryMs: this.config.expiryMs ?? 300_000,
      intervalMs: this.config.pollIntervalMs ?? 2_000,
      secrets: this.secrets,
      options,
    });
  }
}
