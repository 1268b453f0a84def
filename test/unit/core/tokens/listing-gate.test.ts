import { describe, expect, it } from "vitest";
import { createListingGate } from "../../../../main/core/tokens/listing-gate.js";

/** A listing the test ends by hand: what it "read" is the token's state when it started. */
function harness() {
  let state = "a";
  const started: { how: { reload: boolean }; read: string; end: () => void }[] = [];
  const answers: string[] = [];
  const gate = createListingGate<{ reload: boolean }>(
    (how) =>
      new Promise<void>((resolve) => {
        const read = state;
        started.push({ how, read, end: () => (answers.push(read), resolve()) });
      }),
    (a, b) => ({ reload: a.reload || b.reload }),
  );
  return { gate, started, answers, set: (next: string) => (state = next) };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe("listing gate", () => {
  it("a caller during a running listing waits for it, then gets a listing that started after the call", async () => {
    const h = harness();
    void h.gate.poll({ reload: false });
    h.set("b");
    let done = false;
    const asked = h.gate.list({ reload: false }).then(() => (done = true));
    expect(h.started).toHaveLength(1);
    h.started[0]!.end();
    await flush();
    expect(done).toBe(false);
    expect(h.started).toHaveLength(2);
    expect(h.started[1]!.read).toBe("b");
    h.started[1]!.end();
    await asked;
    expect(h.answers).toEqual(["a", "b"]);
  });

  it("callers arriving while the next listing waits share it, and their wishes merge", async () => {
    const h = harness();
    void h.gate.list({ reload: false });
    const second = h.gate.list({ reload: false });
    const third = h.gate.list({ reload: true });
    h.started[0]!.end();
    await flush();
    expect(h.started).toHaveLength(2);
    expect(h.started[1]!.how).toEqual({ reload: true });
    h.started[1]!.end();
    await Promise.all([second, third]);
    expect(h.started).toHaveLength(2);
  });

  it("a timer poll is skipped while a listing runs or waits, and runs when the gate is free", async () => {
    const h = harness();
    void h.gate.list({ reload: false });
    await h.gate.poll({ reload: false });
    expect(h.started).toHaveLength(1);
    const next = h.gate.list({ reload: false });
    h.started[0]!.end();
    await h.gate.poll({ reload: false });
    await flush();
    expect(h.started).toHaveLength(2);
    h.started[1]!.end();
    await next;
    void h.gate.poll({ reload: false });
    expect(h.started).toHaveLength(3);
  });

  it("a caller with nothing running lists at once", () => {
    const h = harness();
    void h.gate.list({ reload: true });
    expect(h.started).toHaveLength(1);
  });
});
