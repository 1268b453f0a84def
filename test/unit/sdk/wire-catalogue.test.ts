/**
 * One wire and error catalogue (issue 11): every catalogue code is known to both languages, to the bridge (a wire
 * name and a JSON-RPC number) and to the SDK (a class and the same table); the SDK's generated copy of the wire
 * module is what the generator would write today; and the SDK's `hashAlgorithm` type takes what the bridge takes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE, KysoError, type ErrorCode } from "../../../main/domain/errors/index.js";
import { parseHashAlgorithm } from "../../../main/domain/hash-algorithm.js";
import { ERROR_CODES, PROTOCOL_ERRORS, WIRE_ERRORS, wireName, type ErrorName } from "../../../main/domain/wire/wire-errors.js";
import { errorFromThrown } from "../../../main/core/bridge/json-rpc.js";
import { signParamsSchema } from "../../../main/core/bridge/sign-params.js";
import { REGENERATE_COMMAND, sdkWireFiles } from "../../../scripts/generate-sdk-wire.js";
import * as sdk from "../../../sdk/src/index.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe("the SDK's generated wire files", () => {
  it(`are what scripts/generate-sdk-wire.ts writes now (stale: run ${REGENERATE_COMMAND})`, () => {
    for (const [path, expected] of sdkWireFiles()) {
      expect(readFileSync(join(ROOT, path), "utf8"), `${path} is stale: run ${REGENERATE_COMMAND}`).toBe(expected);
    }
  });

  it("carry the same table as the domain (names, numbers, retriable flags, texts)", () => {
    expect(sdk.WIRE_ERRORS).toEqual(WIRE_ERRORS);
    expect(sdk.ERROR_CODES).toEqual(ERROR_CODES);
  });
});

describe("every catalogue code", () => {
  it.each(CODES)("%s: a Vietnamese and an English message", (code) => {
    const { vi, en } = ERROR_CATALOGUE[code];
    expect(vi.trim().length).toBeGreaterThan(5);
    expect(en.trim().length).toBeGreaterThan(5);
    expect(vi).not.toBe(en);
  });

  it.each(CODES)("%s: the bridge sends it under its wire name and number, in the user's language", (code) => {
    const name = wireName(code);
    expect(Object.hasOwn(WIRE_ERRORS, name), name).toBe(true);
    for (const language of ["vi", "en"] as const) {
      const object = errorFromThrown(new KysoError(code, "detail for the log"), language);
      expect(object.data.name).toBe(name);
      expect(object.code).toBe(ERROR_CODES[name]);
      expect(object.data.retriable).toBe(Object.hasOwn(PROTOCOL_ERRORS, name) ? false : WIRE_ERRORS[name].retriable);
      if (!Object.hasOwn(PROTOCOL_ERRORS, name)) expect(object.message).toBe(WIRE_ERRORS[name][language]);
      // The log's detail never reaches the page, except invalid_params's, which names the failing field on purpose.
      if (name !== "invalid_params") expect(object.message).not.toContain("detail for the log");
    }
  });

  it.each(CODES)("%s: the SDK turns the bridge's answer into its class, with the code and both languages' guidance", (code) => {
    const name = wireName(code);
    const error = sdk.errorFromWire(errorFromThrown(new KysoError(code), "vi"));
    expect(error).toBeInstanceOf(sdk.KysoSdkError);
    expect(error.code).toBe(name);
    const expected = name === "origin_not_allowed" ? sdk.OriginNotAllowedError : WIRE_ERRORS[name].protocol ? sdk.ProtocolError : sdk.RequestError;
    expect(error).toBeInstanceOf(expected);
    if (!WIRE_ERRORS[name].protocol) {
      expect(error.guidance).toContain(WIRE_ERRORS[name].vi);
      expect(error.guidance).toContain(WIRE_ERRORS[name].en);
    }
  });
});

describe("the wire table", () => {
  it("numbers are unique: JSON-RPC's reserved ones for protocol errors, 1xxx for the catalogue's", () => {
    const numbers = Object.values(ERROR_CODES);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const [name, row] of Object.entries(WIRE_ERRORS)) {
      if (row.protocol) expect(row.code, name).toBeLessThanOrEqual(-32600);
      else expect(row.code, name).toBeGreaterThanOrEqual(1000);
    }
  });

  it("holds exactly the names a catalogue code can reach a page as, and the protocol errors", () => {
    const reachable = new Set<ErrorName>([...(Object.keys(PROTOCOL_ERRORS) as ErrorName[]), ...CODES.map(wireName)]);
    expect(Object.keys(WIRE_ERRORS).sort()).toEqual([...reachable].sort());
  });

  it("PIN codes never reach a page (a wrong PIN keeps the approval open in the app)", () => {
    expect(wireName("pin_incorrect")).toBe("internal");
    expect(wireName("pin_length_invalid")).toBe("internal");
    expect(Object.keys(WIRE_ERRORS)).not.toContain("pin_incorrect");
  });
});

describe("SignParams.hashAlgorithm (SDK type) and the bridge agree", () => {
  /** Every member of the SDK's union: the compiler refuses this object if one is missing or invented. */
  const SPELLINGS = {
    "SHA-256": "SHA-256",
    "SHA-384": "SHA-384",
    "SHA-512": "SHA-512",
    SHA256: "SHA-256",
    SHA384: "SHA-384",
    SHA512: "SHA-512",
    "sha-256": "SHA-256",
    "sha-384": "SHA-384",
    "sha-512": "SHA-512",
    sha256: "SHA-256",
    sha384: "SHA-384",
    sha512: "SHA-512",
    "Sha-256": "SHA-256",
    "Sha-384": "SHA-384",
    "Sha-512": "SHA-512",
    Sha256: "SHA-256",
    Sha384: "SHA-384",
    Sha512: "SHA-512",
  } as const satisfies Record<NonNullable<sdk.SignParams["hashAlgorithm"]>, string>;

  it.each(Object.entries(SPELLINGS))("%s passes the params schema and reads as %s", (spelling, algorithm) => {
    const params: sdk.SignParams = { format: "raw", hash: "AAAA", hashAlgorithm: spelling as keyof typeof SPELLINGS };
    expect(signParamsSchema.safeParse(params).success).toBe(true);
    expect(parseHashAlgorithm(spelling)).toBe(algorithm);
  });

  it("the type still refuses SHA-1 (the bridge answers unsupported_algorithm)", () => {
    // @ts-expect-error SHA-1 is not a spelling the SDK offers
    const sha1: sdk.SignParams = { format: "raw", hash: "AAAA", hashAlgorithm: "SHA-1" };
    expect(() => parseHashAlgorithm(sha1.hashAlgorithm!)).toThrow(expect.objectContaining({ code: "unsupported_algorithm" }));
  });
});
