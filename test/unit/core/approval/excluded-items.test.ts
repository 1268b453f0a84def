/**
 * Leaving batch items out (`approvals.approve` `excludedItems`): checked by the queue before anything starts, the
 * PIN zeroed on a refusal, and the kept set handed to the execution.
 */
import { describe, expect, it, vi } from "vitest";
import { createApprovalQueue } from "../../../../main/core/approval/approval-queue.js";
import type { ApprovalChoice, SignApprovalRequest } from "../../../../main/core/approval/approval-request.js";
import type { CertificateInfo } from "../../../../main/domain/certificate.js";
import type { DocumentDescription } from "../../../../main/domain/document-description.js";

const certificate = { id: "cert-1", tokenId: "t1", valid: true, problems: [] } as unknown as CertificateInfo;
const description: DocumentDescription = { kind: "data", size: 1, sha256: "00" };

function request(count: number, batch: boolean, execute: SignApprovalRequest["execute"]): SignApprovalRequest {
  return {
    kind: "sign",
    origin: { origin: "https://a.example", trust: "policy" },
    connectionId: "c1",
    batch,
    items: Array.from({ length: count }, (_, index) => ({ index, format: "raw", description })),
    documents: [],
    candidates: [certificate],
    tokens: [],
    execute,
  };
}

describe("approval queue: items left out of a batch", () => {
  it.each([
    ["every item", [0, 1, 2]],
    ["an index past the end", [3]],
    ["a negative index", [-1]],
    ["the same item twice", [1, 1]],
  ])("refuses %s with invalid_params, before anything runs; the PIN is zeroed and the approval stays open", async (_name, excluded) => {
    const execute = vi.fn(async () => undefined);
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const opened = queue.open(request(3, true, execute));
    opened.done.catch(() => undefined);
    const pin = Buffer.from("1234");
    expect(() => queue.start(opened.id, { certificateId: "cert-1", pin, excludedItems: excluded })).toThrow(expect.objectContaining({ code: "invalid_params" }));
    expect(pin.every((b) => b === 0)).toBe(true);
    expect(execute).not.toHaveBeenCalled();
    expect(queue.list()[0]?.state.kind).toBe("choosing-certificate");
    queue.close();
  });

  it("refuses leaving out the item of a single `sign`", () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const opened = queue.open(request(1, false, async () => undefined));
    opened.done.catch(() => undefined);
    expect(() => queue.start(opened.id, { certificateId: "cert-1", pin: null, excludedItems: [0] })).toThrow(expect.objectContaining({ code: "invalid_params" }));
    queue.close();
  });

  it("hands the left-out items to the execution; none left out is an empty set", async () => {
    const seen: ApprovalChoice[] = [];
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const first = queue.open(request(3, true, async (choice) => void seen.push(choice)));
    await queue.approve(first.id, { certificateId: "cert-1", pin: null, excludedItems: [2, 0] });
    await first.done;
    const second = queue.open(request(3, true, async (choice) => void seen.push(choice)));
    await queue.approve(second.id, { certificateId: "cert-1", pin: null });
    await second.done;
    expect(seen.map((c) => [...c.excludedItems].sort())).toEqual([[0, 2], []]);
    queue.close();
  });
});
