import { describe, expect, it } from "vitest";
import { XML_SUMMARY_FIELDS } from "../../../main/domain/document-description.js";
import { en } from "../../../main/domain/messages/en.js";
import { vi } from "../../../main/domain/messages/vi.js";
import { message } from "../../../main/domain/messages/index.js";
import { shellMessages } from "../../../main/electron/shell-messages.js";
import { translator } from "../../../renderer/src/i18n/index.js";

/** Argument names of a message: `{name}` and `{name, plural, …}` (with the placeholders inside the branches). */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\s*(\w+)\s*(?:,\s*plural\s*,)?/g)].map((m) => m[1]))].sort();

describe("message catalogues", () => {
  it("vi and en: exactly the same keys", () => {
    expect(Object.keys(vi).sort()).toEqual(Object.keys(en).sort());
  });

  it("vi and en: the same placeholders in every message", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect([key, placeholders(vi[key])]).toEqual([key, placeholders(en[key])]);
  });

  it("no message is empty", () => {
    for (const text of [...Object.values(en), ...Object.values(vi)]) expect(text.trim()).not.toBe("");
  });

  it("every XML summary field the core can return has a label in both languages", () => {
    for (const field of XML_SUMMARY_FIELDS) {
      expect(en[`doc.field.${field}`]).toBeTruthy();
      expect(vi[`doc.field.${field}`]).toBeTruthy();
    }
  });

  it("English messages contain no Vietnamese letter (an untranslated copy would show in the English UI)", () => {
    // Deliberate exceptions: each language is named in its own words, and the Government root is named by its
    // certificate's own name ("RootCA chuyên dùng Chính phủ G2", the CN users compare with what their CA tells them).
    const allowed = new Set(["lang.vi", "trust.root.vn-gov-root-g2"]);
    const vietnamese = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
    for (const [key, text] of Object.entries(en)) if (!allowed.has(key)) expect([key, vietnamese.test(text)]).toEqual([key, false]);
  });
});

describe("translator", () => {
  it("plural rules: English says 1 page / 3 pages, Vietnamese has one form", () => {
    expect(translator("en")("doc.pdf", { pages: 1, size: "2 kB" })).toBe("PDF document: 1 page, 2 kB");
    expect(translator("en")("doc.pdf", { pages: 3, size: "2 kB" })).toBe("PDF document: 3 pages, 2 kB");
    expect(translator("vi")("doc.pdf", { pages: 3, size: "2 kB" })).toBe("Tài liệu PDF: 3 trang, 2 kB");
  });

  it("the batch button names the count: 'Ký tất cả 3 tài liệu' / 'Sign all 3 documents'", () => {
    expect(translator("vi")("approval.approveBatch", { count: 3 })).toBe("Ký tất cả 3 tài liệu");
    expect(translator("en")("approval.approveBatch", { count: 3 })).toBe("Sign all 3 documents");
  });

  it("numbers are grouped for the language; an unknown placeholder stays visible", () => {
    expect(translator("vi")("home.pending", { count: 1234 })).toBe("Yêu cầu ký đang chờ: 1.234");
    expect(translator("en")("home.pending", { count: 1234 })).toBe("Signing requests waiting: 1,234");
    expect(translator("en")("home.pending")).toBe("Signing requests waiting: {count}");
  });

  it("the reviewed Vietnamese wording: 'Người sở hữu' for the subject", () => {
    expect(vi["certs.subject"]).toBe("Người sở hữu");
  });
});

describe("the Electron shell reads the same catalogue", () => {
  it("every shell string is the catalogue's shell.* entry, in both languages", () => {
    for (const language of ["vi", "en"] as const) {
      const shell = shellMessages(language);
      expect(shell.quit).toBe(message(language, "shell.quit"));
      expect(shell.tooltip["request-waiting"]).toBe(message(language, "shell.tooltip.request-waiting"));
      expect(shell.notifyBody).toContain("{origin}");
      for (const text of [...Object.values(shell).filter((v): v is string => typeof v === "string"), ...Object.values(shell.tooltip)]) expect(text).not.toMatch(/^shell\./);
    }
    expect(shellMessages("vi").approvalTitle).toBe("KySo: yêu cầu ký số");
  });
});

describe("keys the core returns are all worded", () => {
  it("every existing-signature reason has a label in both languages", async () => {
    const { SIGNATURE_INTEGRITY_REASONS } = await import("../../../main/domain/document-description.js");
    for (const reason of SIGNATURE_INTEGRITY_REASONS) {
      expect(en[`doc.sigReason.${reason}`]).toBeTruthy();
      expect(vi[`doc.sigReason.${reason}`]).toBeTruthy();
    }
  });

  it("every module failure code has a label in both languages", () => {
    for (const code of ["not_found", "wrong_architecture", "not_pkcs11", "load_failed", "initialize_failed", "timeout", "crashed", "error"] as const) {
      expect(en[`settings.moduleFailure.${code}`]).toBeTruthy();
      expect(vi[`settings.moduleFailure.${code}`]).toBeTruthy();
    }
  });
});
