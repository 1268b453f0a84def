import { KysoError } from "../errors/index.js";

export type Release = () => void;

/**
 * One signer per token, from login to close. PKCS#11 login state belongs to the token, not the session: while one
 * signer is logged in, a second C_Login answers CKR_USER_ALREADY_LOGGED_IN and would let a wrong PIN through.
 * Waiting is bounded by the caller's signal and a timeout, so a signer nobody closes cannot hang the next one.
 */
export function createTokenLeases() {
  const tails = new Map<string, Promise<void>>();

  async function acquire(tokenId: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<Release> {
    let release!: Release;
    const held = new Promise<void>((resolve) => {
      let done = false;
      release = () => {
        if (done) return;
        done = true;
        resolve();
      };
    });
    const previous = tails.get(tokenId) ?? Promise.resolve();
    const tail = previous.then(() => held);
    tails.set(tokenId, tail);
    void tail.then(() => {
      if (tails.get(tokenId) === tail) tails.delete(tokenId);
    });
    try {
      await waitFor(previous, options);
      return release;
    } catch (error) {
      // Give the place up: whoever queued behind us waits for the previous holder only.
      previous.then(release, release);
      throw error;
    }
  }

  return { acquire };
}

function waitFor(previous: Promise<void>, { signal, timeoutMs }: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (detail: string) => {
      cleanup();
      reject(new KysoError("busy", detail));
    };
    const timer = setTimeout(() => fail("the token is in use by another signing request"), timeoutMs);
    const onAbort = () => fail("request withdrawn while waiting for the token");
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    if (signal?.aborted) return fail("request withdrawn while waiting for the token");
    signal?.addEventListener("abort", onAbort, { once: true });
    void previous.then(() => {
      cleanup();
      resolve();
    });
  });
}
