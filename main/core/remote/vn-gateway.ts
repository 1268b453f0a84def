/**
 * The service-provider gateway that VNPT SmartCA (sp769 v1) and NEAC (sign_v2) share: a JSON POST carrying the
 * organisation's `sp_id` and `sp_password`, answered `{ status_code, message, data }`, and certificates listed as
 * `{ serial_number, cert_data, chain_data: { ca_cert, root_cert } }` (shared/notes/vietnam.md). Each provider keeps
 * what differs: its paths, its fields and how it waits for the phone.
 */
import { b64, postJson, str } from "./http.js";
import { keyAlgorithmOf } from "./remote-signer.js";
import type { FetchLike, RemoteCredential } from "./types.js";

interface VnGateway {
  /** With the trailing slash: paths are resolved against it. */
  readonly baseUrl: string;
  /** Issued to the organisation's registered system; from the machine policy, never shipped or logged. */
  readonly spId: string;
  readonly spPassword: string;
}

/** A gateway reply: the `status_code` (the HTTP status when the body has none), its message and its `data`. */
export interface VnReply {
  readonly code: number;
  readonly message: string;
  readonly data: Record<string, unknown>;
}

export async function postVnGateway(
  fetch: FetchLike,
  gateway: VnGateway,
  path: string,
  body: Record<string, unknown>,
  options: { readonly secrets: readonly string[]; readonly signal?: AbortSignal; readonly timeoutMs?: number },
): Promise<VnReply> {
  const reply = await postJson(fetch, new URL(path, gateway.baseUrl).toString(), { sp_id: gateway.spId, sp_password: gateway.spPassword, ...body }, options);
  const code = typeof reply.body.status_code === "number" ? reply.body.status_code : reply.status;
  const message = typeof reply.body.message === "string" ? reply.body.message : "";
  const data = typeof reply.body.data === "object" && reply.body.data !== null ? (reply.body.data as Record<string, unknown>) : {};
  return { code, message, data };
}

/** One entry of a gateway's certificate list; `path` names the call in errors. */
export function vnCredential(entry: Record<string, unknown>, path: string): RemoteCredential {
  const certificate = b64(entry.cert_data, "cert_data", path);
  const chainData = (entry.chain_data ?? {}) as Record<string, unknown>;
  const chain = [chainData.ca_cert, chainData.root_cert].filter((c) => typeof c === "string" && c.length > 0).map((c) => b64(c, "chain_data", path));
  return { id: str(entry.serial_number, "serial_number", path), certificate, chain, keyAlgorithm: keyAlgorithmOf(certificate) };
}
