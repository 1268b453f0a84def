// Starts the document worker from the TypeScript source tree (tests, the sandbox, `tsx`): a worker thread does not
// inherit the parent's `--import tsx`, so it registers tsx itself and then loads the entry named in workerData.
// The built app never uses this file: it starts the compiled document-worker.js directly.
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.entry);
