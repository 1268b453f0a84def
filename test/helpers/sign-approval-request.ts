/** A minimal sign approval for the approval queue's unit tests: one valid candidate, no documents, no tokens. */
import type { SignApprovalRequest } from "../../main/core/approval/approval-request.js";
import type { CertificateInfo } from "../../main/domain/certificate.js";

/** The one usable candidate `signRequest` offers. */
export const validCertificate = { id: "cert-1", tokenId: "t1", valid: true, problems: [] } as unknown as CertificateInfo;

export function signRequest(connectionId: string, execute: SignApprovalRequest["execute"] = async () => undefined): SignApprovalRequest {
  return {
    kind: "sign",
    origin: { origin: "https://a.example", trust: "policy" },
    connectionId,
    batch: false,
    items: [],
    documents: [],
    candidates: [validCertificate],
    tokens: [],
    execute,
  };
}
