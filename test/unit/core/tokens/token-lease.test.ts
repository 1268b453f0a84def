/**
 * One signer per token, waiting in arrival order: the lease passes from each holder to the oldest waiter, a
 * waiter that gives up leaves the line without reordering it, and the line's length is visible at every step.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenLeases, type TokenQueueState } from "../../../../main/core/tokens/token-lease.js";

afterEach(() => vi.useRealTimers());

describe("token leases", () => {
  it("serves 20 waiters from 4 connections strictly FIFO, and the queue length is visible throughout", async () => {
    const seen: TokenQueueState[] = [];
    const leases = createTokenLeases((state) => seen.push(state));
    const first = await leases.acquire("A", { timeoutMs: 60_000 });
    const order: string[] = [];
    const waiting = Array.from({ length: 20 }, (_, index) => {
      const label = `conn${index % 4}#${index}`;
      return leases.acquire("A", { timeoutMs: 60_000 }).then((release) => {
        order.push(label);
        expect(leases.state("A").waiting).toBe(19 - index);
        release();
      });
    });
    expect(leases.state("A")).toEqual({ tokenId: "A", busy: true, waiting: 20 });
    expect(seen.map((state) => state.waiting)).toEqual([0, ...Array.from({ length: 20 }, (_, i) => i + 1)]);
    first();
    await Promise.all(waiting);
    expect(order).toEqual(Array.from({ length: 20 }, (_, index) => `conn${index % 4}#${index}`));
    expect(leases.state("A")).toEqual({ tokenId: "A", busy: false, waiting: 0 });
  });

  it("a newcomer arriving while the lease is handed over does not jump the line", async () => {
    const leases = createTokenLeases();
    const first = await leases.acquire("A", { timeoutMs: 60_000 });
    const order: string[] = [];
    const second = leases.acquire("A", { timeoutMs: 60_000 }).then((release) => {
      order.push("second");
      return release;
    });
    first();
    // Synchronously after the release: the lease already belongs to `second`.
    const third = leases.acquire("A", { timeoutMs: 60_000 }).then((release) => {
      order.push("third");
      release();
    });
    expect(leases.state("A")).toEqual({ tokenId: "A", busy: true, waiting: 1 });
    (await second)();
    await third;
    expect(order).toEqual(["second", "third"]);
  });

  it("a waiter withdrawn mid-line leaves with busy; the others keep their order", async () => {
    const leases = createTokenLeases();
    const first = await leases.acquire("A", { timeoutMs: 60_000 });
    const controller = new AbortController();
    const order: number[] = [];
    const one = leases.acquire("A", { timeoutMs: 60_000 }).then((release) => (order.push(1), release()));
    const two = leases.acquire("A", { timeoutMs: 60_000, signal: controller.signal });
    const three = leases.acquire("A", { timeoutMs: 60_000 }).then((release) => (order.push(3), release()));
    controller.abort();
    await expect(two).rejects.toMatchObject({ code: "busy" });
    expect(leases.state("A").waiting).toBe(2);
    first();
    await Promise.all([one, three]);
    expect(order).toEqual([1, 3]);
  });

  it("a waiter times out with busy; different tokens never wait for each other", async () => {
    vi.useFakeTimers();
    const leases = createTokenLeases();
    const onA = await leases.acquire("A", { timeoutMs: 1_000 });
    const late = leases.acquire("A", { timeoutMs: 1_000 });
    const onB = await leases.acquire("B", { timeoutMs: 1_000 });
    expect(leases.state("B").busy).toBe(true);
    vi.advanceTimersByTime(1_000);
    await expect(late).rejects.toMatchObject({ code: "busy" });
    expect(leases.state("A")).toEqual({ tokenId: "A", busy: true, waiting: 0 });
    onA();
    onB();
    expect(leases.state("A").busy).toBe(false);
  });
});
