import { describe, expect, it, vi } from "vitest";
import { createApprovalQueue, newApprovalId } from "../../../../main/core/approval/approval-queue.js";
import { signRequest, validCertificate } from "../../../helpers/sign-approval-request.js";
import type { CertificateInfo } from "../../../../main/domain/certificate.js";
import { KysoError } from "../../../../main/domain/errors/kyso-error.js";

const certificate = validCertificate;
const expired = { id: "cert-2", tokenId: "t1", valid: false, problems: ["expired"] } as unknown as CertificateInfo;

describe("approval queue", () => {
  it("a decision taken inside the change notification that open() sends never runs the request before open() has returned", async () => {
    // The bench's automatic approver (and any listener) may decide synchronously while open() is still on the stack:
    // the caller of open() must get its id and set up its watchers before its execute runs (the bridge's sign session
    // failed with "internal" when it did not).
    let returned = false;
    const seenAtExecute: boolean[] = [];
    const queue = createApprovalQueue({
      timeoutMs: 60_000,
      onChange: (views) => {
        const view = views[0];
        if (view?.state.kind === "choosing-certificate") void queue.approve(view.id, { certificateId: "cert-1", pin: null });
      },
    });
    const opened = queue.open(
      signRequest("c1", async () => {
        seenAtExecute.push(returned);
      }),
    );
    returned = true;
    await opened.done;
    expect(seenAtExecute).toEqual([true]);
    queue.close();
  });

  it("choosing a candidate that cannot sign is refused at once: the PIN is zeroed, the token never called, the approval stays open", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const execute = vi.fn(async () => undefined);
    const opened = queue.open({ ...signRequest("c1", execute), candidates: [certificate, expired] });
    const pin = Buffer.from("1234");
    await expect(queue.approve(opened.id, { certificateId: "cert-2", pin })).rejects.toMatchObject({ code: "certificate_invalid" });
    expect(pin.every((b) => b === 0)).toBe(true);
    expect(execute).not.toHaveBeenCalled();
    expect(queue.list()[0]?.state.kind).toBe("choosing-certificate");
    queue.close();
    await expect(opened.done).rejects.toBeInstanceOf(KysoError);
  });

  it("a certificate refused for this document (another MST) is refused typed, the approval stays open; new candidates can be offered meanwhile", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const execute = vi.fn(async () => undefined);
    const refused = { ...certificate, id: "cert-3", refusal: { code: "tax_code_mismatch" as const, message: "", retriable: false, details: { documentTaxCode: "0101234567" } } };
    const opened = queue.open({ ...signRequest("c1", execute), candidates: [refused], tokenWait: "absent" });
    const pin = Buffer.from("1234");
    await expect(queue.approve(opened.id, { pin })).rejects.toMatchObject({ code: "certificate_not_found" }); // nothing usable to default to
    await expect(queue.approve(opened.id, { certificateId: "cert-3", pin: Buffer.from("1234") })).rejects.toMatchObject({ code: "tax_code_mismatch" });
    expect(pin.every((b) => b === 0)).toBe(true);
    expect(execute).not.toHaveBeenCalled();
    expect(queue.list()[0]).toMatchObject({ state: { kind: "choosing-certificate" }, tokenWait: "absent" });
    queue.updateCandidates(opened.id, { candidates: [refused, certificate], tokens: [], preselectedCertificateId: "cert-1" });
    expect(queue.list()[0]).toMatchObject({ preselectedCertificateId: "cert-1" });
    expect(queue.list()[0]).not.toHaveProperty("tokenWait");
    await queue.approve(opened.id, { certificateId: "cert-1", pin: null });
    await expect(opened.done).resolves.toBeUndefined();
    expect(execute).toHaveBeenCalledOnce();
  });

  it("ids are 128-bit CSPRNG values, never repeated", () => {
    const ids = new Set(Array.from({ length: 1000 }, newApprovalId));
    expect(ids.size).toBe(1000);
    expect([...ids][0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("one shown at a time, in order; the next is shown when the first is decided", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const first = queue.open(signRequest("c1"));
    const second = queue.open(signRequest("c2"));
    expect(queue.list().map((v) => v.state.kind)).toEqual(["choosing-certificate", "queued"]);
    await expect(queue.approve(second.id, { certificateId: "cert-1", pin: null })).rejects.toThrow(/queued/);
    queue.reject(first.id);
    await expect(first.done).rejects.toMatchObject({ code: "user_rejected" });
    expect(queue.list().map((v) => [v.id, v.state.kind])).toEqual([[second.id, "choosing-certificate"]]);
    queue.close();
    await expect(second.done).rejects.toBeInstanceOf(KysoError);
  });

  it("approve runs execute with the chosen certificate and zeroes the PIN afterwards", async () => {
    const seen: string[] = [];
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const pin = Buffer.from("1234");
    const { id, done } = queue.open(signRequest("c1", async (choice) => void seen.push(`${choice.certificateId}:${choice.pin?.toString()}`)));
    await queue.approve(id, { certificateId: "cert-1", pin });
    await done;
    expect(seen).toEqual(["cert-1:1234"]);
    expect([...pin]).toEqual([0, 0, 0, 0]);
  });

  it("a certificate outside the candidates → certificate_not_found, approval stays open", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const { id, done } = queue.open(signRequest("c1"));
    done.catch(() => undefined);
    await expect(queue.approve(id, { certificateId: "other", pin: null })).rejects.toMatchObject({ code: "certificate_not_found" });
    expect(queue.list()[0]?.state.kind).toBe("choosing-certificate");
    queue.close();
  });

  it("wrong PIN → entering-pin with pinStatus from the error; approval not settled", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const { id, done } = queue.open(
      signRequest("c1", async () => {
        throw new KysoError("pin_incorrect", "CKR_PIN_INCORRECT", { pinStatus: "countLow" });
      }),
    );
    let settled = false;
    done.catch(() => undefined).finally(() => (settled = true));
    await queue.approve(id, { certificateId: "cert-1", pin: Buffer.from("0000") });
    expect(queue.list()[0]?.state).toMatchObject({ kind: "entering-pin", pinStatus: "countLow", lastError: { code: "pin_incorrect" } });
    await Promise.resolve();
    expect(settled).toBe(false);
    queue.close();
  });

  it("timeout → cancelled with timeout; withdraw by connection → only that connection's approvals", async () => {
    vi.useFakeTimers();
    try {
      const queue = createApprovalQueue({ timeoutMs: 120_000 });
      const a = queue.open(signRequest("c1"));
      const b = queue.open(signRequest("c2"));
      queue.withdraw("c2");
      await expect(b.done).rejects.toMatchObject({ code: "timeout", details: { reason: "withdrawn" } });
      expect(queue.list()).toHaveLength(1);
      vi.advanceTimersByTime(120_001);
      await expect(a.done).rejects.toMatchObject({ code: "timeout", details: { reason: "timeout" } });
      expect(queue.list()).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("onChange reports every change", () => {
    const changes: number[] = [];
    const queue = createApprovalQueue({ timeoutMs: 60_000, onChange: (views) => changes.push(views.length) });
    const { id, done } = queue.open(signRequest("c1"));
    done.catch(() => undefined);
    queue.reject(id);
    expect(changes).toEqual([1, 1, 0]);
  });
});
