import { describe, expect, it } from "vitest";
import { rendererFile, rendererMediaType } from "../../../main/electron/renderer-assets.js";

describe("rendererFile", () => {
  it("maps the root to index.html and a path to the file under the root", () => {
    expect(rendererFile("/app/dist/renderer", "/")).toBe("/app/dist/renderer/index.html");
    expect(rendererFile("/app/dist/renderer", "/assets/index.js")).toBe("/app/dist/renderer/assets/index.js");
  });

  it("refuses every way out of the root", () => {
    for (const path of ["/../secret", "/assets/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%E0%A4%A"]) {
      expect(rendererFile("/app/dist/renderer", path), path).toBeUndefined();
    }
  });
});

describe("rendererMediaType", () => {
  it("labels scripts as JavaScript and unknown files as octet-stream (nosniff does the rest)", () => {
    expect(rendererMediaType("x/app.js")).toMatch(/^text\/javascript/);
    expect(rendererMediaType("x/blob.bin")).toBe("application/octet-stream");
  });
});
