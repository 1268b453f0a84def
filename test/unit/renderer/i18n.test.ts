import { describe, expect, it } from "vitest";
import { en } from "../../../renderer/src/i18n/en.js";
import { vi } from "../../../renderer/src/i18n/vi.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
});
