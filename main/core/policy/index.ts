export * from "./origin.js";
export * from "./policy-schema.js";
export * from "./load-policy.js";
