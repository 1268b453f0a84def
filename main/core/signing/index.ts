/** Public API of the signing formats (see docs/formats.md). */
export { sign } from "./sign.js";
export * from "./request.js";
export type * from "./types.js";
export * from "./limits.js";
