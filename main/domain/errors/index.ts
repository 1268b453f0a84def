export * from "./catalogue.js";
export * from "./kyso-error.js";
