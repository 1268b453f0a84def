/**
 * Idle memory (issue 10, app: idle RSS): a document worker is a V8 isolate of tens of MB, so none runs before the
 * first document request, and after a session the last one ends too (docs/performance.md, "7. App"). Counted, not
 * timed: how many workers exist at each step; the idle delays run on fake timers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCore } from "../../../main/core/kyso-core.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import type { SigningRequestInput } from "../../../main/core/signing/request.js";
import { createDocumentWorkers } from "../../../main/core/signing/worker/document-workers.js";
import { noTokens } from "../../helpers/no-tokens.js";

const answering = fileURLToPath(new URL("../../helpers/misbehaving-document-worker.ts", import.meta.url));
const request = { format: "raw", document: new Uint8Array(8), options: { behaviour: "answer" } } as unknown as SigningRequestInput;

/** A token layer with no token: the core starts, nothing signs. */
const tokens = noTokens;

afterEach(() => vi.useRealTimers());

describe("document workers at idle", () => {
  it("a started core (its own signing formats, listener on) runs no document worker before a request", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kyso-idle-"));
    const core = createCore({ dataDir: join(dir, "data"), policy: policySchema.parse({}), tokenService: tokens, catalogue: false, bridgePorts: { ws: [0], wss: [] } });
    try {
      await core.start();
      expect(core.bridge.ports.ws).toBeGreaterThan(0);
      // Let anything start() scheduled run (a warm-up on the next turn would show here).
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(core.documentWorkers()).toEqual({ workers: 0, busy: 0, queued: 0, killed: 0 });
    } finally {
      await core.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the first request starts one; extra workers end after the idle delay, the last one after the longer one", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    const workers = createDocumentWorkers({ entry: answering, maxWorkers: 2, idleMs: 1_000, lastIdleMs: 10_000 });
    try {
      expect(workers.stats().workers).toBe(0);
      await Promise.all([workers.prepare(request, [], false), workers.prepare(request, [], false)]);
      expect(workers.stats()).toMatchObject({ workers: 2, busy: 0 });
      vi.advanceTimersByTime(1_000);
      expect(workers.stats().workers).toBe(1);
      // A request in the meantime finds the warm one and starts no other.
      await workers.prepare(request, [], false);
      expect(workers.stats().workers).toBe(1);
      vi.advanceTimersByTime(9_999);
      expect(workers.stats().workers).toBe(1);
      vi.advanceTimersByTime(1);
      expect(workers.stats().workers).toBe(0);
      // And the next request starts one again.
      await workers.prepare(request, [], false);
      expect(workers.stats().workers).toBe(1);
    } finally {
      await workers.close();
    }
  });
});
