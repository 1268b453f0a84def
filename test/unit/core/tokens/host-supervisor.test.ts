import { describe, expect, it } from "vitest";
import { HostSupervisor } from "../../../../main/core/tokens/host-supervisor.js";
import type { HostExit, HostProcess, HostSpawner } from "../../../../main/core/tokens/host-spawner.js";

const probeResult = { manufacturer: "m", description: "d", cryptokiVersion: "2.40", libraryVersion: "1.0" };

/** A scripted host: answers each request with `reply(message)`, or never when it returns undefined. */
class FakeHost implements HostProcess {
  readonly pid = 1;
  killed = false;
  private messageListener: ((message: unknown) => void) | undefined;
  private exitListener: ((exit: HostExit) => void) | undefined;
  constructor(
    private readonly reply: (request: { id: number; op: string }) => unknown,
    private readonly silentProbe = false,
  ) {}
  send(message: unknown): void {
    const request = message as { id: number; op: string };
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

function spawnerOf(make: () => FakeHost): HostSpawner & { hosts: FakeHost[] } {
  const hosts: FakeHost[] = [];
  return {
    hosts,
    spawn() {
      const host = make();
      hosts.push(host);
      return host;
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
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(supervisor.request("listTokens", {}, 50)).rejects.toMatchObject({ code: "timeout" });
    expect(spawner.hosts[0]?.killed).toBe(false);
    await expect(long).rejects.toMatchObject({ code: "timeout" });
    expect(spawner.hosts[0]?.killed).toBe(true);
    supervisor.close();
  });

  it("a crash fails every request in flight (signing_failed for sign, device_error otherwise) and restarts after a backoff", async () => {
    const spawner = spawnerOf(() => new FakeHost(() => undefined));
    const supervisor = new HostSupervisor("/m.so", spawner, backoff);
    const sign = supervisor.request("sign", { ref: "r", hashAlgorithm: "SHA-256", digest: "", scheme: "ecdsa" }, 5000);
    const list = supervisor.request("listTokens", {}, 5000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    spawner.hosts[0]?.crash();
    await expect(sign).rejects.toMatchObject({ code: "signing_failed", details: { reason: "host_exited" } });
    await expect(list).rejects.toMatchObject({ code: "device_error" });
    const generation = supervisor.generation;
    const started = Date.now();
    void supervisor.request("listTokens", {}, 50).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(spawner.hosts).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(supervisor.generation).toBe(generation + 1);
    supervisor.close();
  });
});
