/**
 * One protocol fuzz case as plain data: which connections to open (scheme, origin, the exact upgrade request),
 * which bytes to send on each, and what the bridge owes in return (how many answers, whether it must close, whether
 * the upgrade must be refused). Built only from the case's PRNG, never from the running core (ports are the
 * `{port}` placeholder), so `--seed S --from N --cases 1` replays the same bytes.
 */
import { encodeFrame, OP } from "./protocol-wire.js";
import { invalidUtf8, randomText, randomUnicode, structuredRequest } from "./protocol-frames.js";
import { PORTAL_ORIGIN, UNKNOWN_ORIGINS, upgradeCase, upgradeRequest, type ConnectionPlan, type OriginKind, type SentRequest, type Step } from "./protocol-upgrade.js";
import { createPrng, type Prng } from "./prng.js";

export type Family =
  | "structured"
  | "random-text"
  | "binary"
  | "fragmented"
  | "oversize"
  | "invalid-utf8"
  | "control"
  | "upgrade"
  | "slow"
  | "abort"
  | "flood";

export const FAMILY_WEIGHTS: Readonly<Record<Family, number>> = {
  structured: 30,
  "random-text": 7,
  binary: 5,
  fragmented: 8,
  oversize: 4,
  "invalid-utf8": 5,
  control: 8,
  upgrade: 14,
  slow: 5,
  abort: 10,
  flood: 2,
};

// The connection types live with the upgrade builder, which needs them; re-exported for the runner and oracle.
export type { ConnectionPlan, OriginKind, SentRequest, Step } from "./protocol-upgrade.js";

export interface ProtocolCase {
  readonly index: number;
  readonly family: Family;
  readonly connections: readonly ConnectionPlan[];
  readonly concurrent: boolean;
  /** Hold every connection open, check the allowlisted portal still connects, then close them all. */
  readonly holdAndProbe: boolean;
}

export interface CaseLimits {
  readonly maxMessageBytes: number;
}

/** Decides the answers a text message deserves from the JSON-RPC 2.0 spec: one, unless it is a notification. */
export function answersFor(text: string): number {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const frame = value as Record<string, unknown>;
      if (frame.jsonrpc === "2.0" && typeof frame.method === "string" && !Object.hasOwn(frame, "id")) return 0;
    }
  } catch {
    // not JSON: parse_error, answered
  }
  return 1;
}

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

function requestOf(text: string): SentRequest | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const frame = value as Record<string, unknown>;
    return { id: frame.id, method: frame.method };
  } catch {
    return undefined;
  }
}

class PlanBuilder {
  readonly steps: Step[] = [];
  readonly requests: SentRequest[] = [];
  sentText = "";
  private record(text: string): void {
    this.sentText += text;
    const request = requestOf(text);
    if (request) this.requests.push(request);
  }
  constructor(
    private readonly prng: Prng,
    private readonly limits: CaseLimits,
  ) {}
  private mask(): Uint8Array {
    return this.prng.bytes(4);
  }
  /** A whole text message in one frame. */
  text(text: string, slow = false): this {
    const payload = Buffer.from(text, "utf8");
    this.record(text);
    const oversize = payload.length > this.limits.maxMessageBytes;
    this.steps.push({ bytes: encodeFrame({ opcode: OP.text, payload, mask: this.mask() }), slow, answers: oversize ? 0 : answersFor(text), closes: oversize });
    return this;
  }
  /** A text message (valid UTF-8 or not) split into fragments, control frames possibly between them. */
  fragments(payload: Buffer, pieces: number, pingBetween: boolean): this {
    const cuts = Array.from({ length: pieces - 1 }, () => this.prng.int(payload.length + 1)).sort((a, b) => a - b);
    const bounds = [0, ...cuts, payload.length];
    const oversize = payload.length > this.limits.maxMessageBytes;
    const valid = isUtf8(payload);
    this.record(payload.toString("utf8"));
    for (let i = 0; i < pieces; i++) {
      const last = i === pieces - 1;
      const part = payload.subarray(bounds[i]!, bounds[i + 1]!);
      const bytes = encodeFrame({ opcode: i === 0 ? OP.text : OP.continuation, fin: last, payload: part, mask: this.mask() });
      // ws checks the running size on every fragment, so an oversize message may close before its last one.
      const sizeSoFar = bounds[i + 1]!;
      if (oversize && sizeSoFar > this.limits.maxMessageBytes) {
        this.steps.push({ bytes, slow: false, answers: 0, closes: true });
        return this;
      }
      this.steps.push({ bytes, slow: false, answers: last && valid ? answersFor(payload.toString("utf8")) : 0, closes: last && !valid });
      if (!last && pingBetween && this.prng.chance(0.5)) this.control(OP.ping, this.prng.bytes(this.prng.int(20)), false);
    }
    return this;
  }
  binary(payload: Uint8Array): this {
    this.record(Buffer.from(payload).toString("utf8"));
    const oversize = payload.length > this.limits.maxMessageBytes;
    this.steps.push({ bytes: encodeFrame({ opcode: OP.binary, payload, mask: this.mask() }), slow: false, answers: oversize ? 0 : 1, closes: oversize });
    return this;
  }
  rawText(payload: Uint8Array): this {
    const valid = isUtf8(payload);
    const text = Buffer.from(payload).toString("utf8");
    this.record(text);
    this.steps.push({ bytes: encodeFrame({ opcode: OP.text, payload, mask: this.mask() }), slow: false, answers: valid ? answersFor(text) : 0, closes: !valid });
    return this;
  }
  control(opcode: number, payload: Uint8Array, closes: boolean): this {
    this.steps.push({ bytes: encodeFrame({ opcode, payload, mask: this.mask() }), slow: false, answers: 0, closes });
    return this;
  }
  bytes(bytes: Buffer, closes: boolean): this {
    this.steps.push({ bytes, slow: false, answers: 0, closes });
    return this;
  }
}

