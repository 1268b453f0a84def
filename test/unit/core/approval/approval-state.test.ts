import { describe, expect, it } from "vitest";
import { cancel, fail, finish, InvalidTransition, isOpen, itemFinished, pinRejected, queued, show, startSigning } from "../../../../main/core/approval/approval-state.js";

const error = { code: "pin_incorrect" as const, message: "wrong", retriable: true };

describe("approval state transitions", () => {
  it("queued → shown → signing → item → done", () => {
    let state = show(queued());
    expect(state).toEqual({ kind: "choosing-certificate" });
    state = startSigning(state, "c1", 2);
    state = itemFinished(state, { index: 0, ok: true });
    expect(state).toMatchObject({ kind: "signing", done: 1, total: 2 });
    expect(finish(state)).toEqual({ kind: "done", results: [{ index: 0, ok: true }], certificateId: "c1" });
  });
  it("wrong PIN: signing → entering-pin with pinStatus and the error; signing may start again", () => {
    const state = pinRejected(startSigning(show(queued()), "c1", 1), "finalTry", error, false);
    expect(state).toEqual({ kind: "entering-pin", certificateId: "c1", pinStatus: "finalTry", pinPad: false, lastError: error });
    expect(isOpen(state)).toBe(true);
    expect(startSigning(state, "c1", 1).kind).toBe("signing");
  });
  it("cancel from any open state; not from signing or finished", () => {
    expect(cancel(queued(), "withdrawn")).toEqual({ kind: "cancelled", reason: "withdrawn" });
    expect(cancel(show(queued()), "rejected")).toEqual({ kind: "cancelled", reason: "rejected" });
    expect(() => cancel(startSigning(show(queued()), "c", 1), "timeout")).toThrow(InvalidTransition);
    expect(() => cancel({ kind: "done", results: [] }, "timeout")).toThrow(InvalidTransition);
  });
  it("signing cannot start from queued (an approval not shown cannot be approved)", () => {
    expect(() => startSigning(queued(), "c", 1)).toThrow(InvalidTransition);
  });
  it("fail from signing; not twice", () => {
    const failed = fail(startSigning(show(queued()), "c", 1), error);
    expect(failed.kind).toBe("failed");
    expect(() => fail(failed, error)).toThrow(InvalidTransition);
  });
});
