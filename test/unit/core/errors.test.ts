import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE, ERROR_CODES, KysoError, toKysoError, fromPayload } from "../../../main/domain/errors/index.js";
import { parseHashAlgorithm } from "../../../main/domain/hash-algorithm.js";

describe("error catalogue", () => {
  it("every code has a Vietnamese and an English message that differ", () => {
    for (const code of ERROR_CODES) {
      const entry = ERROR_CATALOGUE[code];
      expect(entry.vi.length, code).toBeGreaterThan(10);
      expect(entry.en.length, code).toBeGreaterThan(10);
      expect(entry.vi, code).not.toBe(entry.en);
    }
  });

  it("KysoError payload carries code, localised message and details, not the internal detail", () => {
    const error = new KysoError("pin_incorrect", "CKR_PIN_INCORRECT", { pinStatus: "finalTry" });
    const payload = error.toPayload("vi");
    expect(payload).toEqual({ code: "pin_incorrect", message: ERROR_CATALOGUE.pin_incorrect.vi, retriable: true, details: { pinStatus: "finalTry" } });
    expect(JSON.stringify(payload)).not.toContain("CKR_");
  });

  it("toKysoError: unknown throwables become internal, payloads round-trip", () => {
    expect(toKysoError(new TypeError("boom")).code).toBe("internal");
    expect(toKysoError("text").code).toBe("internal");
    const back = fromPayload(new KysoError("busy").toPayload());
    expect(back).toBeInstanceOf(KysoError);
    expect(back.code).toBe("busy");
  });
});

describe("parseHashAlgorithm", () => {
  it("accepts portal spellings of SHA-2", () => {
    expect(parseHashAlgorithm("SHA256")).toBe("SHA-256");
    expect(parseHashAlgorithm("sha-384")).toBe("SHA-384");
    expect(parseHashAlgorithm("Sha512")).toBe("SHA-512");
  });
  it("refuses SHA-1 and unknown names with unsupported_algorithm", () => {
    for (const name of ["SHA1", "SHA-1", "MD5", "", "SHA-256x"]) {
      expect(() => parseHashAlgorithm(name), name).toThrow(expect.objectContaining({ code: "unsupported_algorithm" }));
    }
  });
});
