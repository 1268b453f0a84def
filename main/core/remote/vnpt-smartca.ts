import { randomUUID } from "node:crypto";
import { KysoError } from "../../domain/errors/index.js";
import { redactError, remoteStateError } from "./errors.js";
import { b64, defaultFetch } from "./http.js";
import { signOneHash } from "./remote-signer.js";
import { postVnGateway, vnCredential, type VnReply } from "./vn-gateway.js";
import { waitForPhone } from "./phone-wait.js";
import { hex, vnState, VN_STATUS } from "./vn-status.js";
import { systemClock, type FetchLike, type RemoteAccount, type RemoteClock, type RemoteCredential, type RemoteProvider, type RemoteBatchSignRequest, type RemoteSignOptions, type RemoteSignRequest } from "./types.js";

export interface VnptSmartCaConfig {
  /** e.g. `https://gwsca.vnpt.vn/sca/sp769/v1/` (with the trailing slash). */
  readonly baseUrl: string;
  /** Issued by VNPT to the organisation's registered system; from the machine policy, never shipped or logged. */
  readonly spId: string;
  readonly spPassword: string;
  readonly fetch?: FetchLike;
  readonly clock?: RemoteClock;
  readonly pollIntervalMs?: number;
  /** VNPT expires an unconfirmed transaction after about five minutes. */
  readonly expiryMs?: number;
  readonly newTransactionId?: () => string;
}

/** VNPT SmartCA, sp769 v1: `credentials/get_certificate`, `signatures/sign`, `signatures/sign/{id}/status`. */
export class VnptSmartCaProvider implements RemoteProvider {
  readonly kind = "vnpt-smartca" as const;
  private readonly fetch: FetchLike;
  private readonly clock: RemoteClock;
  private readonly secrets: readonly string[];

  constructor(private readonly config: VnptSmartCaConfig) {
    this.fetch = config.fetch ?? defaultFetch;
    this.clock = config.clock ?? systemClock;
    this.secrets = [config.spPassword, config.spId];
  }

  private call(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<VnReply> {
    return postVnGateway(this.fetch, this.config, path, body, { secrets: this.secrets, ...(signal ? { signal } : {}) });
  }

  async listCredentials(account: RemoteAccount): Promise<RemoteCredential[]> {
    const path = "credentials/get_certificate";
    const { code, message, data } = await this.call(path, { user_id: account.userId, transaction_id: this.transactionId() });
    if (code !== VN_STATUS.ok && code !== VN_STATUS.success) throw this.failure(code, message, path);
    const list = Array.isArray(data.user_certificates) ? (data.user_certificates as Record<string, unknown>[]) : [];
    return list.map((entry) => vnCredential(entry, path));
  }

  signHash(account: RemoteAccount, request: RemoteSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array> {
    return signOneHash(this, account, request, options);
  }

  /** sp769 `sign_files[]`: every digest of a batch in one transaction, one confirmation in the SmartCA app. */
  async signHashes(account: RemoteAccount, request: RemoteBatchSignRequest, options: RemoteSignOptions = {}): Promise<Uint8Array[]> {
    if (request.hashAlgorithm !== "SHA-256") throw new KysoError("unsupported_algorithm", `VNPT SmartCA hash signing with ${request.hashAlgorithm}`);
    const transactionId = this.transactionId();
    const docIds = request.digests.map((_, index) => `kyso-${index + 1}`);
    const started = this.clock.now();
    const sent = await this.call("signatures/sign", {
      user_id: account.userId,
      transaction_id: transactionId,
      transaction_desc: `${request.transaction.description} (${request.transaction.origin})`.slice(0, 500),
      serial_number: request.credentialId,
      sign_files: request.digests.map((digest, index) => ({ data_to_be_signed: hex(digest), doc_id: docIds[index], file_type: "hash", sign_type: "hash" })),
    }, options.signal);
    const first = vnState(sent.code, transactionId, sent.message);
    if (first.state !== "waiting_for_phone" && first.state !== "success") throw this.failure(sent.code, sent.message, "signatures/sign");
    const remoteId = typeof sent.data.transaction_id === "string" ? sent.data.transaction_id : transactionId;
    const path = `signatures/sign/${encodeURIComponent(remoteId)}/status`;
    return waitForPhone(async () => {
      const { code, message, data } = await this.call(path, {}, options.signal);
      const state = vnState(code, remoteId, message);
      if (state.state !== "success") return { state };
      const signatures = Array.isArray(data.signatures) ? (data.signatures as Record<string, unknown>[]) : [];
      // Matched by doc_id; a single-file reply without ids is taken as that file's.
      const value = docIds.map((docId) => b64((signatures.find((s) => s.doc_id === docId) ?? (docIds.length === 1 ? signatures[0] : undefined))?.signature_value, "signature_value", path));
      return { state, value };
    }, {
      provider: this.kind,
      transactionId: remoteId,
      clock: this.clock,
      started,
      expiryMs: this.config.expiryMs ?? 300_000,
      intervalMs: this.config.pollIntervalMs ?? 2_000,
      secrets: this.secrets,
      options,
    });
  }

  private failure(code: number, message: string, path: string): KysoError {
    const state = vnState(code, "", message);
    if (state.state === "waiting_for_phone" || state.state === "success") return new KysoError("remote_unavailable", `${path}: unexpected status ${code}`);
    return redactError(remoteStateError(state, this.kind), this.secrets);
  }

  private transactionId(): string {
    return this.config.newTransactionId?.() ?? randomUUID();
  }
}
