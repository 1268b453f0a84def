/**
 * `approvals.approve` at the IPC door, with the real approval queue: an immediate refusal (unknown approval, wrong
 * state, certificate outside the candidates) is the typed error; `accepted` means signing actually started.
 */
import { describe, expect, it, vi } from "vitest";
import { createApprovalQueue } from "../../../../main/core/approval/approval-queue.js";
import { signRequest } from "../../../helpers/sign-approval-request.js";
import { createAppHandlers, type AppHandlerDeps } from "../../../../main/core/app-api/handlers.js";
import { KysoError } from "../../../../main/domain/errors/kyso-error.js";

/** Only `approvals` is used by the approval methods; every other dependency fails loudly if touched. */
function handlersFor(approvals: AppHandlerDeps["approvals"]): ReturnType<typeof createAppHandlers> {
  const untouched = new Proxy({}, { get: () => { throw new Error("not used by approvals.*"); } });
  return createAppHandlers({
    approvals,
    tokens: untouched,
    pairings: untouched,
    policy: untouched,
    audit: untouched,
    settings: untouched,
    bridge: untouched,
    onSettingsChanged: () => undefined,
  } as unknown as AppHandlerDeps);
}

describe("approvals.approve answers what the queue did", () => {
  it("unknown approval id → not_found, not accepted", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const handlers = handlersFor(queue);
    await expect(handlers["approvals.approve"]({ approvalId: "nope", certificateId: "cert-1", pin: "1234" })).rejects.toMatchObject({ code: "not_found" });
    queue.close();
  });

  it("a queued (not yet shown) approval → invalid_params; a certificate outside the candidates → certificate_not_found", async () => {
    const started: string[] = [];
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const handlers = handlersFor(queue);
    const first = queue.open(signRequest("c1", async () => void started.push("first")));
    const second = queue.open(signRequest("c2", async () => void started.push("second")));
    first.done.catch(() => undefined);
    second.done.catch(() => undefined);
    await expect(handlers["approvals.approve"]({ approvalId: second.id, certificateId: "cert-1", pin: "1234" })).rejects.toMatchObject({ code: "invalid_params" });
    await expect(handlers["approvals.approve"]({ approvalId: first.id, certificateId: "other", pin: "1234" })).rejects.toMatchObject({ code: "certificate_not_found" });
    expect(started).toEqual([]);
    expect(queue.list().map((v) => v.state.kind)).toEqual(["choosing-certificate", "queued"]);
    queue.close();
  });

  it("an approval already signing → invalid_params for a second approve", async () => {
    let finish!: () => void;
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const handlers = handlersFor(queue);
    const { id, done } = queue.open(signRequest("c1", () => new Promise<void>((resolve) => (finish = resolve))));
    await expect(handlers["approvals.approve"]({ approvalId: id, certificateId: "cert-1", pin: "1234" })).resolves.toEqual({ accepted: true });
    expect(queue.list()[0]?.state.kind).toBe("signing");
    await expect(handlers["approvals.approve"]({ approvalId: id, certificateId: "cert-1", pin: "1234" })).rejects.toMatchObject({ code: "invalid_params" });
    finish();
    await done;
  });

  it("signing that starts and then fails quickly is still accepted: the failure reaches the UI as the approval's state", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const handlers = handlersFor(queue);
    const { id, done } = queue.open(
      // Fails in the same tick signing started: the answer must not depend on how fast the token fails.
      signRequest("c1", async () => {
        throw new KysoError("token_removed", "gone");
      }),
    );
    done.catch(() => undefined);
    const states: string[] = [];
    queue.list(); // the UI follows through approvalsChanged; here the final state is read from `done`
    await expect(handlers["approvals.approve"]({ approvalId: id, certificateId: "cert-1", pin: "1234" })).resolves.toEqual({ accepted: true });
    await done.catch((error: KysoError) => states.push(error.code));
    expect(states).toEqual(["token_removed"]);
  });

  it("a pair approval: accepted", async () => {
    const queue = createApprovalQueue({ timeoutMs: 60_000 });
    const handlers = handlersFor(queue);
    const { id, done } = queue.open({ kind: "pair", origin: { origin: "https://b.example", trust: "none" }, connectionId: "c1" });
    await expect(handlers["approvals.approve"]({ approvalId: id })).resolves.toEqual({ accepted: true });
    await done;
  });
});

describe("approvals.approve does not guess from timing", () => {
  it("answers accepted as soon as the queue moved to signing, with no timer involved (setImmediate frozen)", async () => {
    vi.useFakeTimers({ toFake: ["setImmediate", "setTimeout"] });
    try {
      let finish!: () => void;
      const queue = createApprovalQueue({ timeoutMs: 60_000 });
      const handlers = handlersFor(queue);
      const { id, done } = queue.open(signRequest("c1", () => new Promise<void>((resolve) => (finish = resolve))));
      let answer: unknown;
      void handlers["approvals.approve"]({ approvalId: id, certificateId: "cert-1", pin: "1234" }).then((a) => (answer = a));
      for (let i = 0; i < 20; i++) await Promise.resolve();
      expect(answer).toEqual({ accepted: true });
      finish();
      await done;
    } finally {
      vi.useRealTimers();
    }
  });
});
