/**
 * Frame contents for the protocol fuzzer: JSON-RPC 2.0 requests built from the protocol v1 methods
 * (sdk/src/protocol.ts) and then mutated (wrong types, huge numbers, unknown methods, huge ids, deep nesting,
 * prototype-pollution keys, unicode), plus random text, invalid UTF-8 and random bytes. Everything comes from the
 * case's PRNG, so a seed and case number give the same bytes on every machine.
 */
import type { Method } from "../../sdk/src/protocol.js";
import type { Prng } from "./prng.js";

export const METHODS: readonly Method[] = ["hello", "pair", "tokens.list", "certificates.list", "sign", "signBatch"];

const ODD_METHODS = [
  "",
  "HELLO",
  "hello ",
  " hello",
  "sign\u0000",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "prototype",
  "valueOf",
  "tokens.list.x",
  "tokens",
  "certificates",
  "rpc.discover",
  "approvals.approve",
  "settings.set",
  "ký-số",
  "\u202esign",
  "😀",
  "/etc/passwd",
  "../../sign",
];

const FORMATS = ["raw", "cms", "pades", "xades", "xmldsig", "vn-tax", "vn-einvoice"] as const;
const HASH_ALGORITHMS = ["SHA-256", "SHA-384", "SHA-512", "SHA-1", "sha-256", "MD5", ""];
const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "__defineGetter__", "hasOwnProperty"];

const UNICODE = [
  "Phê duyệt",
  "Quyết định 123/QĐ-UBND",
  "\u0000",
  "\u0001\u0002\u001f",
  "\ud800",
  "\udfff\ud800",
  "\ufeff",
  "\u202e\u202d",
  "😀👍🏽",
  "e\u0301\u0301\u0301",
  "\u2028\u2029",
  "\\u0000",
  "<script>alert(1)</script>",
  "${process.env.HOME}",
  "%s%n%x",
  "'; DROP TABLE x; --",
];

function base64Of(prng: Prng, bytes: number): string {
  return Buffer.from(prng.bytes(bytes)).toString("base64");
}

export function randomUnicode(prng: Prng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    const roll = prng.int(10);
    if (roll < 5) out += String.fromCharCode(0x20 + prng.int(0x5f));
    else if (roll < 7) out += String.fromCharCode(0xa0 + prng.int(0x2000));
    else if (roll < 8) out += String.fromCodePoint(0x1f300 + prng.int(0x300));
    else if (roll < 9) out += String.fromCharCode(prng.int(0x20));
    else out += String.fromCharCode(0xd800 + prng.int(0x800)); // lone surrogates: JSON.stringify escapes them
  }
  return out;
}

/** A value of a random wrong or hostile kind. */
export function hostileValue(prng: Prng, depth = 0): unknown {
  switch (prng.int(16)) {
    case 0:
      return null;
    case 1:
      return prng.pick([true, false]);
    case 2:
      return prng.pick([0, -1, 1.5, -0, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, 2 ** 31, 4294967296]);
    case 3:
      return prng.pick(UNICODE);
    case 4:
      return randomUnicode(prng, prng.range(0, 40));
    case 5:
      return "A".repeat(prng.pick([129, 201, 256, 2001, 4096, 20_000]));
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return depth > 2 ? 1 : [hostileValue(prng, depth + 1), hostileValue(prng, depth + 1)];
    case 9:
      return depth > 2 ? "x" : { [prng.pick(PROTO_KEYS)]: hostileValue(prng, depth + 1) };
    case 10:
      return nested(prng.range(10, 3000), prng.chance(0.5));
    case 11:
      return base64Of(prng, prng.range(0, 64));
    case 12:
      return prng.pick(["2.0", "1.0", "2", "", "2.0 "]);
    case 13:
      return prng.pick(METHODS);
    case 14:
      return prng.pick(ODD_METHODS);
    default:
      return Array.from({ length: prng.range(0, 300) }, (_, i) => i);
  }
}

function nested(depth: number, arrays: boolean): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
}

function validId(prng: Prng): string | number {
  return prng.chance(0.6) ? prng.range(1, 1_000_000) : `id-${prng.int(1_000_000)}`;
}

function hostileId(prng: Prng): unknown {
  return prng.pick<unknown>([
    0,
    -1,
    2 ** 53 - 1,
    2 ** 53,
    1.5,
    1e308,
    -0,
    "",
    "x".repeat(128),
    "x".repeat(129),
    "x".repeat(5000),
    null,
    true,
    [],
    [1],
    {},
    JSON.parse('{"__proto__":1}') as unknown,
    "__proto__",
    "\ud800",
    "😀",
  ]);
}

function document(prng: Prng): string {
  const kind = prng.int(6);
  if (kind === 0) return Buffer.from("%PDF-1.7\n%%EOF\n").toString("base64");
  if (kind === 1) return Buffer.from('<?xml version="1.0"?><a Id="x">b</a>').toString("base64");
  if (kind === 2) return Buffer.from(randomUnicode(prng, prng.range(1, 200))).toString("base64");
  return base64Of(prng, prng.range(1, prng.chance(0.1) ? 30_000 : 300));
}

