/**
 * The approval and signing of local files: the bridge's own sign session (sign-session.ts) with the files as its
 * items, so a local file gets exactly what a portal's document gets (the machine policy's format gate, KySo's
 * reading and preview, the candidates' checks, evidence, write-ahead audit, one approval for a batch). The
 * "origin" is KySo itself (`LOCAL_FILES_ORIGIN`): the user asked in KySo's own window.
 */
import { randomBytes } from "node:crypto";
import type { AuditEntryView } from "../app-api/views.js";
import type { BridgeServices, CommandContext } from "../bridge/command.js";
import { createPairPrompts } from "../bridge/pair-prompts.js";
import { enforceRequestPolicy } from "../bridge/policy-gate.js";
import { runSignSession } from "../bridge/sign-session.js";
import { isErrorCode } from "../../domain/errors/catalogue.js";
import { KysoError } from "../../domain/errors/kyso-error.js";
import type { LocalSigner } from "./local-files.js";

/** What the approval and the history show as the requester of a local signing. */
export const LOCAL_FILES_ORIGIN = "kyso://local-files";

/**
 * `origin`: what the approval and the audit show as the requester (default LOCAL_FILES_ORIGIN; the CLI channel
 * passes its own, cli-channel/protocol.ts `CLI_ORIGIN`).
 */
export function createLocalSigner(services: BridgeServices, origin: string = LOCAL_FILES_ORIGIN): LocalSigner {
  return {
    async sign(documents, { preset, level, certificateId, onApprovalOpened }) {
      const method = documents.length > 1 ? "signBatch" : "sign";
      const audit = async (entry: Partial<AuditEntryView>): Promise<void> =>
        services.audit.append({ time: services.now().toISOString(), origin, method, decision: "none", result: "ok", ...entry });
      const context: CommandContext = {
        connectionId: `local-${randomBytes(12).toString("base64url")}`,
        origin,
        // The user started this in KySo's window: the origin is trusted as a listed one (no pairing applies).
        trust: "policy",
        requestId: 0,
        services,
        audit,
        // No pairing for local files; a prompt object is still part of the context's shape.
        pairPrompts: createPairPrompts({ maxPending: 0, cooldownMs: 0 }, () => Date.now()),
        notify: () => undefined,
      };
      const options = { preset, ...(level ? { level } : {}) };
      const items = documents.map((d) => ({ format: "pades" as const, document: Buffer.from(d.bytes).toString("base64"), options, display: { fileName: d.fileName.slice(0, 255) } }));
      enforceRequestPolicy(services.policy, items);
      const results = await runSignSession(context, {
        items,
        ...(documents.length === 1 ? { display: { fileName: documents[0]!.fileName.slice(0, 255) } } : {}),
        batch: documents.length > 1,
        audit,
        ...(certificateId ? { certificateId } : {}),
        ...(onApprovalOpened ? { onApprovalOpened } : {}),
      });
      return results.map((r) => {
        if (r.ok) return { ok: true as const, document: Buffer.from(r.document ?? "", "base64") };
        // A batch item's error in wire form: its name is the catalogue code (a "never" code went out as internal).
        const code = isErrorCode(r.error.data.name) ? r.error.data.name : "internal";
        return { ok: false as const, error: new KysoError(code, r.error.message).toPayload(services.language()) };
      });
    },
  };
}
