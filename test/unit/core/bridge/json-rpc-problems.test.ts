/** The reasons a portal may act on travel in `data.problems`: certificate_invalid and revocation_unavailable. */
import { describe, expect, it } from "vitest";
import { errorFromThrown } from "../../../../main/core/bridge/json-rpc.js";
import { KysoError } from "../../../../main/domain/errors/index.js";

describe("errorFromThrown data.problems", () => {
  it("revocation_unavailable (B-LT) carries its problems and code 1021, in both languages", () => {
    for (const language of ["vi", "en"] as const) {
      const wire = errorFromThrown(new KysoError("revocation_unavailable", "no OCSP for the signer", { problems: ["offline"] }), language);
      expect(wire.code).toBe(1021);
      expect(wire.data).toEqual({ name: "revocation_unavailable", retriable: true, problems: ["offline"] });
      expect(wire.message).not.toContain("OCSP for the signer"); // the internal detail stays in the log
    }
  });

  it("other codes carry no problems even when the error has some", () => {
    const wire = errorFromThrown(new KysoError("timestamp_failed", "x", { problems: ["y"] }), "en");
    expect(wire.data).toEqual({ name: "timestamp_failed", retriable: true });
  });
});