function signParams(prng: Prng): Record<string, unknown> {
  const format = prng.pick(FORMATS);
  const params: Record<string, unknown> = { format };
  if ((format === "raw" || format === "cms") && prng.chance(0.7)) {
    const algorithm = prng.pick(HASH_ALGORITHMS);
    params.hash = base64Of(prng, prng.pick([32, 48, 64, 20, 0, 1, 100]));
    if (prng.chance(0.7)) params.hashAlgorithm = algorithm;
  } else params.document = document(prng);
  if (prng.chance(0.3)) params.certificateId = prng.chance(0.5) ? `${"ab".repeat(32)}:${prng.int(1000)}` : randomUnicode(prng, 20);
  if (prng.chance(0.4)) params.display = { title: prng.pick(UNICODE), fileName: "văn-bản.pdf", description: randomUnicode(prng, 30) };
  if (prng.chance(0.3)) params.options = { reason: prng.pick(UNICODE), visible: { page: prng.pick<unknown>(["last", 0, -1, 1e9, "x"]) } };
  return params;
}

function paramsFor(prng: Prng, method: string): unknown {
  switch (method) {
    case "certificates.list":
      return prng.chance(0.3) ? undefined : { filter: { taxCode: "0101234567", validOnly: prng.chance(0.5), keyUsage: ["digitalSignature"] } };
    case "sign":
      return signParams(prng);
    case "signBatch":
      return { items: Array.from({ length: prng.range(1, prng.chance(0.1) ? 200 : 4) }, () => signParams(prng)), display: { title: "lô" } };
    default:
      return prng.chance(0.7) ? undefined : {};
  }
}

/** Sets a hostile value somewhere inside `value` (or adds a key), returning the new value. */
function mutateIn(prng: Prng, value: unknown): unknown {
  if (value === null || typeof value !== "object" || prng.chance(0.25)) return hostileValue(prng);
  if (Array.isArray(value)) {
    if (value.length === 0 || prng.chance(0.2)) return [...value, hostileValue(prng)];
    const copy = [...value];
    const index = prng.int(copy.length);
    copy[index] = mutateIn(prng, copy[index]);
    return copy;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const copy: Record<string, unknown> = {};
  for (const key of keys) copy[key] = record[key];
  if (keys.length === 0 || prng.chance(0.3)) {
    // defineProperty, so a "__proto__" key becomes an own key (as JSON.parse would make it) and not the prototype.
    const key = prng.chance(0.5) ? prng.pick(PROTO_KEYS) : prng.pick(["extra", "id", "jsonrpc", "params", "filter", "items", "x".repeat(70)]);
    Object.defineProperty(copy, key, { value: hostileValue(prng), enumerable: true, writable: true, configurable: true });
  } else if (prng.chance(0.15)) delete copy[prng.pick(keys)];
  else {
    const key = prng.pick(keys);
    copy[key] = mutateIn(prng, copy[key]);
  }
  return copy;
}

/** A JSON-RPC request for one of the protocol's methods (or an odd one), mutated with some probability. */
export function structuredRequest(prng: Prng): { text: string; id: unknown; method: unknown } {
  const method = prng.chance(0.85) ? prng.pick(METHODS) : prng.pick(ODD_METHODS);
  const frame: Record<string, unknown> = { jsonrpc: "2.0", id: validId(prng), method };
  const params = paramsFor(prng, method);
  if (params !== undefined) frame.params = params;
  let value: unknown = frame;
  const mutations = prng.chance(0.25) ? 0 : prng.range(1, 3);
  for (let i = 0; i < mutations; i++) {
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    if (isObject && prng.chance(0.15)) (value as Record<string, unknown>).id = hostileId(prng);
    else value = mutateIn(prng, value);
  }
  let text = JSON.stringify(value) ?? "null";
  // Spellings JSON.stringify never produces: duplicate keys, a batch, whitespace, a BOM.
  const spelling = prng.int(12);
  if (spelling === 0 && text.endsWith("}")) text = `${text.slice(0, -1)},"id":${JSON.stringify(hostileId(prng)) ?? "1"}}`;
  else if (spelling === 1 && text.endsWith("}")) text = `${text.slice(0, -1)},"method":"sign"}`;
  else if (spelling === 2) text = `[${text},${text}]`;
  else if (spelling === 3) text = ` \n\t${text}\r\n `;
  else if (spelling === 4) text = `\ufeff${text}`;
  else if (spelling === 5) text = text.slice(0, prng.int(text.length));
  else if (spelling === 6) text = `${text}${text}`;
  const record = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { text, id: record.id, method: record.method };
}

/** Random code points as valid UTF-8 text. */
export function randomText(prng: Prng): string {
  const roll = prng.int(6);
  if (roll === 0) return "";
  if (roll === 1) return prng.pick(["null", "1", '"x"', "[]", "{}", "true", "[{}]", '{"jsonrpc":"2.0"}', "{".repeat(5000), "[".repeat(20_000)]);
  return randomUnicode(prng, prng.range(1, 400)).replace(/[\ud800-\udfff]/g, "?");
}

/** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, an encoded surrogate, a cut sequence). */
export function invalidUtf8(prng: Prng): Buffer {
  const bad = prng.pick([[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
  const before = Buffer.from(`{"jsonrpc":"2.0","id":1,"method":"hello","x":"`);
  const after = Buffer.from(prng.chance(0.5) ? `"}` : "");
  return Buffer.concat([prng.chance(0.7) ? before : Buffer.alloc(0), Buffer.from(bad), after]);
}
