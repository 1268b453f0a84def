import { describe, expect, it } from "vitest";
import type { DistinguishedName } from "../../../main/domain/certificate.js";
import { certificateDisplayName } from "../../../main/domain/display-name.js";

const UID = "0.9.2342.19200300.100.1.1";
const dn = (attributes: { oid: string; name?: string; value: string }[], named: Partial<DistinguishedName> = {}): DistinguishedName => ({
  text: "",
  attributes,
  ...named,
});

describe("certificateDisplayName (UI and PDF stamp)", () => {
  it("CN first, else O", () => {
    expect(certificateDisplayName(dn([], { commonName: "Nguyễn Văn An", organization: "Sở Tài chính" }))).toBe("Nguyễn Văn An");
    expect(certificateDisplayName(dn([], { organization: "CÔNG TY TNHH KIỂM THỬ" }))).toBe("CÔNG TY TNHH KIỂM THỬ");
  });

  it("else the first readable attribute: the UID's MST as 'MST: …', never the OID", () => {
    const subject = dn([
      { oid: "2.5.4.6", name: "C", value: "VN" },
      { oid: "1.2.3.4.5", value: "opaque" },
      { oid: UID, name: "UID", value: "MST:0101234567" },
    ]);
    expect(certificateDisplayName(subject)).toBe("MST: 0101234567");
  });

  it("nothing readable: a value, never an OID; nothing at all: a dash", () => {
    expect(certificateDisplayName(dn([{ oid: "1.2.3.4.5", value: "opaque" }]))).toBe("opaque");
    expect(certificateDisplayName(dn([]))).toBe("—");
  });

  it("blank CN falls through; inner whitespace is collapsed", () => {
    expect(certificateDisplayName(dn([], { commonName: "  ", organization: "Sở   Tài chính" }))).toBe("Sở Tài chính");
  });
});
