/**
 * What the bridge may send back, judged message by message (docs/protocol.md, docs/threat-model.md):
 *
 * - every message is a JSON-RPC 2.0 text frame: a response with exactly one of `result`/`error` and the id of a
 *   request that was sent (or null for a frame that had none), or a documented notification;
 * - every error has a documented name and its code, is never `internal`, and its message has no stack trace and no
 *   file path (unless the page sent that text itself and it is echoed back as a field name);
 * - an origin that is neither allowlisted nor paired learns nothing: only hello/pair answers and
 *   `origin_not_allowed`, `rate_limited`, `busy` or the protocol errors for frames it got wrong, never
 *   `tokensChanged`, a token, a certificate or a count.
 *
 * Kinds: a wrong answer is an "untyped-error" (what a page gets is outside the documented catalogue), no answer or
 * no close in time is a "hang", a lost connection or slot is "bridge-unavailable". The detail starts with a tag.
 */
import { ERROR_CODES, type ErrorName } from "../../sdk/src/protocol.js";
import type { FindingKind } from "./fuzz-report.js";
import type { ConnectionPlan } from "./protocol-cases.js";
import type { ReceivedMessage } from "./protocol-wire.js";

export interface Problem {
  readonly kind: FindingKind;
  readonly detail: string;
}

const OPEN_TO_UNKNOWN = new Set(["hello", "pair"]);
/** What an unknown origin may be told (besides hello and pair results). */
const UNKNOWN_ORIGIN_ERRORS = new Set<ErrorName>(["origin_not_allowed", "rate_limited", "busy", "parse_error", "invalid_request", "method_not_found", "invalid_params"]);
const NULL_ID_ERRORS = new Set<ErrorName>(["parse_error", "invalid_request"]);

