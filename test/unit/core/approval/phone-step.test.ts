/** The approval queue's phone step: shown while signing, cancellable only then, the wait aborted -> user_rejected. */
import { describe, expect, it } from "vitest";
import { createApprovalQueue } from "../../../../main/core/approval/approval-queue.js";
import type { SignApprovalRequest } from "../../../../main/core/approval/approval-request.js";
import type { PhoneWaitView } from "../../../../main/core/app-api/approval-view.js";
import type { CertificateInfo } from "../../../../main/domain/certificate.js";
import { KysoError } from "../../../../main/domain/errors/kyso-error.js";

const certificate = { id: "cert-1", tokenId: "remote:vnpt", valid: true, problems: [] } as unknown as CertificateInfo;
const step: PhoneWaitView = { provider: "VNPT SmartCA", description: "Quyết định 123", origin: "https://a.example", expiresAt: "2026-01-01T00:05:00.000Z", phase: "waiting" };

function request(execute: SignApprovalRequest["execute"]): SignApprovalRequest {
  return { kind: "sign", origin: { origin: "https://a.example", trust: "policy" }, connectionId: "c1", batch: false, items: [], documents: [], candidates: [certificate], tokens: [], execute };
}

describe("approval queue: a remote account's phone step", () => {
  it("shows the step while signing; reject aborts the wait and the request ends user_rejected (failed state)", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    let signal: AbortSignal | undefined;
    const opened = queue.open(request(async (choice, _progress, phone) => {
      signal = choice.signal;
      phone?.(step);
      // The provider call ends (as a network abort would) once the signal fires.
      await new Promise((_, reject) => choice.signal?.addEventListener("abort", () => reject(new KysoError("remote_unavailable", "aborted"))));
    }));
    const { running } = queue.start(opened.id, { certificateId: "cert-1", pin: null });
    expect(queue.list()[0]?.state).toMatchObject({ kind: "signing", phone: step });
    queue.reject(opened.id);
    expect(signal?.aborted).toBe(true);
    await running;
    await expect(opened.done).rejects.toMatchObject({ code: "user_rejected" });
  });

  it("a token's signing (no phone step) still cannot be rejected mid-way", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    let finish!: () => void;
    const opened = queue.open(request(() => new Promise<void>((resolve) => (finish = resolve))));
    const { running } = queue.start(opened.id, { certificateId: "cert-1", pin: null });
    expect(() => queue.reject(opened.id)).toThrow(/signing/);
    finish();
    await running;
    await expect(opened.done).resolves.toBeUndefined();
  });

  it("the step leaves the state once execute reports it over", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const seen: unknown[] = [];
    const opened = queue.open(request(async (_choice, _progress, phone) => {
      phone?.(step);
      seen.push(queue.list()[0]?.state);
      phone?.(undefined);
      seen.push(queue.list()[0]?.state);
    }));
    await queue.approve(opened.id, { certificateId: "cert-1", pin: null });
    await opened.done;
    expect(seen).toEqual([expect.objectContaining({ phone: step }), expect.not.objectContaining({ phone: expect.anything() })]);
  });
});
