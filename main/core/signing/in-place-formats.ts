/**
 * The formats as the calling thread runs them (signing-port.ts `signingPort`): loaded on first use only. The core
 * hands every document to the bounded workers, so an idle app, or one that only signs bare hashes' containers,
 * never holds pdf-lib, fontkit, xadesjs and xmldsigjs in its own heap (issue 10: idle RSS).
 */
export { describe } from "./describe.js";
export { prepareItem } from "./prepare.js";
export { sign } from "./sign.js";
