/**
 * Imported first by main.ts, so the hold is in place before the rest of the app's modules load (ES modules
 * evaluate their imports in order). main.ts releases it once the core is started (main/core/startup-heap.ts).
 */
import { holdYoungGenerationDuringStart } from "../core/startup-heap.js";

export const releaseStartupHeap = holdYoungGenerationDuringStart();
