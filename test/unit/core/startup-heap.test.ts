import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const CHILD = fileURLToPath(new URL("./startup-heap-child.ts", import.meta.url));
const run = promisify(execFile);

async function youngGeneration(mode: "held" | "default"): Promise<{ duringStart: number; afterRelease: number }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", CHILD, mode]);
  return JSON.parse(stdout) as { duringStart: number; afterRelease: number };
}

describe("holdYoungGenerationDuringStart", () => {
  it("keeps the young generation at its initial size during start, and lets it grow again once released", async () => {
    const [held, free] = await Promise.all([youngGeneration("held"), youngGeneration("default")]);
    // Without the hold, surviving allocations grow the semi-spaces (V8 doubles them up to their maximum: 32 MiB
    // reserved here). With it they stay where tsx's own loading left them (4 MiB here) however much survives...
    expect(free.duringStart).toBeGreaterThanOrEqual(16);
    expect(held.duringStart).toBeLessThanOrEqual(free.duringStart / 4);
    // ...and the release gives V8 its default back, so signing bursts and document workers grow as usual.
    expect(held.afterRelease).toBeGreaterThan(held.duringStart);
  });
});
