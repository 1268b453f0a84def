import { describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { getAppInfo, SIGNING_FORMATS } from "../../../main/core/app-info.js";

describe("getAppInfo", () => {
  it("reports the package version, protocol 1 and every signing format", () => {
    const info = getAppInfo("linux");
    expect(info).toEqual({ product: "KySo", version: pkg.version, protocol: 1, formats: [...SIGNING_FORMATS], platform: "linux" });
  });
});
