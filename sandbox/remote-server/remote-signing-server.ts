/**
 * A local stand-in for the remote signing services (issue 16), written from the documented wire formats
 * (shared/notes/vietnam.md) and the CSC API v2 specification, never from vendor code. One `node:http` server on
 * 127.0.0.1 speaks three dialects under three prefixes: `/csc/` (CSC v2 subset with OAuth2 + PKCE), `/vnpt/`
 * (SmartCA sp769 v1) and `/neac/` (eSign gateway sign_v2). The key is a real SoftHSM key behind a `Signer`.
 * Every request body is recorded, so a test can prove only hashes arrived; `phone` decides what the user does.
 * A developer fixture, not product code: the tests and `npm run sandbox -- --remote` start it; KySo never imports it.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HASH_OID, type HashAlgorithm } from "../../main/domain/hash-algorithm.js";
import type { Signer } from "../../main/domain/signer.js";
import { cscAsyncDialect } from "./remote-server-csc-async.js";
import { mysignDialect, type MySignServerState } from "./remote-server-mysign.js";

export type PhoneOutcome = "approve" | "reject" | "expire" | "quota" | "network";
export const PHONE_OUTCOMES: readonly PhoneOutcome[] = ["approve", "reject", "expire", "quota", "network"];

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/** One signing request that reached "the phone": which dialect, and how many hashes it carried. */
export interface PhoneTransaction {
  readonly dialect: "csc" | "vnpt" | "neac" | "mysign";
  readonly hashes: number;
}

export interface ServerSecrets {
  readonly spId: string;
  readonly spPassword: string;
  readonly cscClientId: string;
  readonly otp: string;
  readonly mysignClientId?: string;
  readonly mysignClientSecret?: string;
}

export interface RemoteSigningServer {
  readonly url: string;
  readonly cscBase: string;
  readonly vnptBase: string;
  readonly neacBase: string;
  /** Viettel MySign's service base (remote-server-mysign.ts). */
  readonly mysignBase: string;
  readonly mysign: Pick<MySignServerState, "tokens">;
  /** CSC: advertise and serve asynchronous signHash + signPolling; the phone then decides at polling time. */
  cscAsync: boolean;
  readonly requests: RecordedRequest[];
  /** Every confirmation the phone was asked for (a batch under one confirmation is one entry with N hashes). */
  readonly transactions: PhoneTransaction[];
  /** What "the phone" does with the next signing request (stays until changed). */
  phone: PhoneOutcome;
  /** How many `waiting` status replies VNPT gives before the outcome. */
  waitingPolls: number;
  /** CSC access tokens issued so far (a test expires them to force a refresh). */
  readonly issuedTokens: Set<string>;
  close(): Promise<void>;
}

const OID_HASH: Record<string, HashAlgorithm> = Object.fromEntries(Object.entries(HASH_OID).map(([k, v]) => [v, k as HashAlgorithm]));
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const userId = "079123456789";

