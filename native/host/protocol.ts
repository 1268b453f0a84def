/**
 * The token host protocol, declared once (style habit 2) and validated at both doors (habit 3): the host parses
 * every request, the supervisor parses every reply. Binary values travel as base64 strings so the same messages
 * work over `child_process` IPC (JSON) and Electron's utilityProcess (structured clone).
 *
 * Flow: the supervisor sends `{id, op, params}`; the host answers `{id, ok: true, result}` or
 * `{id, ok: false, error}` with an ErrorPayload from the closed catalogue. Ids are chosen by the supervisor and
 * unique per host lifetime. The host never sends anything unasked.
 */
import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../../main/domain/errors/catalogue.js";
import { HASH_ALGORITHMS } from "../../main/domain/hash-algorithm.js";

/** Largest message either side accepts; a reply with every certificate of a crowded token stays far below it. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const tokenKey = z.string().min(1).max(256);
const sessionRef = z.string().min(1).max(64);

const keyAlgorithm = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rsa"), modulusBits: z.number().int().positive() }),
  z.object({ kind: z.literal("ec"), curve: z.enum(["P-256", "P-384", "P-521"]) }),
]);

export const requestSchema = z.discriminatedUnion("op", [
  /** Loads and initialises the module (once per host lifetime) and describes it. */
  z.object({ id: z.number().int(), op: z.literal("probe"), params: z.object({}).strict() }),
  z.object({ id: z.number().int(), op: z.literal("listTokens"), params: z.object({}).strict() }),
  /** Non-blocking C_WaitForSlotEvent: whether a token came or went since the last call. */
  z.object({ id: z.number().int(), op: z.literal("slotEvents"), params: z.object({}).strict() }),
  /** Certificates of one token with the CKA_ID of their key, read in a read-only session without login. */
  z.object({ id: z.number().int(), op: z.literal("listObjects"), params: z.object({ token: tokenKey }).strict() }),
  /**
   * Opens a session, logs in (pin null: PIN pad or already logged in) and finds the private key. The PIN is
   * base64 of its UTF-8 bytes; the host zeroes its copy after C_Login (or after close for always-authenticate keys).
   */
  z.object({
    id: z.number().int(),
    op: z.literal("open"),
    params: z
      .object({ token: tokenKey, keyId: z.string().regex(/^[0-9a-f]*$/), certificate: base64, keyAlgorithm, pin: base64.nullable() })
      .strict(),
  }),
  z.object({
    id: z.number().int(),
    op: z.literal("sign"),
    params: z
      .object({ ref: sessionRef, hashAlgorithm: z.enum(HASH_ALGORITHMS), digest: base64, scheme: z.enum(["rsa-pkcs1", "rsa-pss", "ecdsa"]) })
      .strict(),
  }),
  /** Ends an opened signer; `keepLogin` (PIN cache) leaves the token logged in. */
  z.object({ id: z.number().int(), op: z.literal("close"), params: z.object({ ref: sessionRef, keepLogin: z.boolean() }).strict() }),
  /** Logs a token out (or every token) and closes its sessions: cache expiry, screen lock, removal, quit. */
  z.object({ id: z.number().int(), op: z.literal("logout"), params: z.object({ token: tokenKey.optional() }).strict() }),
]);

export type HostRequest = z.infer<typeof requestSchema>;
export type HostOp = HostRequest["op"];
export type HostParams<O extends HostOp> = Extract<HostRequest, { op: O }>["params"];

const hostToken = z.object({
  key: z.string(),
  label: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  serial: z.string(),
  flags: z.number(),
  pinStatus: z.enum(["ok", "countLow", "finalTry", "locked"]),
  protectedAuthenticationPath: z.boolean(),
  loginRequired: z.boolean(),
});
export type HostToken = z.infer<typeof hostToken>;

const hostCertificate = z.object({
  der: base64,
  certId: z.string(),
  label: z.string(),
  keyId: z.string().nullable(),
  pairedBy: z.enum(["id", "publicKey", "assumed"]).nullable(),
});
export type HostCertificate = z.infer<typeof hostCertificate>;

export const resultSchemas = {
  probe: z.object({ manufacturer: z.string(), description: z.string(), cryptokiVersion: z.string(), libraryVersion: z.string() }),
  listTokens: z.object({ tokens: z.array(hostToken) }),
  slotEvents: z.object({ events: z.enum(["unsupported", "changed", "none"]) }),
  listObjects: z.object({ certificates: z.array(hostCertificate) }),
  open: z.object({ ref: sessionRef, alwaysAuthenticate: z.boolean(), login: z.enum(["loggedIn", "alreadyLoggedIn", "pinPad"]) }),
  sign: z.object({ value: base64, raw: base64 }),
  close: z.object({}),
  logout: z.object({}),
} as const satisfies Record<HostOp, z.ZodType>;

export type HostResult<O extends HostOp> = z.infer<(typeof resultSchemas)[O]>;

export const errorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  retriable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const responseSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: errorPayloadSchema }),
]);
export type HostResponse = z.infer<typeof responseSchema>;
