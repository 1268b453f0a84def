/**
 * The user placing a stamp on the preview (`approvals.placeStamp`): the queue hands the point to the request's own
 * check, replaces the item's signature view with the answer, keeps the old one on a refusal, and refuses the
 * decision while a placement is being checked (the PIN never signs a place the user has not seen).
 */
import { describe, expect, it, vi } from "vitest";
import { createApprovalQueue } from "../../../../main/core/approval/approval-queue.js";
import type { SignApprovalRequest } from "../../../../main/core/approval/approval-request.js";
import type { SignatureView } from "../../../../main/core/app-api/approval-view.js";
import type { CertificateInfo } from "../../../../main/domain/certificate.js";
import type { DocumentDescription } from "../../../../main/domain/document-description.js";
import { KysoError } from "../../../../main/domain/errors/kyso-error.js";

const certificate = { id: "cert-1", tokenId: "t1", valid: true, problems: [] } as unknown as CertificateInfo;
const description: DocumentDescription = { kind: "data", size: 1, sha256: "00" };
const before: SignatureView = { format: "pades", stamp: { page: 2, rect: [1, 2, 3, 4], image: true }, preset: { name: "leader", placedBy: "default" } };

function request(placeStamp: SignApprovalRequest["placeStamp"], placeable = true): SignApprovalRequest {
  return {
    kind: "sign",
    origin: { origin: "kyso://local-files", trust: "policy" },
    connectionId: "c1",
    batch: false,
    items: [{ index: 0, format: "pades", description, signature: before, ...(placeable ? { placeable: true } : {}) }],
    documents: [],
    candidates: [certificate],
    tokens: [],
    execute: async () => undefined,
    ...(placeStamp ? { placeStamp } : {}),
  };
}

const itemSignature = (queue: ReturnType<typeof createApprovalQueue>) => {
  const view = queue.list()[0];
  return view?.kind === "sign" ? view.items[0]?.signature : undefined;
};

describe("approval queue: placeStamp", () => {
  it("replaces the item's signature with the core's answer", async () => {
    const after: SignatureView = { format: "pades", stamp: { page: 1, rect: [10, 20, 30, 40], image: true }, preset: { name: "leader", placedBy: "user" } };
    const place = vi.fn(async () => after);
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const opened = queue.open(request(place));
    opened.done.catch(() => undefined);
    expect(await queue.placeStamp(opened.id, 0, { page: 1, x: 20, y: 30 })).toEqual(after);
    expect(place).toHaveBeenCalledWith(0, { page: 1, x: 20, y: 30 });
    expect(itemSignature(queue)).toEqual(after);
    queue.close();
  });

  it("a refused point leaves the previous place and the approval open", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const opened = queue.open(request(async () => Promise.reject(new KysoError("stamp_off_page", "off"))));
    opened.done.catch(() => undefined);
    await expect(queue.placeStamp(opened.id, 0, { page: 1, x: 1, y: 1 })).rejects.toMatchObject({ code: "stamp_off_page" });
    expect(itemSignature(queue)).toEqual(before);
    expect(queue.list()[0]?.state.kind).toBe("choosing-certificate");
    queue.close();
  });

  it("refuses an item that cannot be placed, and an unknown approval", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const opened = queue.open(request(async () => before, false));
    opened.done.catch(() => undefined);
    await expect(queue.placeStamp(opened.id, 0, { page: 1, x: 1, y: 1 })).rejects.toMatchObject({ code: "invalid_params" });
    await expect(queue.placeStamp(opened.id, 5, { page: 1, x: 1, y: 1 })).rejects.toMatchObject({ code: "invalid_params" });
    await expect(queue.placeStamp("nope", 0, { page: 1, x: 1, y: 1 })).rejects.toMatchObject({ code: "not_found" });
    queue.close();
  });

  it("while a place is being checked: the decision and a second placement are refused, the PIN zeroed", async () => {
    let answer!: (view: SignatureView) => void;
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const opened = queue.open(request(() => new Promise<SignatureView>((resolve) => (answer = resolve))));
    opened.done.catch(() => undefined);
    const placing = queue.placeStamp(opened.id, 0, { page: 1, x: 20, y: 30 });
    const pin = Buffer.from("1234");
    expect(() => queue.start(opened.id, { certificateId: "cert-1", pin })).toThrow(expect.objectContaining({ code: "invalid_params" }));
    expect(pin.every((b) => b === 0)).toBe(true);
    await expect(queue.placeStamp(opened.id, 0, { page: 1, x: 1, y: 1 })).rejects.toMatchObject({ code: "invalid_params" });
    answer(before);
    await placing;
    await queue.approve(opened.id, { certificateId: "cert-1", pin: null });
    await opened.done;
  });
});
