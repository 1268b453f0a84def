/**
 * Child of startup-heap.test.ts (the V8 flag is process-wide, so it never runs inside the test runner's worker).
 * Allocates like a start does (objects that survive scavenges), with the young generation held or not, and prints
 * the young generation's reserved size after each phase as JSON.
 */
import { getHeapSpaceStatistics } from "node:v8";
import { holdYoungGenerationDuringStart } from "../../../main/core/startup-heap.js";

const newSpaceMiB = (): number => (getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0) / 2 ** 20;

/** 40 MiB of small objects, all kept: what module loading does to the young generation. */
function allocateSurvivors(into: unknown[]): void {
  for (let i = 0; i < 400_000; i++) into.push({ index: i, label: `item ${i}`, bytes: [i, i + 1, i + 2, i + 3] });
}

const mode = process.argv[2];
const kept: unknown[] = [];
const release = mode === "held" ? holdYoungGenerationDuringStart() : () => undefined;
allocateSurvivors(kept);
const duringStart = newSpaceMiB();
release();
allocateSurvivors(kept);
const afterRelease = newSpaceMiB();
process.stdout.write(JSON.stringify({ duringStart, afterRelease, kept: kept.length }));
