/** What the Electron shell uses of the core: the composition root's `KysoCore`. */
export type { KysoCore as ShellCore } from "../core/kyso-core.js";
