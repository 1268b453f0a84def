/**
 * The docs say what the wire does (issue 11): docs/protocol.md's error table is checked against the names that can
 * reach a page (each catalogue code through `wireName`, as the bridge maps it, plus the protocol errors), its codes
 * against `ERROR_CODES`, and its JSON reply examples against the wire types' keys. docs/formats.md's hashAlgorithm
 * spellings are checked against the bridge's params schema and `parseHashAlgorithm`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signParamsSchema } from "../../../main/core/bridge/sign-params.js";
import { parseHashAlgorithm } from "../../../main/domain/hash-algorithm.js";
import { ERROR_CATALOGUE, type ErrorCode } from "../../../main/domain/errors/catalogue.js";
import {
  ERROR_CODES,
  type BatchProgress,
  type CertificateSummary,
  type ErrorName,
  type HelloResult,
  type PairResult,
  type SignResult,
  type TokenSummary,
  type VerificationReport,
} from "../../../main/domain/wire/protocol.js";
import { PROTOCOL_ERRORS, wireName } from "../../../main/domain/wire/wire-errors.js";
import { CLOSE_CODES } from "../../../main/domain/wire/protocol.js";

const read = (name: string): string => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), "utf8");
const protocolDoc = read("protocol.md");
const formatsDoc = read("formats.md");

/** The text of one `## heading` section, up to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

interface ErrorRow {
  readonly name: string;
  readonly code: number;
  readonly meaning: string;
}

function errorTable(): ErrorRow[] {
  return section(protocolDoc, "Errors")
    .split("\n")
    .map((line) => /^\|\s*`([a-z_]+)`\s*\|\s*(-?\d+)\s*\|(.*)\|\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, name, code, meaning]) => ({ name: name!, code: Number(code), meaning: meaning!.trim() }));
}

/** Every name a page can receive: the protocol errors, and each catalogue code as the bridge maps it. */
const reachable = new Set<ErrorName>([
  ...(Object.keys(PROTOCOL_ERRORS) as ErrorName[]),
  ...(Object.keys(ERROR_CATALOGUE) as ErrorCode[]).map(wireName),
]);

describe("docs/protocol.md error table", () => {
  const rows = errorTable();

  it("lists exactly the error names that can reach a page, once each", () => {
    const names = rows.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...reachable].sort());
    // A wrong PIN keeps the approval open in the app: these never reach a page, so the page must not switch on them.
    expect(names).not.toContain("pin_incorrect");
    expect(names).not.toContain("pin_length_invalid");
  });

  it("gives each name its ERROR_CODES number and a one-line meaning", () => {
    for (const row of rows) {
      expect(row.code, row.name).toBe(ERROR_CODES[row.name as ErrorName]);
      expect(row.meaning.length, row.name).toBeGreaterThan(3);
    }
  });

  it("every wire name has a code (nothing reachable is missing from ERROR_CODES)", () => {
    for (const name of reachable) expect(ERROR_CODES[name], name).toEqual(expect.any(Number));
  });
});

/**
 * Keys of each documented reply type: `true` = required, `false` = optional. `satisfies Record<keyof T, boolean>`
 * makes the compiler reject a list that misses or invents a key, so the lists follow the types.
 */
const HELLO = { product: true, version: true, protocol: true, formats: true, origin: true } satisfies Record<keyof HelloResult, boolean>;
const PAIR = { granted: true } satisfies Record<keyof PairResult, boolean>;
const TOKEN = { id: true, label: true, manufacturer: true, model: true, serial: true, pinStatus: true, protectedAuthenticationPath: true } satisfies Record<keyof TokenSummary, boolean>;
const CERTIFICATE = {
  id: true,
  tokenId: true,
  certificate: true,
  chain: true,
  subject: true,
  issuer: true,
  serialNumber: true,
  notBefore: true,
  notAfter: true,
  keyAlgorithm: true,
  keyUsage: true,
  vn: true,
  valid: true,
  revocation: false,
  trustChain: false,
} satisfies Record<keyof CertificateSummary, boolean>;
const SIGN_RESULT = { signature: false, document: false, certificate: true, signedAt: true } satisfies Record<keyof SignResult, boolean>;
const VERIFY = { format: true, size: true, sha256: true, revisions: true, validationTime: true, signatures: true, result: true, cms: false, officialDocument: false } satisfies Record<keyof VerificationReport, boolean>;
const PROGRESS = { requestId: true, index: true, ok: true, done: true, total: true } satisfies Record<keyof BatchProgress, boolean>;

function expectShape(value: unknown, keys: Readonly<Record<string, boolean>>, where: string): void {
  expect(typeof value, where).toBe("object");
  const present = Object.keys(value as object);
  for (const [key, required] of Object.entries(keys)) if (required) expect(present, `${where}: ${key}`).toContain(key);
  for (const key of present) expect(Object.keys(keys), `${where}: unknown key ${key}`).toContain(key);
}

