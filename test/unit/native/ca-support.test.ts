/** supportContactFor: the locked-PIN message names whom to call, from the driver catalogue's CA list. */
import { describe, expect, it } from "vitest";
import { loadDriverCatalogue, supportContactFor } from "../../../native/drivers/catalogue.js";

describe("supportContactFor", () => {
  it("the VNPT-CA issuer (vietnam.md's example) gets VNPT-CA's line", () => {
    const contact = supportContactFor({ commonName: "VNPT Certification Authority", organizationalUnit: "VNPT-CA Trust Network", organization: "VNPT Group" });
    expect(contact).toEqual({ name: "VNPT-CA", phone: "1800 1260", website: "https://vnpt-ca.vn" });
  });

  it("a government certificate (Ban Cơ yếu Chính phủ) gets VGCA's site; matching ignores case", () => {
    expect(supportContactFor({ commonName: "CA phục vụ các cơ quan Nhà nước G2", organization: "BAN CƠ YẾU CHÍNH PHỦ" })?.name).toMatch(/VGCA/);
  });

  it("an unknown issuer: no contact (the caller names the issuer instead)", () => {
    expect(supportContactFor({ organization: "KySo Test Trust Network", commonName: "KySo Test Public CA" })).toBeUndefined();
  });

  it("every listed CA has a website or a phone, and phones are digits only", () => {
    for (const authority of loadDriverCatalogue().authorities.list) {
      expect(authority.website ?? authority.phone, authority.name).toBeDefined();
    }
  });
});
