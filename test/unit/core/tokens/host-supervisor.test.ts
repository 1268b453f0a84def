import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HostSupervisor, type HostReady, type HostRestartScheduled } from "../../../../main/core/tokens/host-supervisor.js";
import { DEFAULT_BACKOFF } from "../../../../main/core/tokens/timeouts.js";
import type { HostExit, HostProcess, HostSpawner } from "../../../../main/core/tokens/host-spawner.js";

const probeResult = { manufacturer: "m", description: "d", cryptokiVersion: "2.40", libraryVersion: "1.0" };

/** A scripted host: answers each request with `reply(message)`, or never when it returns undefined. */
class FakeHost implements HostProcess {
  readonly pid = 1;
  killed = false;
  /** Told of each request the host receives (the spawner's `received` waits on it). */
  onSend: ((op: string) => void) | undefined;
  private messageListener: ((message: unknown) => void) | undefined;
  private exitListener: ((exit: HostExit) => void) | undefined;
  constructor(
    private readonly reply: (request: { id: number; op: string }) => unknown,
    private readonly silentProbe = false,
  ) {}
  send(message: unknown): void {
    const request = message as { id: number; op: string };
    this.onSend?.(request.op);
    // Every host answers the start-up probe unless the script says otherwise for "probe" explicitly.
    const answer = this.reply(request) ?? (request.op === "probe" && !this.silentProbe ? { ok: true, result: probeResult } : undefined);
    if (answer !== undefined) setTimeout(() => this.messageListener?.({ id: request.id, ...(answer as object) }), 1);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (exit: HostExit) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed = true;
    setTimeout(() => this.exitListener?.({ code: null, signal: "SIGKILL" }), 1);
  }
  crash(): void {
    this.exitListener?.({ code: 134, signal: null });
  }
}

function spawnerOf(make: () => FakeHost): HostSpawner & { hosts: FakeHost[]; received(op: string): Promise<void> } {
  const hosts: FakeHost[] = [];
  const seen: string[] = [];
  const waiters: { op: string; resolve: () => void }[] = [];
  return {
    hosts,
    spawn() {
      const host = make();
      host.onSend = (op) => {
        seen.push(op);
        for (const waiter of waiters.filter((w) => w.op === op)) waiter.resolve();
      };
      hosts.push(host);
      return host;
    },
    /** Resolves once a host has received a request for `op`: the event a test waits for, instead of a sleep. */
    received(op: string): Promise<void> {
      return seen.includes(op) ? Promise.resolve() : new Promise((resolve) => waiters.push({ op, resolve }));
    },
  };
}

const backoff = { initialMs: 20, maxMs: 100, resetAfterMs: 60_000 };

