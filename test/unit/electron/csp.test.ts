import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CSP_DIRECTIVES, contentSecurityPolicy } from "../../../main/electron/csp.js";

describe("contentSecurityPolicy", () => {
  const header = contentSecurityPolicy("header");

  it("scripts: only the app's own files, no inline script, no eval", () => {
    expect(CSP_DIRECTIVES["script-src"]).toEqual(["'self'"]);
    expect(header).not.toContain("unsafe-inline");
    expect(header).not.toContain("unsafe-eval");
  });

  it("everything else is denied by default, no frames, no plugins, no remote origins", () => {
    expect(header).toMatch(/^default-src 'none'/);
    expect(header).toContain("object-src 'none'");
    expect(header).toContain("frame-src 'none'");
    expect(header).toContain("frame-ancestors 'none'");
    expect(header).toContain("base-uri 'none'");
    expect(header).not.toMatch(/https?:|\*/);
  });

  it("meta copy: leaves out frame-ancestors, which meta tags ignore", () => {
    expect(contentSecurityPolicy("meta")).not.toContain("frame-ancestors");
  });

  it("renderer/index.html: carries exactly the meta policy", () => {
    const html = readFileSync(new URL("../../../renderer/index.html", import.meta.url), "utf8");
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy("meta"));
  });

  it("renderer/index.html: has no inline script", () => {
    const html = readFileSync(new URL("../../../renderer/index.html", import.meta.url), "utf8");
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
  });
});
