/**
 * A remote provider that is down must not hold every certificate listing for the 30 s HTTP timeout (issue 16):
 * a listing gives up after LIST_TIMEOUT_MS, and after each failure the provider is skipped (no request at all) for
 * an exponentially growing while, shown in diagnostics. Fake timers for the listing timeout, a fake RemoteClock
 * for the back-off; the provider's transport is the `fetch` hook.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, createRemoteSource, LIST_TIMEOUT_MS, type RemoteSource } from "../../../../main/core/remote/remote-source.js";
import type { FetchLike, RemoteClock } from "../../../../main/core/remote/types.js";

let mode: "hang" | "refuse" | "ok";
let calls: string[];
let now: number;
const clock: RemoteClock = { now: () => now, sleep: async (ms) => void (now += ms) };

const fetchHook: FetchLike = (url, init) => {
  calls.push(url);
  if (mode === "refuse") return Promise.reject(new TypeError("connect ECONNREFUSED"));
  if (mode === "ok") return Promise.resolve({ status: 200, text: async () => JSON.stringify({ status_code: 200, message: "success", data: { user_certificates: [] } }) });
  // Down without answering: only the caller's abort ends it.
  return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal?.reason as Error)));
};

function source(): RemoteSource {
  return createRemoteSource({
    providers: [{ id: "vnpt", kind: "vnpt-smartca", baseUrl: "https://gwsca.example/sca/sp769/v1/", spId: "sp", spPassword: "pw" }],
    accounts: () => ({ vnpt: { userId: "079123456789" } }),
    hooks: { fetch: fetchHook, clock },
  });
}

/** One listing, the fake timers moved on far enough for the listing timeout. */
async function list(remote: RemoteSource): Promise<number> {
  const listing = remote.listCertificates();
  await vi.advanceTimersByTimeAsync(LIST_TIMEOUT_MS);
  return (await listing).length;
}

beforeEach(() => {
  vi.useFakeTimers();
  mode = "hang";
  calls = [];
  now = 1_000_000;
});
afterEach(() => vi.useRealTimers());

describe("certificate listing of a provider that is down", () => {
  it("a hanging provider: the listing ends after LIST_TIMEOUT_MS (not the 30 s request timeout) with nothing listed", async () => {
    const remote = source();
    const listing = remote.listCertificates();
    let done = false;
    void listing.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(LIST_TIMEOUT_MS - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await listing).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(remote.backoff("vnpt")).toMatchObject({ failures: 1, until: now + BACKOFF_BASE_MS, reason: "remote_unavailable" });
  });

  it("after a failure the provider is skipped (no request) until the back-off ends, which doubles per failure up to the cap", async () => {
    const remote = source();
    mode = "refuse";
    await list(remote);
    expect(calls).toHaveLength(1);
    // Listings during the back-off send nothing and wait for nothing.
    for (let i = 0; i < 3; i++) {
      const listing = remote.listCertificates();
      expect(await listing).toEqual([]);
    }
    expect(calls).toHaveLength(1);
    const waits: number[] = [];
    for (let failure = 1; failure <= 8; failure++) {
      const state = remote.backoff("vnpt")!;
      expect(state.failures).toBe(failure);
      waits.push(state.until - now);
      now = state.until;
      await list(remote);
    }
    expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16].map((k) => k * BACKOFF_BASE_MS));
    expect(Math.max(...waits)).toBe(BACKOFF_MAX_MS);
    expect(calls).toHaveLength(9);
  });

  it("diagnostics name the provider while it backs off; an answer clears it", async () => {
    const remote = source();
    mode = "refuse";
    await list(remote);
    const [entry] = remote.diagnostics();
    expect(entry).toMatchObject({ id: "remote:vnpt", path: "https://gwsca.example/sca/sp769/v1/", source: "policy", status: { kind: "failed", code: "error" } });
    expect(entry!.status.kind === "failed" && entry!.status.reason).toMatch(/VNPT SmartCA: certificate listing failed 1 time\(s\) \(remote_unavailable\); next try in 30 s/);
    expect(JSON.stringify(remote.diagnostics())).not.toContain("pw");
    now += BACKOFF_BASE_MS;
    mode = "ok";
    await list(remote);
    expect(remote.backoff("vnpt")).toBeUndefined();
    expect(remote.diagnostics()).toEqual([]);
  });

  it("a forced refresh (the user signed in, or asked again) lists at once, back-off or not", async () => {
    const remote = source();
    mode = "refuse";
    await list(remote);
    expect(remote.backoff("vnpt")).toBeDefined();
    mode = "ok";
    remote.refresh(true);
    await vi.advanceTimersByTimeAsync(LIST_TIMEOUT_MS);
    expect(calls).toHaveLength(2);
    expect(remote.backoff("vnpt")).toBeUndefined();
  });

  it("an account that waits for the user (sign-in required) is not a provider that is down: no back-off", async () => {
    // A CSC account nobody signed in to yet: listing fails with remote_sign_in_required before any request.
    const remote = createRemoteSource({
      providers: [{ id: "csc", kind: "csc", baseUrl: "https://rssp.example/csc/v2/", clientId: "kyso-desktop", redirectUri: "http://127.0.0.1:53682/callback" }],
      accounts: () => ({ csc: { userId: "079123456789" } }),
      hooks: { fetch: fetchHook, clock },
    });
    mode = "ok";
    await list(remote);
    expect(remote.backoff("csc")).toBeUndefined();
    expect(remote.diagnostics()).toEqual([]);
  });
});