describe("HostSupervisor", () => {
  it("a new host must answer the start-up probe within the start-up limit, or it is killed", async () => {
    const spawner = spawnerOf(() => new FakeHost(() => undefined, true));
    const supervisor = new HostSupervisor("/m.so", spawner, backoff, {}, 50);
    await expect(supervisor.request("listTokens", {}, 5000)).rejects.toMatchObject({ code: "timeout", details: { operation: "probe" } });
    expect(spawner.hosts[0]?.killed).toBe(true);
    supervisor.close();
  });

  it("a reply resolves the request with the validated result", async () => {
    const spawner = spawnerOf(() => new FakeHost(() => ({ ok: true, result: probeResult })));
    const supervisor = new HostSupervisor("/m.so", spawner, backoff);
    await expect(supervisor.request("probe", {}, 1000)).resolves.toEqual(probeResult);
    supervisor.close();
  });

  it("an error reply becomes the KysoError it carries", async () => {
    const error = { code: "pin_incorrect", message: "x", retriable: true, details: { pinStatus: "finalTry" } };
    const supervisor = new HostSupervisor("/m.so", spawnerOf(() => new FakeHost((request) => (request.op === "probe" ? undefined : { ok: false, error }))), backoff);
    await expect(supervisor.request("listTokens", {}, 1000)).rejects.toMatchObject({ code: "pin_incorrect", details: { pinStatus: "finalTry" } });
    supervisor.close();
  });

  it("a malformed result is refused (validated at the door)", async () => {
    const supervisor = new HostSupervisor(
      "/m.so",
      spawnerOf(() => new FakeHost((request) => (request.op === "probe" ? undefined : { ok: true, result: { tokens: "many" } }))),
      backoff,
    );
    await expect(supervisor.request("listTokens", {}, 1000)).rejects.toMatchObject({ code: "internal" });
    supervisor.close();
  });

  it("no answer: timeout at the limit, the host killed, the next request gets a new host", async () => {
    let first = true;
    const spawner = spawnerOf(() => {
      const silent = first;
      first = false;
      return new FakeHost((request) => (silent || request.op === "probe" ? undefined : { ok: true, result: { tokens: [] } }));
    });
    const supervisor = new HostSupervisor("/m.so", spawner, backoff);
    const started = Date.now();
    await expect(supervisor.request("listTokens", {}, 100)).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(500);
    expect(spawner.hosts[0]?.killed).toBe(true);
    await expect(supervisor.request("listTokens", {}, 1000)).resolves.toEqual({ tokens: [] });
    expect(spawner.hosts).toHaveLength(2);
    supervisor.close();
  });

  it("a short request timing out behind a longer one does not kill the host", async () => {
    const spawner = spawnerOf(() => new FakeHost(() => undefined));
    const supervisor = new HostSupervisor("/m.so", spawner, backoff);
    const long = supervisor.request("open", { token: "t", keyId: "01", certificate: "", keyAlgorithm: { kind: "ec", curve: "P-256" }, pin: null }, 300);
    await spawner.received("open");
    await expect(supervisor.request("listTokens", {}, 50)).rejects.toMatchObject({ code: "timeout" });
    expect(spawner.hosts[0]?.killed).toBe(false);
    await expect(long).rejects.toMatchObject({ code: "timeout" });
    expect(spawner.hosts[0]?.killed).toBe(true);
    supervisor.close();
  });

  it("a crash fails every request in flight: signing_failed for sign, device_error otherwise", async () => {
    const spawner = spawnerOf(() => new FakeHost(() => undefined));
    const supervisor = new HostSupervisor("/m.so", spawner, backoff);
    const sign = supervisor.request("sign", { ref: "r", hashAlgorithm: "SHA-256", digest: "", scheme: "ecdsa" }, 5000);
    const list = supervisor.request("listTokens", {}, 5000);
    await Promise.all([spawner.received("sign"), spawner.received("listTokens")]);
    spawner.hosts[0]?.crash();
    await expect(sign).rejects.toMatchObject({ code: "signing_failed", details: { reason: "host_exited" } });
    await expect(list).rejects.toMatchObject({ code: "device_error" });
    supervisor.close();
  });
});

