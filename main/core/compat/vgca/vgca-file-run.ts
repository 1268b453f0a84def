/**
 * One VGCA file flow, every endpoint through the same steps (docs/compatibility.md, "File flows"):
 * 1. pin: both URLs same-origin with the page, one resolution, address class (vgca-file-flow.ts) — before anything;
 * 2. the file: downloaded from each checked `FileName`, or, for an empty `FileName`, chosen by the user in KySo's
 *    file approval (the checks of step 1 on the upload URL, and the message's own checks, ran before it opened);
 * 3. the bridge's `sign` (one file) or `signBatch` (`SignFiles`), format `pades`: the document is read in the
 *    bounded worker and the approval opens only then; the presets' options come from vgca-file-plan.ts;
 * 4. each signed file uploaded as `uploadfile` to the pinned `FileUploadHandler`; nothing unsigned is uploaded.
 */
import type { BatchItemResult, SignResult } from "../../../domain/wire/protocol.js";
import type { KysoGateway } from "../kyso-gateway.js";
import { downloadFile, FileFlowRefusal, pinFileTargets, uploadFileName, uploadSigned, type FlowLimits, type HostResolver } from "./vgca-file-flow.js";
import type { VgcaFileRequest } from "./vgca-file-plan.js";
import { VGCA_STATUS } from "./vgca-status.js";
import { renderVgcaError, vgcaStatusOf, type VgcaReply } from "./vgca-wire.js";

export interface FileRunDeps {
  readonly gateway: KysoGateway;
  readonly resolveHost: HostResolver;
  readonly limits: FlowLimits;
}

type Reply = Record<string, unknown> | VgcaReply;

function refusalReply(error: FileFlowRefusal): Reply {
  const status = error.kind === "not-allowed" ? VGCA_STATUS.notAllowed : error.kind === "invalid" ? VGCA_STATUS.invalidInput : VGCA_STATUS.failed;
  return { Status: status, Message: error.message };
}

export async function runFileFlow(deps: FileRunDeps, origin: string, connectionId: string, request: VgcaFileRequest): Promise<Reply> {
  const { gateway, limits } = deps;
  const title = `VGCA Sign Service: ${request.endpoint}`;
  const fields = { ...(request.sessionId ? { sessionId: request.sessionId } : {}), ...(request.jwt ? { jwt: request.jwt } : {}) };
  try {
    const target = await pinFileTargets(origin, request.fileNames, request.uploadHandler, deps.resolveHost);
    const files: { readonly name: string; readonly bytes: Buffer }[] = [];
    if (target.downloads.length === 0) {
      // The vendor's local file picker: KySo's own window asks (a file approval), bounded like a download.
      const chosen = await gateway.requestFile(origin, connectionId, { title }, limits.maxBytes);
      if (!chosen.ok) return renderVgcaError(chosen.error);
      files.push({ name: chosen.fileName, bytes: chosen.bytes });
    } else {
      for (const url of target.downloads) files.push({ name: uploadFileName(url), bytes: await downloadFile(target, url, request.jwt, limits) });
    }
    const item = (file: { name: string; bytes: Buffer }) => ({ format: "pades", document: file.bytes.toString("base64"), options: request.options, display: { fileName: file.name } });

    if (request.endpoint !== "SignFiles") {
      const [file] = files;
      const outcome = await gateway.call(origin, connectionId, "sign", { ...item(file!), display: { title, fileName: file!.name } });
      if (!outcome.ok) return renderVgcaError(outcome.error);
      const signed = Buffer.from((outcome.result as SignResult).document ?? "", "base64");
      return await uploadSigned(target, signed, file!.name, fields, limits);
    }

    // SignFiles: one approval for every file (a batch); each signed file is uploaded on its own, in order.
    const outcome = await gateway.call(origin, connectionId, "signBatch", { items: files.map(item), display: { title } });
    if (!outcome.ok) return renderVgcaError(outcome.error);
    const results = (outcome.result as { results: readonly BatchItemResult[] }).results;
    const replies: Record<string, unknown>[] = [];
    for (const [index, result] of results.entries()) {
      const name = files[index]!.name;
      if (!result.ok) {
        replies.push({ Status: vgcaStatusOf(result.error), Message: result.error.message, FileName: name });
        continue;
      }
      try {
        replies.push(await uploadSigned(target, Buffer.from(result.document ?? "", "base64"), name, fields, limits));
      } catch (error) {
        if (!(error instanceof FileFlowRefusal)) throw error;
        replies.push({ ...refusalReply(error), FileName: name });
      }
    }
    const allOk = replies.every((r) => r.Status === 0 || r.Status === undefined);
    return { Status: allOk ? VGCA_STATUS.ok : VGCA_STATUS.failed, Message: allOk ? "" : "some files were not signed or not uploaded (see Files)", Files: replies };
  } catch (error) {
    if (!(error instanceof FileFlowRefusal)) throw error;
    return refusalReply(error);
  }
}
