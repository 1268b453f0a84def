/**
 * The approval window hides itself a few seconds after a success (setting `approvalAutoHideSeconds`): the state
 * and the timer live in the core, driven here by the real approval queue and fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApprovalQueue } from "../../../../main/core/approval/approval-queue.js";
import type { SignApprovalRequest } from "../../../../main/core/approval/approval-request.js";
import { createSuccessAutoHide, type AutoHideEvent } from "../../../../main/core/approval/auto-hide.js";
import type { CertificateInfo } from "../../../../main/domain/certificate.js";
import { KysoError } from "../../../../main/domain/errors/kyso-error.js";

const certificate = { id: "cert-1", tokenId: "t1", valid: true, problems: [] } as unknown as CertificateInfo;

function request(connectionId: string, execute: SignApprovalRequest["execute"]): SignApprovalRequest {
  return {
    kind: "sign",
    origin: { origin: "https://a.example", trust: "policy" },
    connectionId,
    batch: false,
    items: [{ index: 0, format: "raw", description: { kind: "hash", hashAlgorithm: "SHA-256", hex: "00" } }],
    documents: [],
    candidates: [certificate],
    tokens: [],
    execute,
  };
}
const signsOk: SignApprovalRequest["execute"] = async (_choice, progress) => progress({ index: 0, ok: true });

function setup(seconds = 3) {
  const hidden: AutoHideEvent[] = [];
  let delay = seconds;
  const autoHide = createSuccessAutoHide({ delaySeconds: () => delay, onHide: (e) => hidden.push(e) });
  const queue = createApprovalQueue({ timeoutMs: 600_000, onChange: (views) => autoHide.observe(views) });
  return { hidden, queue, autoHide, setDelay: (s: number) => (delay = s) };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("success auto-hide", () => {
  it("a signed request: approvalAutoHide exactly after the configured 3 s, not before, once", async () => {
    const { hidden, queue } = setup(3);
    const { id, done } = queue.open(request("c1", signsOk));
    await queue.approve(id, { certificateId: "cert-1", pin: null });
    await done;
    await vi.advanceTimersByTimeAsync(2_999);
    expect(hidden).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(hidden).toEqual([{ approvalId: id }]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hidden).toHaveLength(1);
  });

  it("setting 0: the window stays", async () => {
    const { hidden, queue } = setup(0);
    const { id, done } = queue.open(request("c1", signsOk));
    await queue.approve(id, { certificateId: "cert-1", pin: null });
    await done;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hidden).toEqual([]);
  });

  it("a request arriving during the delay cancels the hide (the user must see it)", async () => {
    const { hidden, queue } = setup(3);
    const first = queue.open(request("c1", signsOk));
    await queue.approve(first.id, { certificateId: "cert-1", pin: null });
    await first.done;
    await vi.advanceTimersByTimeAsync(1_000);
    const second = queue.open(request("c2", signsOk));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hidden).toEqual([]);
    queue.close();
    await expect(second.done).rejects.toBeInstanceOf(KysoError);
  });

  it("a failure, a rejection or a wrong PIN never hides the window", async () => {
    const { hidden, queue } = setup(3);
    const failing = queue.open(request("c1", async () => Promise.reject(new KysoError("signing_failed", "x"))));
    await queue.approve(failing.id, { certificateId: "cert-1", pin: null });
    await expect(failing.done).rejects.toMatchObject({ code: "signing_failed" });
    const rejected = queue.open(request("c2", signsOk));
    queue.reject(rejected.id);
    await expect(rejected.done).rejects.toMatchObject({ code: "user_rejected" });
    const wrongPin = queue.open(request("c3", async () => Promise.reject(new KysoError("pin_incorrect", "x", { pinStatus: "countLow" }))));
    await queue.approve(wrongPin.id, { certificateId: "cert-1", pin: Buffer.from("0000") });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(hidden).toEqual([]);
    queue.close();
    await expect(wrongPin.done).rejects.toBeInstanceOf(KysoError);
  });
});