function pickOrigin(prng: Prng): { kind: OriginKind; origin: string } {
  const roll = prng.int(10);
  if (roll < 6) return { kind: "portal", origin: PORTAL_ORIGIN };
  return { kind: "unknown", origin: prng.pick(UNKNOWN_ORIGINS) };
}

function plan(prng: Prng, builder: PlanBuilder, ending: ConnectionPlan["ending"] = "close", origin = pickOrigin(prng)): ConnectionPlan {
  return {
    scheme: prng.chance(0.1) ? "wss" : "ws",
    originKind: origin.kind,
    origin: origin.origin,
    request: upgradeRequest(prng, origin.origin),
    expect: "open",
    steps: builder.steps,
    ending,
    sentText: builder.sentText,
    requests: builder.requests,
  };
}

function structuredPlan(prng: Prng, limits: CaseLimits, slow = false): ConnectionPlan {
  const builder = new PlanBuilder(prng, limits);
  const count = slow ? 1 : prng.range(1, 4);
  for (let i = 0; i < count; i++) builder.text(structuredRequest(prng).text, slow);
  return plan(prng, builder, prng.pick(["close", "close", "end", "destroy"]));
}

function controlPlan(prng: Prng, limits: CaseLimits): ConnectionPlan {
  const b = new PlanBuilder(prng, limits);
  b.text(structuredRequest(prng).text);
  switch (prng.int(13)) {
    case 0:
      b.control(OP.ping, prng.bytes(prng.int(126)), false).text('{"jsonrpc":"2.0","id":7,"method":"hello"}');
      break;
    case 1:
      b.control(OP.pong, prng.bytes(prng.int(126)), false).text('{"jsonrpc":"2.0","id":8,"method":"hello"}');
      break;
    case 2:
      b.control(OP.ping, prng.bytes(prng.range(126, 300)), true);
      break;
    case 3:
      b.bytes(encodeFrame({ opcode: OP.ping, fin: false, payload: prng.bytes(4), mask: prng.bytes(4) }), true);
      break;
    case 4:
      b.bytes(encodeFrame({ opcode: OP.text, rsv: prng.range(1, 7), payload: Buffer.from("{}"), mask: prng.bytes(4) }), true);
      break;
    case 5:
      b.bytes(encodeFrame({ opcode: OP.text, payload: Buffer.from('{"jsonrpc":"2.0","id":1,"method":"hello"}'), mask: null }), true);
      break;
    case 6:
      b.bytes(encodeFrame({ opcode: prng.pick([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]), payload: prng.bytes(8), mask: prng.bytes(4) }), true);
      break;
    case 7:
      b.bytes(encodeFrame({ opcode: OP.continuation, payload: Buffer.from("x"), mask: prng.bytes(4) }), true);
      break;
    case 8:
      b.bytes(encodeFrame({ opcode: OP.text, fin: false, payload: Buffer.from("{"), mask: prng.bytes(4) }), false);
      b.bytes(encodeFrame({ opcode: OP.text, payload: Buffer.from("{}"), mask: prng.bytes(4) }), true);
      break;
    case 9: {
      const code = prng.pick([1000, 1001, 3000, 4999, 999, 1004, 1005, 1006, 1015, 5000, 65535]);
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      b.control(OP.close, Buffer.concat([payload, Buffer.from(prng.chance(0.3) ? [0xc0, 0xaf] : [0x6f, 0x6b])]), true);
      break;
    }
    case 10:
      b.control(OP.close, Buffer.from([0x03]), true);
      break;
    case 11:
      b.bytes(encodeFrame({ opcode: OP.text, payload: Buffer.alloc(0), mask: prng.bytes(4), declaredLength: prng.pick([2n ** 63n, 2n ** 53n, 2n ** 64n - 1n]) }), true);
      break;
    default:
      // An empty text frame, then an empty fragmented one: both answered parse_error.
      b.text("").fragments(Buffer.alloc(0), 2, false);
  }
  return plan(prng, b);
}

