/**
 * CSC API v2 asynchronous `signatures/signHash` (`operationMode: "A"` -> `responseID`) and
 * `signatures/signPolling` for the local remote-signing server. While pending the fixture answers 400
 * `invalid_request` "not yet completed" (the client's reading of the specification, docs/remote-signing.md),
 * or 202 every other poll so both pending forms are exercised. In this mode the phone decides at polling time.
 */
import { randomUUID } from "node:crypto";
import type { HashAlgorithm } from "../../main/domain/hash-algorithm.js";

type Outcome = "approve" | "reject" | "expire" | "quota" | "network";

export interface CscAsyncContext {
  outcome(): Outcome;
  waitingPolls(): number;
  signHex(hex: string, hashAlgorithm: HashAlgorithm): Promise<string>;
}

export function cscAsyncDialect(ctx: CscAsyncContext) {
  const operations = new Map<string, { hashes: string[]; hashAlgorithm: HashAlgorithm; polls: number; outcome: Outcome }>();

  return {
    /** After the SAD and hashes were checked by the synchronous path. */
    accept(hashes: string[], hashAlgorithm: HashAlgorithm, validityPeriod: unknown): [number, unknown] {
      if (typeof validityPeriod !== "number" || validityPeriod <= 0) return [400, { error: "invalid_request", error_description: "validity_period" }];
      const id = randomUUID();
      operations.set(id, { hashes, hashAlgorithm, polls: 0, outcome: ctx.outcome() });
      return [200, { responseID: id }];
    },
    async poll(body: Record<string, unknown>): Promise<[number, unknown]> {
      const op = operations.get(body.responseID as string);
      if (!op) return [400, { error: "invalid_request", error_description: "Invalid parameter responseID" }];
      if (op.polls < ctx.waitingPolls()) {
        op.polls++;
        return op.polls % 2 === 0 ? [202, {}] : [400, { error: "invalid_request", error_description: "The signature request has not yet been completed" }];
      }
      // The service is unreachable while the phone decides: a 503 each poll, until the client's deadline.
      if (ctx.outcome() === "network") return [503, { error: "temporarily_unavailable" }];
      const outcome = op.outcome;
      if (outcome === "reject") return [400, { error: "access_denied", error_description: "the user declined" }];
      if (outcome === "expire") return [400, { error: "expired_token", error_description: "the request expired" }];
      if (outcome === "quota") return [400, { error: "quota_exceeded", error_description: "no signatures left" }];
      operations.delete(body.responseID as string);
      const signatures = [];
      for (const hash of op.hashes) signatures.push(await ctx.signHex(Buffer.from(hash, "base64").toString("hex"), op.hashAlgorithm));
      return [200, { signatures }];
    },
  };
}
