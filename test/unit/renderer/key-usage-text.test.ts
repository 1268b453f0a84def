import { describe, expect, it } from "vitest";
import { keyUsageAllowsSigning, keyUsageText } from "../../../renderer/src/approval/key-usage-text.js";
import { translator } from "../../../renderer/src/i18n/index.js";

describe("the approval's key-usage line", () => {
  const vi = translator("vi");
  const en = translator("en");

  it("names the signing usages the certificate has, in both languages, when it may sign", () => {
    expect(keyUsageAllowsSigning(["digitalSignature", "nonRepudiation"])).toBe(true);
    expect(keyUsageText(["digitalSignature", "nonRepudiation"], en)).toBe("Key usage: non-repudiation, digital signature: fit for signing");
    expect(keyUsageText(["nonRepudiation"], vi)).toBe("Mục đích sử dụng khóa: chống chối bỏ: dùng được để ký");
  });

  it("says a certificate for encryption only is not for signing", () => {
    expect(keyUsageAllowsSigning(["keyEncipherment"])).toBe(false);
    expect(keyUsageText(["keyEncipherment"], en)).toMatch(/^Key usage: not for signing/);
    expect(keyUsageText([], vi)).toMatch(/^Mục đích sử dụng khóa: không dùng để ký/);
  });
});
