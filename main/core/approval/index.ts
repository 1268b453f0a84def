export * from "./approval-state.js";
export * from "./approval-queue.js";
export * from "./auto-hide.js";
