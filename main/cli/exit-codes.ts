/**
 * The `kyso` command's exit codes (docs/cli.md, "Exit codes"): scripts switch on them, so they are stable API.
 */
import type { ErrorCode } from "../domain/errors/catalogue.js";

export const EXIT = {
  ok: 0,
  /** Some files were not signed; `kyso verify`: the file is not validly signed (TOTAL-FAILED, or no signature). */
  someFailed: 1,
  usage: 2,
  notRunning: 3,
  /** The user declined in KySo, or the approval timed out. */
  rejected: 4,
  /** The machine policy refused (unattended signing not allowed, format or size refused). */
  policy: 5,
  certificateNotFound: 6,
  other: 7,
  /** `kyso verify`: the signatures are intact but their validity cannot be determined yet (e.g. revocation unknown). */
  indeterminate: 8,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  user_rejected: EXIT.rejected,
  timeout: EXIT.rejected,
  unattended_not_allowed: EXIT.policy,
  format_not_allowed: EXIT.policy,
  document_too_large: EXIT.policy,
  certificate_not_found: EXIT.certificateNotFound,
  not_found: EXIT.certificateNotFound,
  invalid_params: EXIT.usage,
  file_exists: EXIT.someFailed,
  file_unreadable: EXIT.someFailed,
  file_locked: EXIT.someFailed,
  file_not_pdf: EXIT.someFailed,
  file_not_writable: EXIT.someFailed,
};

/** The exit code of a whole call the app refused (an error for a single file inside a run is `someFailed`). */
export function exitCodeFor(code: string): ExitCode {
  return BY_CODE[code as ErrorCode] ?? EXIT.other;
}
