/**
 * The "Allow this site?" prompts a page can cause (threat model, "Resource limits"):
 *
 * - at most one pending prompt per origin: a second `pair` while one is pending waits for the same decision;
 * - at most `maxPendingPairPrompts` pending prompts for all origins together; over it → `busy`;
 * - after the user refuses, the origin's `pair` answers `rate_limited` (with `retryAfterMs`) for
 *   `pairRefusalCooldownSeconds`.
 *
 * Both maps are bounded: pending prompts by the global cap, cool-downs by expiry and `MAX_COOLDOWNS`.
 */
import { KysoError } from "../../domain/errors/kyso-error.js";

export type PairOutcome = "granted" | "refused" | "unanswered";

export interface PairPromptLimits {
  readonly maxPending: number;
  readonly cooldownMs: number;
}

export interface PairPrompts {
  /** Runs `prompt` unless one for `origin` is pending (then joins it); throws `busy` / `rate_limited`. */
  ask(origin: string, prompt: () => Promise<PairOutcome>): Promise<PairOutcome>;
  readonly pending: number;
  readonly coolingDown: number;
}

/** Cool-downs remembered at once; each one needs a click of the user, so this is never reached in practice. */
export const MAX_COOLDOWNS = 1024;

export function createPairPrompts(limits: PairPromptLimits, now: () => number): PairPrompts {
  const pending = new Map<string, Promise<PairOutcome>>();
  const cooldowns = new Map<string, number>();

  function coolingUntil(origin: string, at: number): number | undefined {
    for (const [key, until] of cooldowns) if (until <= at) cooldowns.delete(key);
    return cooldowns.get(origin);
  }

  return {
    async ask(origin, prompt) {
      const at = now();
      const until = coolingUntil(origin, at);
      if (until !== undefined) throw new KysoError("rate_limited", "pairing refused by the user recently", { retryAfterMs: until - at });
      const running = pending.get(origin);
      if (running) return running;
      if (pending.size >= limits.maxPending) throw new KysoError("busy", "too many pairing prompts waiting");
      const asked = prompt().then((outcome) => {
        if (outcome === "refused" && limits.cooldownMs > 0) {
          cooldowns.set(origin, now() + limits.cooldownMs);
          while (cooldowns.size > MAX_COOLDOWNS) cooldowns.delete(cooldowns.keys().next().value!);
        }
        return outcome;
      });
      pending.set(origin, asked);
      try {
        return await asked;
      } finally {
        pending.delete(origin);
      }
    },
    get pending() {
      return pending.size;
    },
    get coolingDown() {
      return cooldowns.size;
    },
  };
}
