/**
 * `kyso sign` in the app: the CLI's files go through `files.sign`'s path (files/local-files.ts) and the same sign
 * session a portal's batch gets, with ONE approval for the call, shown as from `CLI_ORIGIN`. Without an approval
 * only when the machine policy's `unattendedSigning` lists the certificate (and the preset, when it lists presets):
 * `unattendedDecision` is the one function that decides it. The run then opens the approval as usual (the queue is
 * the only way to the token, and the audit records it) and decides it itself with the policy's certificate and the
 * PIN the CLI read from its stdin, which is handed to the queue once and zeroed after.
 */
import type { ApprovalView } from "../app-api/approval-view.js";
import type { ApprovalQueue } from "../approval/approval-queue.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { KysoError, fromPayload, toKysoError } from "../../domain/errors/kyso-error.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import type { LocalSigner } from "../files/local-files.js";
import { signLocalFiles } from "../files/local-files.js";
import type { Language } from "../../domain/errors/kyso-error.js";
import type { CliResults, CliSignParams } from "./protocol.js";

export interface CliSignDeps {
  readonly policy: KysoPolicy;
  readonly approvals: ApprovalQueue;
  readonly certificates: () => Promise<readonly CertificateInfo[]>;
  /** A local signer whose approval and audit show `origin`. */
  readonly signer: (origin: string) => LocalSigner;
  readonly onApprovalsChanged: (listener: (views: readonly ApprovalView[]) => void) => () => void;
  readonly language: () => Language;
  /** Audits a call refused before any approval opened (the session audits everything after). */
  readonly refused: (method: string, origin: string, error: KysoError) => Promise<void>;
  readonly origins: { readonly attended: string; readonly unattended: string };
}

/** Hex digits only, lower case: a fingerprint written with colons or in capitals is the same fingerprint. */
export function normaliseFingerprint(value: string): string {
  return value.replace(/[^0-9a-fA-F]/g, "").toLowerCase();
}

/** The certificate the CLI named: its id from `kyso certs`, or its SHA-256 fingerprint. */
export function findCertificate(listed: readonly CertificateInfo[], ref: string): CertificateInfo | undefined {
  const byId = listed.find((c) => c.id === ref);
  if (byId) return byId;
  const fingerprint = normaliseFingerprint(ref);
  if (fingerprint.length !== 64) return undefined;
  return listed.find((c) => normaliseFingerprint(c.fingerprintSha256) === fingerprint);
}

/**
 * Whether the machine policy lets this certificate sign with this preset without the user's approval. The only
 * place that answers it (threat model, "CLI channel").
 */
export function unattendedDecision(policy: KysoPolicy, certificate: CertificateInfo, preset: string): boolean {
  const rule = policy.unattendedSigning;
  if (!rule.certificates.includes(normaliseFingerprint(certificate.fingerprintSha256))) return false;
  return rule.presets === undefined || (rule.presets as readonly string[]).includes(preset);
}

export async function cliSign(params: CliSignParams, deps: CliSignDeps): Promise<CliResults["sign"]> {
  // The PIN leaves the string world at once; zeroed whatever happens (the queue zeroes it too once used).
  const pin = params.pin === undefined ? null : Buffer.from(params.pin, "utf8");
  const unattended = params.unattended === true || pin !== null;
  const origin = unattended ? deps.origins.unattended : deps.origins.attended;
  let opened = false;
  let startError: KysoError | undefined;
  let stopWatching: (() => void) | undefined;
  try {
    const certificate = findCertificate(await deps.certificates(), params.certificate);
    if (!certificate) throw new KysoError("certificate_not_found", "no listed certificate has this id or fingerprint");
    if (unattended && !unattendedDecision(deps.policy, certificate, params.preset.name)) {
      throw new KysoError("unattended_not_allowed", "policy unattendedSigning does not list this certificate or preset");
    }
    const onApprovalOpened = (approvalId: string): void => {
      opened = true;
      if (!unattended) return;
      // Decided when the queue shows it (another request's approval may be in front of it). A wrong PIN would leave
      // it waiting for another PIN that nobody types: it ends the run instead (the token's retry counter is shown
      // by `kyso certs`, never tried twice by the CLI).
      let started = false;
      const decide = (views: readonly ApprovalView[]): void => {
        const view = views.find((v) => v.id === approvalId);
        if (started && view?.state.kind === "entering-pin") {
          stopWatching?.();
          startError = view.state.lastError ? fromPayload(view.state.lastError) : new KysoError("pin_incorrect");
          rejectQuietly(deps.approvals, approvalId);
          return;
        }
        if (started || view?.state.kind !== "choosing-certificate") return;
        started = true;
        try {
          const { running } = deps.approvals.start(approvalId, { certificateId: certificate.id, pin });
          running.catch(() => undefined);
        } catch (error) {
          stopWatching?.();
          startError = toKysoError(error);
          rejectQuietly(deps.approvals, approvalId);
        }
      };
      stopWatching = deps.onApprovalsChanged(decide);
      decide(deps.approvals.list());
    };
    const files = await signLocalFiles(
      { paths: params.paths, preset: params.preset, ...(params.level ? { level: params.level } : {}), ...(params.overwrite ? { overwrite: true } : {}), ...(params.existing ? { existing: params.existing } : {}) },
      { signer: deps.signer(origin), language: deps.language, session: { certificateId: certificate.id, onApprovalOpened } },
    );
    return { unattended, files };
  } catch (thrown) {
    const error = startError ?? toKysoError(thrown);
    if (!opened) await deps.refused(params.paths.length > 1 ? "signBatch" : "sign", origin, error);
    throw error;
  } finally {
    stopWatching?.();
    pin?.fill(0);
  }
}

/** Ends the run's own approval; one already over (timed out meanwhile) needs nothing. */
function rejectQuietly(approvals: ApprovalQueue, approvalId: string): void {
  try {
    approvals.reject(approvalId);
  } catch {
    // not open any more: the session ends on its own
  }
}
