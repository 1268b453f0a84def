/**
 * One listing of a module at a time, and never a stale answer to someone who asks.
 *
 * The hot-plug timer and callers (the bridge's token list, the approval's PIN state, an explicit refresh) both list
 * a module's tokens. A timer poll is skipped while a listing runs or waits: it has nothing to add. A caller, though,
 * must get what the token says *after* their call: a listing already under way may have read the token before it
 * (a poll that read the PIN flags, then waited on a slow token), so the caller waits for it and then lists again.
 * Callers that arrive while that next listing waits share it, so a burst of requests costs one extra listing, not one
 * each. (The defect: a caller arriving during a poll got the poll's older reading at once: a PIN that had just
 * locked showed as usable.)
 */
export interface ListingGate<How> {
  /** For the timer: runs a listing unless one runs or waits. */
  poll(how: How): Promise<void>;
  /** For a caller: resolves after a listing that started after this call has ended. */
  list(how: How): Promise<void>;
}

/**
 * `run` does one listing and never rejects (the service keeps the last known tokens on failure). `merge` combines
 * what two callers sharing the next listing asked for (e.g. whether certificates are read again).
 */
export function createListingGate<How>(run: (how: How) => Promise<void>, merge: (a: How, b: How) => How): ListingGate<How> {
  let running: Promise<void> | undefined;
  let next: { how: How; promise: Promise<void> } | undefined;

  const start = (how: How): Promise<void> => {
    const listing = run(how).finally(() => {
      if (running === listing) running = undefined;
    });
    running = listing;
    return listing;
  };

  return {
    poll(how) {
      if (running || next) return Promise.resolve();
      return start(how);
    },
    list(how) {
      if (next) {
        next.how = merge(next.how, how);
        return next.promise;
      }
      if (!running) return start(how);
      const waiting: { how: How; promise: Promise<void> } = { how, promise: Promise.resolve() };
      waiting.promise = running.then(() => {
        next = undefined;
        return start(waiting.how);
      });
      next = waiting;
      return waiting.promise;
    },
  };
}