export async function startRemoteSigningServer(signer: Signer, secrets: ServerSecrets): Promise<RemoteSigningServer> {
  const requests: RecordedRequest[] = [];
  const transactions: PhoneTransaction[] = [];
  const issuedTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const sads = new Map<string, string[]>();
  const vnptTransactions = new Map<string, { files: { hex: string; docId: string }[]; outcome: PhoneOutcome; polls: number }>();
  const serial = "5401F0E1A2B3C4D5";

  const signHex = async (hex: string, hashAlgorithm: HashAlgorithm = "SHA-256"): Promise<string> => {
    const digest = new Uint8Array(Buffer.from(hex, "hex"));
    const scheme = signer.keyAlgorithm.kind === "rsa" ? "rsa-pkcs1" : "ecdsa";
    return b64((await signer.signDigest({ digest, hashAlgorithm, scheme })).value);
  };
  const certEntry = () => ({
    cert_id: "cert-1",
    serial_number: serial,
    cert_data: b64(signer.certificate),
    chain_data: { ca_cert: signer.chain[0] ? b64(signer.chain[0]) : "", root_cert: signer.chain[1] ? b64(signer.chain[1]) : "" },
    cert_valid_from: "2025-01-01T00:00:00Z",
    cert_valid_to: "2030-01-01T00:00:00Z",
  });
  const asyncCsc = cscAsyncDialect({ outcome: () => state.phone, waitingPolls: () => state.waitingPolls, signHex });
  const mysign = mysignDialect({
    signer,
    clientId: secrets.mysignClientId ?? "kyso-mysign-client",
    clientSecret: secrets.mysignClientSecret ?? "mysign-client-secret-0000",
    userId,
    outcome: () => state.phone,
    waitingPolls: () => state.waitingPolls,
    signHex,
    record: (hashes) => void transactions.push({ dialect: "mysign", hashes }),
  });
  const vnStatus = (outcome: PhoneOutcome) => ({ reject: 4002, expire: 4001, quota: 4005 })[outcome as "reject"];

  function spOk(body: Record<string, unknown>): boolean {
    return body.sp_id === secrets.spId && body.sp_password === secrets.spPassword;
  }

  async function vnpt(path: string, body: Record<string, unknown>): Promise<[number, unknown]> {
    if (!spOk(body)) return [401, { status_code: 4010, message: "invalid sp credentials" }];
    if (path === "credentials/get_certificate") {
      return [200, { status_code: 200, message: "success", data: { user_certificates: body.user_id === userId ? [certEntry()] : [] } }];
    }
    if (path === "signatures/sign") {
      if (state.phone === "quota") return [200, { status_code: 4005, message: "quota exhausted" }];
      const files = body.sign_files as { data_to_be_signed: string; doc_id: string; sign_type: string }[];
      if (body.serial_number !== serial || !Array.isArray(files) || files.length === 0 || files.some((f) => f.sign_type !== "hash")) return [400, { status_code: 4004, message: "bad request" }];
      const id = randomUUID();
      transactions.push({ dialect: "vnpt", hashes: files.length });
      vnptTransactions.set(id, { files: files.map((f) => ({ hex: f.data_to_be_signed, docId: f.doc_id })), outcome: state.phone, polls: 0 });
      return [200, { status_code: 200, message: "WAITING_FOR_USER_CONFIRM", data: { transaction_id: id, tran_code: id.slice(0, 8) } }];
    }
    const match = /^signatures\/sign\/([^/]+)\/status$/.exec(path);
    const tx = match ? vnptTransactions.get(decodeURIComponent(match[1] ?? "")) : undefined;
    if (!tx) return [404, { status_code: 4040, message: "no such transaction" }];
    if (tx.polls++ < state.waitingPolls) return [200, { status_code: 4000, message: "waiting for user confirm", data: {} }];
    if (tx.outcome !== "approve") return [200, { status_code: vnStatus(tx.outcome), message: tx.outcome, data: {} }];
    const signatures = [];
    for (const file of tx.files) signatures.push({ doc_id: file.docId, signature_value: await signHex(file.hex) });
    return [200, { status_code: 1, message: "success", data: { signatures } }];
  }

  async function neac(path: string, body: Record<string, unknown>): Promise<[number, unknown]> {
    if (!spOk(body)) return [401, { status_code: 4010, message: "invalid sp credentials" }];
    if (path === "sign_v2/get_certificate") return [200, { status_code: 200, message: "success", data: { user_certificates: body.user_id === userId ? [certEntry()] : [] } }];
    if (path !== "sign_v2/sign") return [404, { status_code: 404, message: "not found" }];
    transactions.push({ dialect: "neac", hashes: Array.isArray(body.sign_files) ? body.sign_files.length : 0 });
    if (state.phone !== "approve") return [200, { status_code: vnStatus(state.phone), message: state.phone }];
    const files = body.sign_files as { data_to_be_signed: string; doc_id: string; sign_type: string }[];
    const signed = [];
    for (const file of files) {
      if (file.sign_type !== "hash") return [400, { status_code: 4004, message: "only hash" }];
      signed.push({ doc_id: file.doc_id, signature_value: await signHex(file.data_to_be_signed), timestamp_signature: "" });
    }
    return [200, { status_code: 200, message: "success", data: { transaction_id: randomUUID(), signed_files: signed } }];
  }

  function newTokens(): Record<string, unknown> {
    const access = randomUUID();
    const refresh = randomUUID();
    issuedTokens.add(access);
    refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, token_type: "Bearer", expires_in: 3600 };
  }

  async function csc(path: string, req: IncomingMessage, raw: string, res: ServerResponse): Promise<[number, unknown] | undefined> {
    if (path.startsWith("oauth2/authorize")) {
      // The user "signs in" at once: the redirect carries the code, bound to the PKCE challenge.
      const query = new URL(req.url ?? "", "http://x").searchParams;
      if (query.get("client_id") !== secrets.cscClientId || query.get("code_challenge_method") !== "S256") return [400, { error: "invalid_request" }];
      const code = randomUUID();
      codes.set(code, { challenge: query.get("code_challenge") ?? "", redirectUri: query.get("redirect_uri") ?? "" });
      res.writeHead(302, { location: `${query.get("redirect_uri")}?code=${code}&state=${query.get("state")}` }).end();
      return undefined;
    }
    if (path === "oauth2/token") {
      const form = new URLSearchParams(raw);
      if (form.get("client_id") !== secrets.cscClientId) return [401, { error: "invalid_client" }];
      if (form.get("grant_type") === "refresh_token") {
        const token = form.get("refresh_token") ?? "";
        if (!refreshTokens.delete(token)) return [400, { error: "invalid_grant" }];
        return [200, newTokens()];
      }
      const entry = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      const challenge = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
      if (!entry || entry.challenge !== challenge || entry.redirectUri !== form.get("redirect_uri")) return [400, { error: "invalid_grant" }];
      return [200, newTokens()];
    }
    if (path === "info") return [200, { specs: "2.0.0.2", name: "KySo test RSSP", region: "VN", lang: "vi", authType: ["oauth2code"], oauth2: cscBase, methods: ["credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash", ...(state.cscAsync ? ["signatures/signPolling"] : [])], asynchronousOperationMode: state.cscAsync }];
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!issuedTokens.has(bearer)) return [401, { error: "invalid_token" }];
    const body = JSON.parse(raw || "{}") as Record<string, unknown>;
    if (path === "credentials/list") return [200, { credentialIDs: ["cred-1"] }];
    if (path === "signatures/signPolling") return asyncCsc.poll(body);
    if (body.credentialID !== "cred-1") return [400, { error: "invalid_request", error_description: "unknown credentialID" }];
    if (path === "credentials/info") {
      return [200, {
        key: { status: "enabled", algo: [signer.keyAlgorithm.kind === "rsa" ? "1.2.840.113549.1.1.1" : "1.2.840.10045.2.1"], len: 2048 },
        cert: { status: "valid", certificates: body.certificates === "none" ? [] : [signer.certificate, ...signer.chain].map(b64) },
        authMode: "explicit",
        SCAL: "SCAL2",
        OTP: { presence: "true", type: "offline", format: "N", label: "OTP" },
        multisign: 1,
      }];
    }
    if (path === "credentials/authorize") {
      if (body.OTP !== secrets.otp) return [400, { error: "invalid_otp" }];
      const hashes = body.hashes as string[];
      if (!Array.isArray(hashes) || hashes.length === 0 || body.numSignatures !== hashes.length) return [400, { error: "invalid_request", error_description: "numSignatures must match hashes" }];
      transactions.push({ dialect: "csc", hashes: hashes.length });
      if (state.cscAsync) {
        const sad = randomUUID();
        sads.set(sad, body.hashes as string[]);
        return [200, { SAD: sad, expiresIn: 300 }];
      }
      if (state.phone === "reject") return [400, { error: "access_denied", error_description: "the user declined" }];
      if (state.phone === "expire") return [400, { error: "expired_token", error_description: "authorization expired" }];
      if (state.phone === "quota") return [400, { error: "quota_exceeded", error_description: "no signatures left" }];
      const sad = randomUUID();
      sads.set(sad, body.hashes as string[]);
      return [200, { SAD: sad, expiresIn: 300 }];
    }
    if (path === "signatures/signHash") {
      const allowed = sads.get(body.SAD as string);
      sads.delete(body.SAD as string);
      const hashes = body.hashes as string[];
      if (!allowed || JSON.stringify(allowed) !== JSON.stringify(hashes)) return [400, { error: "invalid_request", error_description: "SAD does not cover these hashes" }];
      const hashAlgorithm = OID_HASH[body.hashAlgorithmOID as string];
      if (!hashAlgorithm) return [400, { error: "invalid_request", error_description: "hashAlgorithmOID" }];
      if (body.operationMode === "A") return asyncCsc.accept(hashes, hashAlgorithm, body.validity_period);
      const signatures = [];
      for (const hash of hashes) signatures.push(await signHex(Buffer.from(hash, "base64").toString("hex"), hashAlgorithm));
      return [200, { signatures }];
    }
    return [404, { error: "invalid_request" }];
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push({ method: req.method ?? "", path: url.pathname, body: raw });
      const signing = /signatures\/sign$|sign_v2\/sign$|credentials\/authorize$/.test(url.pathname);
      if (state.phone === "network" && signing) {
        req.socket.destroy();
        return;
      }
      // The developer's "phone" (npm run sandbox -- --remote): POST /phone/<outcome> sets what it does next;
      // GET /phone reads it. Loopback only, like the whole server.
      const control = /^\/phone(?:\/([a-z]+))?$/.exec(url.pathname);
      if (control) {
        const outcome = control[1] as PhoneOutcome | undefined;
        if (req.method === "POST" && outcome && PHONE_OUTCOMES.includes(outcome)) state.phone = outcome;
        else if (req.method === "POST") return void res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: `one of ${PHONE_OUTCOMES.join(", ")}` }));
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ phone: state.phone, transactions: transactions.length }));
      }
      const [, dialect = "", ...rest] = url.pathname.split("/");
      const path = rest.join("/");
      const handle = async (): Promise<[number, unknown] | undefined> => {
        if (dialect === "csc") return csc(path, req, raw, res);
        if (dialect === "mysign") return mysign.handle(path, req, raw);
        const body = JSON.parse(raw || "{}") as Record<string, unknown>;
        if (dialect === "vnpt") return vnpt(path, body);
        if (dialect === "neac") return neac(path, body);
        return [404, {}];
      };
      handle().then(
        (reply) => reply && res.writeHead(reply[0], { "content-type": "application/json" }).end(JSON.stringify(reply[1])),
        (error: unknown) => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "server_error", error_description: String(error) })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cscBase = `${url}/csc/`;
  const state: RemoteSigningServer = {
    url,
    cscBase,
    vnptBase: `${url}/vnpt/`,
    neacBase: `${url}/neac/`,
    mysignBase: `${url}/mysign/`,
    mysign: { tokens: mysign.tokens },
    cscAsync: false,
    requests,
    transactions,
    phone: "approve",
    waitingPolls: 2,
    issuedTokens,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return state;
}

export const REMOTE_TEST_USER = userId;
