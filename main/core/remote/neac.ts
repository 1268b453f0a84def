import { randomUUID } from "node:crypto";
import { KysoError } from "../../domain/errors/index.js";
import { redactError, remoteStateError } from "./errors.js";
import { b64, defaultFetch } from "./http.js";
import { signOneHash } from "./remote-signer.js";
import { postVnGateway, vnCredential } from "./vn-gateway.js";
import { hex, vnState } from "./vn-status.js";
import { systemClock, type FetchLike, type RemoteAccount, type RemoteClock, type RemoteCredential, type RemoteProvider, type RemoteBatchSignRequest, type RemoteSignOptions, type RemoteSignRequest } from "./types.js";

export interface NeacConfig {
  /** e.g. `https://esign.neac.gov.vn/` (with the trailing slash). */
  readonly baseUrl: string;
  /** Issued to the organisation's registered system; from the machine policy, never shipped or logged. */
  readonly spId: string;
  readonly spPassword: string;
  readonly fetch?: FetchLike;
  readonly clock?: RemoteClock;
  readonly newDocId?: () => string;
}

/**
 * NEAC eSign gateway (Circular 15/2025 Appendix III): `sign_v2/get_certificate`, `sign_v2/sign` with
 * `sign_type: "hash"`. The documented `sign` reply carries the signed files, so the gateway holds the request
 * open until the phone decides: one exchange, no polling.
 */
export class NeacProvider implements RemoteProvider {
  readonly kind = "neac" as const;
  private readonly fetch: FetchLike;
  private readonly clock: RemoteClock;
  private readonly secrets: readonly string[];

  constructor(private readonly config: NeacConfig) {
    this.fetch = config.fetch ?? defaultFetch;
    this.clock = config.clock ?? systemClock;
    this.secrets = [config.spPassword, config.spId];
  }

  private async call(path: string, account: RemoteAccount, body: Record<string, unknown>, signal?: AbortSignal) {
    const { code, message, data } = await postVnGateway(this.fetch, this.config, path, {
      user_id: account.userId,
      ...(account.caName ? { ca_name: account.caName } : {}),
      ...body,
    }, { secrets: this.secrets, timeoutMs: 330_000, ...(signal ? { signal } : {}) });
    const state = vnState(code, "", message);
    if (state.state === "waiting_for_phone") throw new KysoError("remote_unavailable", `${path}: still waiting in a synchronous reply`);
    if (state.state !== "success") throw redactError(remoteStateError(state, this.kind), this.secrets);
    return data;
  }

  async listCredentials(account: RemoteAccount): Promise<RemoteCredential[]> {
    const path = "sign_v2/get_certificate";
    const data = await this.call(path, account, {});
    const list = Array.isArray(data.user_certificates) ? (data.user_certificates as Record<string, unknown>[]) : [data];
    return list.map((entry) => vnCredential(entry, path));
  }

  signHash(account: RemoteAccount, request: RemoteSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array> {
    return signOneHash(this, account, request, options);
  }

  /** `sign_v2/sign` with every digest of a batch in `sign_files[]`: one request, one confirmation. */
  async signHashes(account: RemoteAccount, request: RemoteBatchSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array[]> {
    if (request.hashAlgorithm !== "SHA-256") throw new KysoError("unsupported_algorithm", `NEAC hash signing with ${request.hashAlgorithm}`);
    const docIds = request.digests.map(() => this.config.newDocId?.() ?? randomUUID());
    options.onState?.({ state: "waiting_for_phone", transactionId: docIds[0] ?? "", expiresAt: this.clock.now() + 300_000 });
    const path = "sign_v2/sign";
    const data = await this.call(path, account, {
      serial_number: request.credentialId,
      transaction_desc: `${request.transaction.description} (${request.transaction.origin})`.slice(0, 500),
      sign_files: request.digests.map((digest, index) => ({ doc_id: docIds[index], file_type: "hash", sign_type: "hash", data_to_be_signed: hex(digest) })),
    }, options.signal);
    const files = Array.isArray(data.signed_files) ? (data.signed_files as Record<string, unknown>[]) : [];
    const signatures = docIds.map((docId) => {
      const mine = files.find((f) => f.doc_id === docId);
      if (!mine) throw new KysoError("remote_unavailable", `${path}: no signed file for a document sent`);
      return b64(mine.signature_value, "signature_value", path);
    });
    options.onState?.({ state: "success" });
    return signatures;
  }
}
