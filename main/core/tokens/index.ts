export * from "./token-service.js";
export * from "./create-token-service.js";
export * from "./host-spawner.js";
export * from "./host-supervisor.js";
export * from "./module-discovery.js";
export * from "./timeouts.js";
export * from "./pin-cache.js";
