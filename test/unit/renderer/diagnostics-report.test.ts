import { describe, expect, it } from "vitest";
import type { DiagnosticsView } from "../../../main/core/app-api/views.js";
import { translator } from "../../../renderer/src/i18n/index.js";
import { diagnosticsReport } from "../../../renderer/src/pages/diagnostics-report.js";

const view = (recovery?: DiagnosticsView["modules"][number]["recovery"]): DiagnosticsView =>
  ({
    app: { version: "1.0.0", platform: "linux" },
    bridge: { listening: [], paused: false, localCertificate: { trusted: true } },
    modules: [{ id: "m", path: "/usr/lib/libx.so", source: "catalogue", vendor: "VNPT-CA", status: { kind: "ready", library: "x", tokens: 1 }, ...(recovery ? { recovery } : {}) }],
    tokens: 1,
    policy: { source: "default", keys: [], managed: [] },
  }) as unknown as DiagnosticsView;

describe("diagnostics report: the token driver restarted", () => {
  it("a module whose host crashed: the report says how often, when and why", () => {
    const report = diagnosticsReport(view({ crashes: 2, consecutiveFailures: 1, lastCrash: { at: "2026-03-01T08:00:00.000Z", reason: "signal SIGSEGV" } }), translator("en"));
    expect(report).toContain("restarted 2 times");
    expect(report).toContain("2026-03-01T08:00:00.000Z");
    expect(report).toContain("signal SIGSEGV");
    expect(diagnosticsReport(view({ crashes: 1, consecutiveFailures: 1, lastCrash: { at: "2026-03-01T08:00:00.000Z", reason: "exit code 134" } }), translator("vi"))).toContain(
      "exit code 134",
    );
  });

  it("a module that never crashed: no restart line", () => {
    expect(diagnosticsReport(view(), translator("en"))).not.toMatch(/restarted/);
  });
});

describe("diagnostics report: the policy in force", () => {
  it("names the source, each key the organisation set and each managed setting; the allowlist only as a count", () => {
    const report = diagnosticsReport(
      {
        ...view(),
        policy: {
          source: "file",
          file: "/etc/kyso/policy.json",
          keys: [
            { key: "allowedOrigins", value: "https://a.gov.vn, https://b.gov.vn" },
            { key: "limits.maxBatchItems", value: "50" },
          ],
          managed: [{ key: "language", value: "vi" }],
        },
      },
      translator("en"),
    );
    expect(report).toContain("Organisation policy: Read from the file /etc/kyso/policy.json");
    expect(report).toContain("  - limits.maxBatchItems = 50");
    expect(report).toContain("  - language = vi");
    expect(report).toContain("  - allowedOrigins = 2 origin(s)");
    expect(report).not.toContain("a.gov.vn");
  });
});