const STACK = /\n\s+at\s|\bat\s+\S+\s+\(|node:internal|\bat\s+file:/;
const PATH = /\/(?:home|tmp|work|usr|var|root|Users|opt|proc)\/\S*|[A-Za-z]:\\\S*|node_modules\S*|file:\/\/\S*|\S+\.(?:ts|js|mjs|cjs):\d+/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const short = (text: string): string => (text.length > 160 ? `${text.slice(0, 160)}…` : text);

/** Methods of the requests sent with this id. */
function methodsFor(plan: ConnectionPlan, id: unknown): unknown[] {
  return plan.requests.filter((r) => r.id === id).map((r) => r.method);
}

function checkError(error: unknown, plan: ConnectionPlan, id: unknown): Problem[] {
  if (!isRecord(error) || !isRecord(error.data)) return [{ kind: "untyped-error", detail: `[shape] error without data: ${short(JSON.stringify(error) ?? "")}` }];
  const name = error.data.name as ErrorName;
  const problems: Problem[] = [];
  if (!Object.hasOwn(ERROR_CODES, name)) return [{ kind: "untyped-error", detail: `[catalogue] undocumented error name ${short(String(name))}` }];
  if (name === "internal") problems.push({ kind: "untyped-error", detail: `[internal] for ${short(JSON.stringify(methodsFor(plan, id)))}: ${short(String(error.message))}` });
  if (error.code !== ERROR_CODES[name]) problems.push({ kind: "untyped-error", detail: `[catalogue] ${name} with code ${String(error.code)}` });
  if (typeof error.data.retriable !== "boolean") problems.push({ kind: "untyped-error", detail: `[shape] ${name} without a boolean retriable` });
  if (typeof error.message !== "string" || error.message.length === 0) problems.push({ kind: "untyped-error", detail: `[shape] ${name} without a message` });
  else {
    const stack = STACK.exec(error.message);
    if (stack && !plan.sentText.includes(stack[0])) problems.push({ kind: "untyped-error", detail: `[stack] in ${name} message: ${short(error.message)}` });
    const path = PATH.exec(error.message);
    if (path && !plan.sentText.includes(path[0])) problems.push({ kind: "untyped-error", detail: `[path] in ${name} message: ${short(error.message)}` });
  }
  if (id === null && !NULL_ID_ERRORS.has(name)) problems.push({ kind: "untyped-error", detail: `[id] ${name} answered with id null` });
  if (plan.originKind !== "portal" && !UNKNOWN_ORIGIN_ERRORS.has(name)) {
    problems.push({ kind: "untyped-error", detail: `[origin-gate] unknown origin ${plan.origin ?? "(none)"} told ${name}` });
  }
  if (plan.originKind !== "portal" && name === "invalid_params" && !methodsFor(plan, id).some((m) => OPEN_TO_UNKNOWN.has(String(m)))) {
    problems.push({ kind: "untyped-error", detail: `[origin-gate] unknown origin got invalid_params for ${short(JSON.stringify(methodsFor(plan, id)))}` });
  }
  return problems;
}

function checkResult(result: unknown, plan: ConnectionPlan, id: unknown): Problem[] {
  if (id === null) return [{ kind: "untyped-error", detail: "[id] a result with id null" }];
  if (plan.originKind === "portal") {
    if (isRecord(result) && result.product === "KySo" && isRecord(result.origin) && result.origin.trust !== "policy") {
      return [{ kind: "untyped-error", detail: `[trust] the allowlisted portal is told trust ${String(result.origin.trust)}` }];
    }
    return [];
  }
  // An unknown origin: a hello (trust none, its own origin) or a refused pair, nothing else.
  const hello = isRecord(result) && result.product === "KySo" && isRecord(result.origin) && result.origin.trust === "none" && result.origin.origin === plan.origin;
  const refusedPair = isRecord(result) && Object.keys(result).length === 1 && result.granted === false;
  if (hello || refusedPair) return [];
  return [{ kind: "untyped-error", detail: `[origin-gate] unknown origin ${plan.origin ?? "(none)"} received ${short(JSON.stringify(result) ?? "")}` }];
}

/** Every problem with the messages one connection received. */
export function checkMessages(plan: ConnectionPlan, messages: readonly ReceivedMessage[]): Problem[] {
  const problems: Problem[] = [];
  for (const message of messages) {
    if (message.kind === "binary") {
      problems.push({ kind: "untyped-error", detail: "[shape] a binary frame from the server" });
      continue;
    }
    const text = message.data.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push({ kind: "untyped-error", detail: `[shape] not JSON: ${short(text)}` });
      continue;
    }
    if (!isRecord(value) || value.jsonrpc !== "2.0") {
      problems.push({ kind: "untyped-error", detail: `[shape] not JSON-RPC 2.0: ${short(text)}` });
      continue;
    }
    if (!("id" in value)) {
      if (value.method === "tokensChanged" && plan.originKind !== "portal") problems.push({ kind: "untyped-error", detail: "[origin-gate] tokensChanged sent to an unknown origin" });
      else if (value.method !== "tokensChanged" && value.method !== "batchProgress") problems.push({ kind: "untyped-error", detail: `[shape] undocumented notification ${short(text)}` });
      continue;
    }
    const id = value.id;
    if (id !== null && !plan.requests.some((r) => r.id === id)) problems.push({ kind: "untyped-error", detail: `[id] answer to an id never sent: ${short(JSON.stringify(id) ?? "")}` });
    const hasResult = "result" in value;
    const hasError = "error" in value;
    if (hasResult === hasError) {
      problems.push({ kind: "untyped-error", detail: `[shape] needs exactly one of result and error: ${short(text)}` });
      continue;
    }
    problems.push(...(hasError ? checkError(value.error, plan, id) : checkResult(value.result, plan, id)));
  }
  return problems;
}

/** Statuses an upgrade may get: 101, or a refusal with no body (403/404/503 from the bridge, 400/405/426/431/505 from ws or Node). */
const REFUSALS = new Set([400, 403, 404, 405, 426, 431, 503, 505]);

export function checkStatus(plan: ConnectionPlan, status: number | undefined, what: string): Problem[] {
  if (status === 101) {
    if (plan.expect === "refused") return [{ kind: "untyped-error", detail: `[handshake] accepted an upgrade that must be refused (${what})` }];
    return [];
  }
  if (status !== undefined && !REFUSALS.has(status)) return [{ kind: "untyped-error", detail: `[handshake] upgrade answered HTTP ${status} (${what})` }];
  if (plan.expect !== "open") return [];
  // Unknown origins share a deliberately small pool (bridge.ts): a 503 for them is the capacity rule working,
  // as long as the allowlisted portal still gets in (the portal probe checks that after every case).
  if (status === 503 && plan.originKind === "unknown") return [];
  if (status === 503) return [{ kind: "bridge-unavailable", detail: `[refused-503] a well-formed ${plan.originKind} upgrade got 503 (${what})` }];
  return [{ kind: "bridge-unavailable", detail: `[handshake] a well-formed ${plan.originKind} upgrade got ${status ?? "no answer"} (${what})` }];
}
