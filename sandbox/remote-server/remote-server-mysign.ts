/**
 * The Viettel MySign dialect of the local remote-signing server (mounted under `/mysign/` by
 * remote-signing-server.ts), written from the wire format in shared/notes/vietnam.md and published integration
 * samples' field names, never from vendor code: `ras/v1/login` / `ras/v1/authenticate` -> Bearer token,
 * `certificates/info` (a top-level JSON array), `signHash` with `async: 1` -> `transactionId`, `requests/status`
 * ("0" waiting, "1" signed; 4001/4002 expired/rejected as the client assumes). Quota is refused at `signHash`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HASH_OID, type HashAlgorithm } from "../../main/domain/hash-algorithm.js";
import type { Signer } from "../../main/domain/signer.js";

type Outcome = "approve" | "reject" | "expire" | "quota" | "network";

export interface MySignContext {
  readonly signer: Signer;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly userId: string;
  /** What the phone does, and how many "0" replies come first (the server's shared hooks). */
  outcome(): Outcome;
  waitingPolls(): number;
  signHex(hex: string, hashAlgorithm: HashAlgorithm): Promise<string>;
  /** One signing transaction reached the phone with this many hashes. */
  record(hashes: number): void;
}

export interface MySignServerState {
  /** Live session tokens; a test deletes one to make the gateway answer 401 (the client signs in again). */
  readonly tokens: Map<string, string | undefined>;
  handle(path: string, req: IncomingMessage, raw: string): Promise<[number, unknown] | undefined>;
}

const OID_HASH: Record<string, HashAlgorithm> = Object.fromEntries(Object.entries(HASH_OID).map(([k, v]) => [v, k as HashAlgorithm]));
const RSA_OID = "1.2.840.113549.1.1.1";
const ECDSA_OIDS = new Set(["1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4"]);
/** The gateway's base64 arrives wrapped with CR/LF in the samples: the fixture does the same. */
const wrapped = (bytes: Uint8Array | string): string => (typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("base64")).replace(/(.{76})/g, "$1\r\n");

export function mysignDialect(ctx: MySignContext): MySignServerState {
  const tokens = new Map<string, string | undefined>();
  const transactions = new Map<string, { hashes: string[]; hashAlgorithm: HashAlgorithm; outcome: Outcome; polls: number }>();
  const credentialId = "mysign-cred-1";

  function issue(userId: string | undefined): [number, unknown] {
    const token = randomUUID();
    tokens.set(token, userId);
    return [200, { access_token: token, token_type: "Bearer", expires_in: "3600" }];
  }

  async function handle(path: string, req: IncomingMessage, raw: string): Promise<[number, unknown] | undefined> {
    if (path === "ras/v1/authenticate") {
      const form = new URLSearchParams(raw);
      if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== ctx.clientId || form.get("client_secret") !== ctx.clientSecret) return [401, { error: "invalid_client" }];
      return issue(undefined);
    }
    const body = JSON.parse(raw || "{}") as Record<string, unknown>;
    if (path === "ras/v1/login") {
      if (body.client_id !== ctx.clientId || body.client_secret !== ctx.clientSecret) return [401, { error: "invalid_client", error_description: "client authentication failed" }];
      if (body.user_id !== ctx.userId) return [400, { error: "invalid_request", error_description: "user not found" }];
      return issue(ctx.userId);
    }
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!tokens.has(bearer)) return [401, { error: "invalid_token" }];
    const tokenUser = tokens.get(bearer);
    if (path === "certificates/info") {
      const user = tokenUser ?? body.user_id;
      if (user !== ctx.userId) return [200, []];
      return [200, [{
        credential_id: credentialId,
        key: { status: "enabled", algo: [ctx.signer.keyAlgorithm.kind === "rsa" ? RSA_OID : "1.2.840.10045.2.1"] },
        cert: { status: "valid", certificates: [ctx.signer.certificate, ...ctx.signer.chain].map(wrapped), serialNumber: "54010203" },
        authMode: "implicit",
      }]];
    }
    if (path === "signHash") {
      if (ctx.outcome() === "network") {
        req.socket.destroy();
        return undefined;
      }
      if (ctx.outcome() === "quota") return [400, { error: "quota_exceeded", error_description: "no signing turns left" }];
      const hashes = body.hash as unknown;
      const hashAlgorithm = OID_HASH[body.hashAlgo as string];
      const signAlgoOk = ctx.signer.keyAlgorithm.kind === "rsa" ? body.signAlgo === RSA_OID : ECDSA_OIDS.has(body.signAlgo as string);
      if (body.credentialID !== credentialId || !Array.isArray(hashes) || hashes.length === 0 || body.numSignatures !== hashes.length || !hashAlgorithm || !signAlgoOk || body.async !== 1) {
        return [400, { error: "invalid_request", error_description: "bad signHash request" }];
      }
      const id = randomUUID();
      ctx.record(hashes.length);
      transactions.set(id, { hashes: hashes.map(String), hashAlgorithm, outcome: ctx.outcome(), polls: 0 });
      return [200, { transactionId: id }];
    }
    if (path === "requests/status") {
      const tx = transactions.get(body.transactionId as string);
      if (!tx) return [400, { error: "invalid_request", error_description: "no such transaction" }];
      if (tx.polls++ < ctx.waitingPolls()) return [200, { status: "0", description: "Đang chờ xác nhận" }];
      if (tx.outcome === "reject") return [200, { status: "4002", description: "rejected" }];
      if (tx.outcome === "expire") return [200, { status: "4001", description: "expired" }];
      const signatures = [];
      for (const hash of tx.hashes) signatures.push(wrapped(await ctx.signHex(Buffer.from(hash, "base64").toString("hex"), tx.hashAlgorithm)));
      return [200, { status: "1", description: "Ký thành công", signatures }];
    }
    return [404, { error: "invalid_request" }];
  }

  return { tokens, handle };
}
