/**
 * What the tray shows, as a pure function of the core's state: a problem wins over a waiting request, which wins
 * over a plugged-in token, which wins over plain "ready".
 */
import type { ApprovalView } from "../../main/core/app-api/approval-view.js";
import type { DiagnosticsView } from "../../main/core/app-api/views.js";
import type { TokenInfo } from "../domain/token.js";

export type TrayStatus = "ready" | "token-present" | "request-waiting" | "problem";

export interface TrayFacts {
  readonly approvals: readonly ApprovalView[];
  readonly tokens: readonly TokenInfo[];
  /** A module that failed to load, the bridge not listening, ... */
  readonly problem: boolean;
}

export function trayStatus(facts: TrayFacts): TrayStatus {
  if (facts.problem) return "problem";
  if (facts.approvals.some((a) => a.state.kind === "queued" || a.state.kind === "needs-file" || a.state.kind === "choosing-certificate" || a.state.kind === "entering-pin")) {
    return "request-waiting";
  }
  if (facts.tokens.length > 0) return "token-present";
  return "ready";
}

/** RGB of the dot in the tray icon for each status. */
export const TRAY_COLOURS: Readonly<Record<TrayStatus, readonly [number, number, number]>> = {
  ready: [0x5f, 0x6b, 0x7a],
  "token-present": [0x1e, 0x8e, 0x3e],
  "request-waiting": [0xe3, 0x7b, 0x00],
  problem: [0xc5, 0x22, 0x1f],
};

/** Something the user should look at in Diagnostics: a driver that failed, or websites unable to connect. */
export function hasProblem(diagnostics: DiagnosticsView): boolean {
  const driverFailed = diagnostics.modules.some((m) => m.status.kind === "failed");
  const bridgeDown = !diagnostics.bridge.paused && diagnostics.bridge.listening.length === 0;
  const policyInvalid = diagnostics.policy.problems !== undefined;
  return driverFailed || bridgeDown || policyInvalid;
}