/** Every `← {...}` reply in the "Methods" section that is whole JSON (the examples elide with `…` inside strings). */
function documentedReplies(): { method: string; message: Record<string, unknown> }[] {
  const replies: { method: string; message: Record<string, unknown> }[] = [];
  for (const part of section(protocolDoc, "Methods").split(/\n### /).slice(1)) {
    const method = /^`([^`]+)`/.exec(part)?.[1] ?? "";
    for (const block of part.match(/```json\n([\s\S]*?)```/g) ?? []) {
      for (const chunk of block.replace(/```(json)?/g, "").split(/^\s*(?=[→←])/m)) {
        if (!chunk.trimStart().startsWith("←")) continue;
        const text = chunk.trim().slice(1).replace(/\n\s*…\s*$/, "");
        try {
          replies.push({ method, message: JSON.parse(text) as Record<string, unknown> });
        } catch {
          // An example that elides whole elements (`, …]`) is not JSON; the parsed ones must be most of them.
        }
      }
    }
  }
  return replies;
}

describe("docs/protocol.md reply examples match the wire types", () => {
  const replies = documentedReplies();

  it("covers every method with a reply example", () => {
    expect(new Set(replies.map((r) => r.method))).toEqual(new Set(["hello", "pair", "tokens.list", "certificates.list", "sign", "signBatch", "verify"]));
  });

  it("each reply has the type's required keys and no other", () => {
    for (const { method, message } of replies) {
      if (message.method === "batchProgress") {
        expectShape(message.params, PROGRESS, "batchProgress");
        continue;
      }
      const result = message.result as unknown;
      if (method === "hello") expectShape(result, HELLO, method);
      else if (method === "pair") expectShape(result, PAIR, method);
      else if (method === "tokens.list") (result as unknown[]).forEach((token) => expectShape(token, TOKEN, method));
      else if (method === "certificates.list") {
        for (const certificate of result as Record<string, unknown>[]) {
          expectShape(certificate, CERTIFICATE, method);
          // keyAlgorithm is an object, as CertificateSummary says, not a string.
          expect(certificate.keyAlgorithm).toMatchObject({ kind: expect.stringMatching(/^(rsa|ec)$/) });
        }
      } else if (method === "sign") expectShape(result, SIGN_RESULT, method);
      else if (method === "verify") {
        expectShape(result, VERIFY, method);
        expect((result as VerificationReport).result.indication).toMatch(/^(TOTAL-PASSED|TOTAL-FAILED|INDETERMINATE)$/);
      }
      else if (method === "signBatch") {
        for (const item of (result as { results: Record<string, unknown>[] }).results) {
          const { ok, ...rest } = item;
          if (ok === true) expectShape(rest, SIGN_RESULT, "signBatch item");
          else expect((rest.error as { data: { name: ErrorName } }).data.name in ERROR_CODES).toBe(true);
        }
      }
    }
  });

  it("describes keyAlgorithm as the object it is", () => {
    const text = protocolDoc.slice(protocolDoc.indexOf("### `certificates.list`"), protocolDoc.indexOf("### `sign`"));
    expect(text).toMatch(/`keyAlgorithm` is an object/);
    expect(text).toContain('{"kind":"rsa","modulusBits":');
    expect(text).toContain('{"kind":"ec","curve":');
  });
});

describe("docs/formats.md hashAlgorithm spellings are what the bridge accepts", () => {
  const line = /`hashAlgorithm` defaults to SHA-256 and accepts ([^.\n]+)/.exec(formatsDoc)?.[1] ?? "";
  const spellings = [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

  it("each documented spelling passes the bridge's params schema and names a SHA-2 algorithm", () => {
    expect(spellings.length).toBeGreaterThanOrEqual(3);
    for (const hashAlgorithm of spellings) {
      const parsed = signParamsSchema.safeParse({ format: "raw", hash: "AAAA", hashAlgorithm });
      expect(parsed.success, hashAlgorithm).toBe(true);
      expect(parseHashAlgorithm(hashAlgorithm), hashAlgorithm).toMatch(/^SHA-(256|384|512)$/);
    }
  });

  it("SHA-1 is unsupported_algorithm (both docs say so), not a schema failure", () => {
    expect(protocolDoc).toContain("SHA-1 or an unknown name is refused with `unsupported_algorithm`");
    expect(formatsDoc).toContain("SHA-1 or an unknown hash is `unsupported_algorithm`");
    expect(signParamsSchema.safeParse({ format: "raw", hash: "AAAA", hashAlgorithm: "SHA-1" }).success).toBe(true);
    expect(() => parseHashAlgorithm("SHA-1")).toThrow(expect.objectContaining({ code: "unsupported_algorithm" }));
  });
});

describe("docs/protocol.md close codes", () => {
  it("lists every code of CLOSE_CODES in its Close codes table", () => {
    const start = protocolDoc.indexOf("### Close codes");
    expect(start).toBeGreaterThan(0);
    const table = protocolDoc.slice(start, protocolDoc.indexOf("\n### ", start + 5));
    for (const [name, code] of Object.entries(CLOSE_CODES)) expect(table, name).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
  });
});
