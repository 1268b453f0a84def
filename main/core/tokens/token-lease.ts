import { KysoError } from "../../domain/errors/index.js";

export type Release = () => void;

/** What the UI shows of a token's line: whether a signer holds it and how many wait behind, in arrival order. */
export interface TokenQueueState {
  readonly tokenId: string;
  readonly busy: boolean;
  readonly waiting: number;
}

interface Waiter {
  readonly grant: () => void;
}

interface TokenLine {
  held: boolean;
  readonly waiters: Waiter[];
}

/**
 * One signer per token, from login to close. PKCS#11 login state belongs to the token, not the session: while one
 * signer is logged in, a second C_Login answers CKR_USER_ALREADY_LOGGED_IN and would let a wrong PIN through.
 *
 * Waiters are served strictly in arrival order (FIFO across connections: a busy portal cannot starve another),
 * and the line is visible (`state`, `onChange`) so the UI can say "2 requests before yours". Waiting is bounded by
 * the caller's signal and a timeout, so a signer nobody closes cannot hang the next one; a waiter that gives up
 * leaves the line without disturbing the order of the others. Different tokens never wait for each other.
 */
export function createTokenLeases(onChange: (state: TokenQueueState) => void = () => undefined) {
  const lines = new Map<string, TokenLine>();

  function state(tokenId: string): TokenQueueState {
    const line = lines.get(tokenId);
    return { tokenId, busy: line?.held ?? false, waiting: line?.waiters.length ?? 0 };
  }

  function changed(tokenId: string): void {
    const line = lines.get(tokenId);
    if (line && !line.held && line.waiters.length === 0) lines.delete(tokenId);
    onChange(state(tokenId));
  }

  function releaser(tokenId: string, line: TokenLine): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = line.waiters.shift();
      if (next) next.grant();
      else line.held = false;
      changed(tokenId);
    };
  }

  function acquire(tokenId: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<Release> {
    if (options.signal?.aborted) return Promise.reject(new KysoError("busy", "request withdrawn while waiting for the token"));
    let line = lines.get(tokenId);
    if (!line) {
      line = { held: false, waiters: [] };
      lines.set(tokenId, line);
    }
    const current = line;
    if (!current.held) {
      current.held = true;
      changed(tokenId);
      return Promise.resolve(releaser(tokenId, current));
    }
    return new Promise<Release>((resolve, reject) => {
      const leave = (detail: string) => {
        cleanup();
        const index = current.waiters.indexOf(waiter);
        if (index >= 0) current.waiters.splice(index, 1);
        changed(tokenId);
        reject(new KysoError("busy", detail));
      };
      const timer = setTimeout(() => leave("the token is in use by another signing request"), options.timeoutMs);
      const onAbort = () => leave("request withdrawn while waiting for the token");
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      };
      // The lease passes straight from the releasing holder to this waiter (`held` stays true), so nobody who
      // arrives in between can jump the line.
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve(releaser(tokenId, current));
        },
      };
      options.signal?.addEventListener("abort", onAbort, { once: true });
      current.waiters.push(waiter);
      changed(tokenId);
    });
  }

  return { acquire, state };
}

export type TokenLeases = ReturnType<typeof createTokenLeases>;
