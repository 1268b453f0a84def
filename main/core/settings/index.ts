export * from "./settings-store.js";
