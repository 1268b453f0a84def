/** signerDisplayName: the name the approval shows is the name the signature and its stamp carry. */
import { describe, expect, it } from "vitest";
import type { DistinguishedName } from "../../../../main/domain/certificate.js";
import { certificateDisplayName as signerDisplayName } from "../../../../main/domain/display-name.js";

const UID = "0.9.2342.19200300.100.1.1";

function dn(attributes: { oid: string; name?: string; value: string }[], extra: Partial<DistinguishedName> = {}): DistinguishedName {
  return { text: attributes.map((a) => `${a.name ?? a.oid}=${a.value}`).join(", "), attributes, ...extra };
}

describe("signerDisplayName", () => {
  it("a person: the CN", () => {
    const subject = dn([{ oid: UID, name: "UID", value: "CCCD:001099012345" }, { oid: "2.5.4.3", name: "CN", value: "Nguyễn Văn An" }], { commonName: "Nguyễn Văn An" });
    expect(signerDisplayName(subject)).toBe("Nguyễn Văn An");
  });

  it("an organisation without a CN: its O, never the subject with the UID's raw OID (issue 12)", () => {
    const subject = dn(
      [
        { oid: UID, name: "UID", value: "MST:0101234567" },
        { oid: "2.5.4.10", name: "O", value: "Công ty TNHH Thử Nghiệm" },
        { oid: "2.5.4.6", name: "C", value: "VN" },
      ],
      { organization: "Công ty TNHH Thử Nghiệm", country: "VN" },
    );
    expect(signerDisplayName(subject)).toBe("Công ty TNHH Thử Nghiệm");
  });

  it("neither CN nor O: the first readable naming attribute, skipping UID, serial, country", () => {
    const subject = dn([
      { oid: UID, name: "UID", value: "MST:0101234567" },
      { oid: "2.5.4.6", name: "C", value: "VN" },
      { oid: "2.5.4.11", name: "OU", value: "Phòng Kế toán" },
    ]);
    expect(signerDisplayName(subject)).toBe("Phòng Kế toán");
  });
});
