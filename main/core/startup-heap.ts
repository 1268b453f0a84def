/**
 * The core's thread keeps a small young generation while the app starts (issue 10: idle RSS).
 *
 * Why: starting loads ~16 MiB of modules, schemas and certificates, and all of it is first allocated in V8's young
 * generation. Each scavenge sees most of it survive, so V8 doubles the semi-spaces up to their 16 MiB maximum, and
 * it keeps them (about 23 MiB resident, empty) for as long as the tray app then sits idle: nothing allocates enough
 * to trigger the collection that would shrink them. Measured on the compiled core (test/bench/idle-core.ts): idle
 * RSS 110-117 MiB with the default growth, 90-93 MiB with growth held during start, the same heap in use (19 MiB).
 *
 * How: V8 reads `--semi-space-growth-factor` each time it considers growing the young generation, so holding it at 1
 * during start keeps the semi-spaces at their initial size; releasing restores V8's default (2) so that signing
 * bursts, and the document workers (same process, same flags), grow theirs as usual. The flag is process-wide, which
 * is why only entry points (the Electron main process, the sandbox, the benchmark) call this, never `createCore`.
 */
import { setFlagsFromString } from "node:v8";

/** V8's default since 2015 (flag-definitions.h); the release puts it back. */
const V8_DEFAULT_GROWTH_FACTOR = 2;

let held = false;

/**
 * Holds the young generation at its initial size until the returned release is called (idempotent; a second hold
 * while one is active shares it).
 */
export function holdYoungGenerationDuringStart(): () => void {
  if (!held) setFlagsFromString("--semi-space-growth-factor=1");
  held = true;
  return () => {
    if (!held) return;
    held = false;
    setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`);
  };
}