function abortPlan(prng: Prng, limits: CaseLimits): ConnectionPlan {
  const b = new PlanBuilder(prng, limits);
  const origin = pickOrigin(prng);
  const roll = prng.int(5);
  if (roll === 0) {
    // Mid-request: a sign (portal) or a pair prompt (unknown origin), then the page is gone.
    const method = origin.kind === "portal" ? "sign" : "pair";
    const params = method === "sign" ? { format: "raw", hash: Buffer.from(prng.bytes(32)).toString("base64") } : undefined;
    b.text(JSON.stringify({ jsonrpc: "2.0", id: 1, method, ...(params ? { params } : {}) }));
    return plan(prng, b, "destroy-now", origin);
  }
  if (roll === 1) {
    // Half a frame: the header promises more bytes than ever come.
    const frame = encodeFrame({ opcode: OP.text, payload: Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hello" })), mask: prng.bytes(4) });
    b.bytes(frame.subarray(0, prng.range(1, frame.length - 1)), false);
    return plan(prng, b, "destroy-now", origin);
  }
  if (roll === 2) {
    b.text(structuredRequest(prng).text);
    return plan(prng, b, prng.pick(["end", "destroy-now"]), origin);
  }
  const request = upgradeRequest(prng, origin.origin);
  return {
    ...plan(prng, b, "destroy-now", origin),
    // Cut inside the request head, or right after it (before the 101 comes back).
    request: { ...request, cutAt: roll === 3 ? prng.int(80) : -1 },
    expect: "either",
  };
}

function floodPlans(prng: Prng, limits: CaseLimits): ConnectionPlan[] {
  const origins = prng.range(2, 6);
  const plans: ConnectionPlan[] = [];
  for (let o = 0; o < origins; o++) {
    const origin = UNKNOWN_ORIGINS[o % UNKNOWN_ORIGINS.length]!;
    for (let s = 0, n = prng.range(4, 9); s < n; s++) {
      const b = new PlanBuilder(prng, limits);
      if (prng.chance(0.3)) b.text(JSON.stringify({ jsonrpc: "2.0", id: s, method: prng.pick(["hello", "tokens.list", "pair"]) }));
      plans.push({ ...plan(prng, b, "destroy", { kind: "unknown", origin }), expect: "either" });
    }
  }
  return plans;
}

export function pickFamily(prng: Prng, families: readonly Family[]): Family {
  const total = families.reduce((sum, f) => sum + FAMILY_WEIGHTS[f], 0);
  let roll = prng.int(total);
  for (const family of families) {
    roll -= FAMILY_WEIGHTS[family];
    if (roll < 0) return family;
  }
  return families[0]!;
}

export function generateCase(prng: Prng, index: number, limits: CaseLimits, families: readonly Family[]): ProtocolCase {
  const family = pickFamily(prng, families);
  const one = (p: ConnectionPlan): ProtocolCase => ({ index, family, connections: [p], concurrent: false, holdAndProbe: false });
  const max = limits.maxMessageBytes;
  switch (family) {
    case "structured": {
      const connections = Array.from({ length: prng.chance(0.7) ? 1 : prng.range(2, 3) }, () => structuredPlan(prng, limits));
      return { index, family, connections, concurrent: prng.chance(0.5), holdAndProbe: false };
    }
    case "random-text": {
      const b = new PlanBuilder(prng, limits);
      for (let i = 0, n = prng.range(1, 3); i < n; i++) b.text(randomText(prng));
      return one(plan(prng, b));
    }
    case "binary": {
      const b = new PlanBuilder(prng, limits);
      b.binary(prng.chance(0.5) ? Buffer.from(structuredRequest(prng).text) : prng.bytes(prng.range(0, 2000)));
      if (prng.chance(0.5)) b.binary(invalidUtf8(prng));
      return one(plan(prng, b));
    }
    case "fragmented": {
      const b = new PlanBuilder(prng, limits);
      const text = structuredRequest(prng).text;
      // Sometimes a multi-byte character is cut across two fragments (valid: UTF-8 is checked per message).
      const payload = Buffer.from(prng.chance(0.3) ? `${text}${randomUnicode(prng, 5).replace(/[\ud800-\udfff]/g, "ạ")}` : text);
      b.fragments(payload, prng.range(2, 6), true);
      return one(plan(prng, b));
    }
    case "oversize": {
      const b = new PlanBuilder(prng, limits);
      const roll = prng.int(4);
      if (roll === 0) b.text("A".repeat(max + prng.range(1, 4096)));
      else if (roll === 1) b.fragments(Buffer.alloc(max + prng.range(1, 4096), 0x41), prng.range(2, 4), false);
      else if (roll === 2) b.binary(Buffer.alloc(max + 1));
      else {
        // Exactly at the cap: accepted, answered.
        const head = '{"jsonrpc":"2.0","id":1,"method":"sign","params":{"format":"raw","document":"';
        b.text(`${head}${"A".repeat(Math.floor((max - head.length - 3) / 4) * 4)}"}}`);
      }
      return one(plan(prng, b));
    }
    case "invalid-utf8": {
      const b = new PlanBuilder(prng, limits);
      if (prng.chance(0.3)) b.text(structuredRequest(prng).text);
      if (prng.chance(0.5)) b.rawText(invalidUtf8(prng));
      else b.fragments(invalidUtf8(prng), prng.range(2, 3), false);
      return one(plan(prng, b));
    }
    case "control":
      return one(controlPlan(prng, limits));
    case "upgrade": {
      const b = new PlanBuilder(prng, limits).text('{"jsonrpc":"2.0","id":1,"method":"hello"}');
      return one(upgradeCase(prng, b));
    }
    case "slow": {
      const p = structuredPlan(prng, limits, true);
      return one({ ...p, request: { ...p.request, slow: prng.chance(0.4) } });
    }
    case "abort": {
      const connections = Array.from({ length: prng.range(1, 3) }, () => abortPlan(prng, limits));
      return { index, family, connections, concurrent: prng.chance(0.5), holdAndProbe: false };
    }
    case "flood":
      return { index, family, connections: floodPlans(prng, limits), concurrent: true, holdAndProbe: true };
  }
}

/** The fuzz core's policy: the smallest message cap (cheap oversize frames), default connection limits. */
export const FUZZ_LIMITS = {
  maxMessageBytes: 64 * 1024,
  // The portal's fuzz traffic would otherwise be rate_limited after 120 requests and test nothing else.
  requestsPerMinute: 100_000,
  // Likewise the portal's hello probes after every few cases: the read budget is its own (issue 9, defect 10).
  readRequestsPerMinute: 100_000,
  approvalTimeoutSeconds: 10,
} as const;

/** Each case has its own PRNG stream, so one case can be replayed alone. */
export function casePrngSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

export function protocolCase(seed: number, index: number, families: readonly Family[] = Object.keys(FAMILY_WEIGHTS) as Family[]): ProtocolCase {
  return generateCase(createPrng(casePrngSeed(seed, index)), index, { maxMessageBytes: FUZZ_LIMITS.maxMessageBytes }, families);
}
