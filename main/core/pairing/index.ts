export * from "./pairing-store.js";