/** Recovery after a crash, on fake time: the schedule is read from the supervisor's own reports, not a clock. */
describe("HostSupervisor recovery schedule", () => {
  const schedule = { initialMs: 500, maxMs: 4_000, resetAfterMs: 60_000 };

  beforeEach(() => void vi.useFakeTimers({ now: new Date("2026-03-01T08:00:00Z") }));
  afterEach(() => void vi.useRealTimers());

  /** A supervisor on healthy fake hosts, with every restart report and "ready again" event recorded. */
  async function running(options: Partial<typeof schedule> = {}) {
    const spawner = spawnerOf(() => new FakeHost((request) => (request.op === "listTokens" ? { ok: true, result: { tokens: [] } } : undefined)));
    const scheduled: HostRestartScheduled[] = [];
    const ready: HostReady[] = [];
    const supervisor = new HostSupervisor("/m.so", spawner, { ...schedule, ...options }, {
      onRestartScheduled: (event) => void scheduled.push(event),
      onHostReady: (event) => void ready.push(event),
    });
    const first = supervisor.request("listTokens", {}, 1000);
    await vi.advanceTimersByTimeAsync(5);
    await first;
    /** Crashes the current host and lets fake time run until the replacement answered its probe. */
    const crashAndRecover = async (): Promise<{ delayMs: number; spawnedAfterMs: number }> => {
      const hosts = spawner.hosts.length;
      const readyBefore = ready.length;
      spawner.hosts.at(-1)!.crash();
      const delayMs = scheduled.at(-1)!.delayMs;
      let waited = 0;
      while (spawner.hosts.length === hosts) {
        await vi.advanceTimersByTimeAsync(1);
        waited++;
        if (waited > 60_000) throw new Error("no restart");
      }
      while (ready.length === readyBefore) await vi.advanceTimersByTimeAsync(1);
      return { delayMs, spawnedAfterMs: waited };
    };
    return { supervisor, spawner, scheduled, ready, crashAndRecover };
  }

  it("first crash → a new host is started at once (reported delay 0), without waiting for a request", async () => {
    const { supervisor, spawner, ready, crashAndRecover } = await running();
    const { delayMs, spawnedAfterMs } = await crashAndRecover();
    expect(delayMs).toBe(0);
    expect(spawnedAfterMs).toBeLessThanOrEqual(1);
    expect(spawner.hosts).toHaveLength(2);
    expect(ready.at(-1)).toMatchObject({ generation: 2, restarted: true });
    const next = supervisor.request("listTokens", {}, 1000);
    await vi.advanceTimersByTimeAsync(5);
    await expect(next).resolves.toEqual({ tokens: [] });
    supervisor.close();
  });

  it("a module that keeps dying backs off: 0, 0.5 s, 1 s, 2 s, 4 s, then capped at maxMs", async () => {
    const { supervisor, crashAndRecover } = await running();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { delayMs, spawnedAfterMs } = await crashAndRecover();
      delays.push(delayMs);
      // The reported delay is the one applied (fake time), within the 1 ms step of the loop above.
      expect(Math.abs(spawnedAfterMs - delayMs)).toBeLessThanOrEqual(1);
    }
    expect(delays).toEqual([0, 500, 1_000, 2_000, 4_000, 4_000]);
    supervisor.close();
  });

  it("default schedule: the first three crashes in a row wait at most 1 s (leaving a host start under 2 s), the 4th waits 2 s", async () => {
    const { supervisor, crashAndRecover } = await running(DEFAULT_BACKOFF);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) delays.push((await crashAndRecover()).delayMs);
    expect(delays).toEqual([0, 500, 1_000, 2_000]);
    supervisor.close();
  });

  it("the failure count decays with stable time: one failure forgiven per resetAfterMs the host lived", async () => {
    const { supervisor, crashAndRecover } = await running();
    await crashAndRecover(); // 0
    await crashAndRecover(); // 500
    await crashAndRecover(); // 1000: three failures counted
    await vi.advanceTimersByTimeAsync(60_000); // stable for one period: one forgiven
    expect((await crashAndRecover()).delayMs).toBe(1_000);
    await vi.advanceTimersByTimeAsync(5 * 60_000); // long stable life: all forgiven
    expect((await crashAndRecover()).delayMs).toBe(0);
    supervisor.close();
  });

  it("a request during the back-off waits for the scheduled start and shares it (one new host, not two)", async () => {
    const { supervisor, spawner, scheduled, crashAndRecover } = await running();
    await crashAndRecover();
    spawner.hosts.at(-1)!.crash(); // second failure in a row: 500 ms
    expect(scheduled.at(-1)?.delayMs).toBe(500);
    const hosts = spawner.hosts.length;
    const during = supervisor.request("listTokens", {}, 1000);
    await vi.advanceTimersByTimeAsync(499);
    expect(spawner.hosts.length).toBe(hosts);
    await vi.advanceTimersByTimeAsync(10);
    await expect(during).resolves.toEqual({ tokens: [] });
    expect(spawner.hosts.length).toBe(hosts + 1);
    supervisor.close();
  });

  it("health(): crash count, last crash reason and time, for the diagnostics page", async () => {
    const { supervisor, crashAndRecover } = await running();
    expect(supervisor.health()).toMatchObject({ crashes: 0, consecutiveFailures: 0 });
    expect(supervisor.health().lastCrash).toBeUndefined();
    const crashedAt = new Date(Date.now()).toISOString();
    await crashAndRecover();
    expect(supervisor.health()).toMatchObject({ crashes: 1, consecutiveFailures: 1, lastCrash: { at: crashedAt, reason: "exit code 134" } });
    expect(supervisor.health().lastRestartAt).toBeDefined();
    supervisor.close();
  });

  it("a hung host killed at its limit is replaced at once too, and the reason says so", async () => {
    let hang = true;
    const spawner = spawnerOf(() => new FakeHost((request) => (request.op === "listTokens" && !hang ? { ok: true, result: { tokens: [] } } : undefined)));
    const scheduled: HostRestartScheduled[] = [];
    const supervisor = new HostSupervisor("/m.so", spawner, schedule, { onRestartScheduled: (event) => void scheduled.push(event) });
    const hung = supervisor.request("listTokens", {}, 100);
    hung.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(101);
    await expect(hung).rejects.toMatchObject({ code: "timeout" });
    expect(scheduled).toEqual([expect.objectContaining({ delayMs: 0, reason: "killed after a hung listTokens" })]);
    hang = false;
    await vi.advanceTimersByTimeAsync(5);
    expect(spawner.hosts).toHaveLength(2);
    expect(supervisor.health().lastCrash?.reason).toBe("killed after a hung listTokens");
    supervisor.close();
  });

  it("close() cancels a scheduled restart", async () => {
    const { supervisor, spawner, crashAndRecover } = await running();
    await crashAndRecover();
    spawner.hosts.at(-1)!.crash(); // restart in 500 ms
    const hosts = spawner.hosts.length;
    supervisor.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(spawner.hosts.length).toBe(hosts);
  });
});
