/**
 * Runs one connection of a protocol fuzz case against the live listeners and collects what came back. Every wait
 * has a deadline (the hang budget) and waits for an event (a status line, a message, the socket's close), never
 * for a fixed time.
 */
import type { ConnectionPlan } from "./protocol-cases.js";
import { checkMessages, checkStatus, type Problem } from "./protocol-oracle.js";
import { renderRequest } from "./protocol-upgrade.js";
import { openRaw, type RawConnection } from "./protocol-wire.js";

export interface RunEnvironment {
  port(scheme: "ws" | "wss"): number;
  readonly ca: string | undefined;
  readonly hangMs: number;
}

export interface ConnectionOutcome {
  readonly status: number | undefined;
  readonly problems: Problem[];
  /** Typed errors or refused upgrades (expected for hostile input). */
  readonly refused: boolean;
  /** The raw connection, still open for `holdAndProbe` cases. */
  readonly connection: RawConnection;
}

const TIMEOUT = Symbol("timeout");

/** Resolves with the promise's value, or TIMEOUT after `ms` (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
export const timedOut = (value: unknown): value is typeof TIMEOUT => value === TIMEOUT;

const isAnswer = (data: Buffer): boolean => {
  try {
    const value: unknown = JSON.parse(data.toString("utf8"));
    return typeof value === "object" && value !== null && "id" in value;
  } catch {
    return true;
  }
};

/** Slow writes are for small frames: a 20 KiB header one byte per write would only measure the test machine. */
const SLOW_LIMIT = 2048;

/**
 * Opens the connection, sends the upgrade and the steps, waits for what the bridge owes, and ends the connection
 * as planned (unless `hold`: then the caller closes it).
 */
export async function runConnection(plan: ConnectionPlan, env: RunEnvironment, hold = false): Promise<ConnectionOutcome> {
  const connection = openRaw({ scheme: plan.scheme, port: env.port(plan.scheme), ...(env.ca ? { ca: env.ca } : {}) });
  const problems: Problem[] = [];
  const what = plan.sentText.slice(plan.sentText.lastIndexOf("\n") + 1, plan.sentText.lastIndexOf("\n") + 80) || plan.originKind;
  const head = renderRequest(plan.request, env.port(plan.scheme));
  const finish = (status: number | undefined, refused: boolean): ConnectionOutcome => {
    problems.push(...checkMessages(plan, connection.messages));
    return { status, problems, refused: refused || problems.length > 0, connection };
  };
  const awaitClose = async (reason: string): Promise<void> => {
    if (timedOut(await within(connection.closed, env.hangMs))) {
      problems.push({ kind: "hang", detail: `[no-close] the server kept the socket open ${env.hangMs} ms after ${reason}` });
      connection.destroy();
    }
  };

  const cutAt = plan.request.cutAt;
  if (cutAt !== undefined && cutAt >= 0) {
    await connection.write(head.subarray(0, Math.min(cutAt, head.length)));
    connection.destroy();
    await connection.closed;
    return finish(undefined, true);
  }
  if (plan.request.slow && head.length <= SLOW_LIMIT) await connection.writeSlowly(head);
  else await connection.write(head);
  if (cutAt === -1) {
    connection.destroy();
    await connection.closed;
    return finish(undefined, true);
  }

  const status = await within(connection.status, env.hangMs);
  if (timedOut(status)) {
    problems.push({ kind: "hang", detail: `[upgrade] no answer to the upgrade in ${env.hangMs} ms (${what})` });
    connection.destroy();
    return finish(undefined, true);
  }
  if (status === 101 && plan.expect === "refused") {
    // A real page's own origin that KySo refuses (`http://`, `null`) is accepted and closed at once with 4001
    // (handshake.ts), so the page can tell it from a browser block: that is a refusal too, if nothing else comes.
    await awaitClose("refusing an origin with a close code");
    if (connection.closeCode !== 4001 || connection.messages.length > 0) problems.push(...checkStatus(plan, status, what));
    return finish(status, true);
  }
  problems.push(...checkStatus(plan, status, what));
  if (status !== 101) {
    await awaitClose(`refusing the upgrade with ${status ?? "nothing"}`);
    return finish(status, true);
  }

  let owed = 0;
  let closing = false;
  for (const step of plan.steps) {
    if (step.slow && step.bytes.length <= SLOW_LIMIT) await connection.writeSlowly(step.bytes);
    else await connection.write(step.bytes);
    owed += step.answers;
    if (step.closes) {
      closing = true;
      break;
    }
  }
  if (plan.ending === "destroy-now") {
    connection.destroy();
    await connection.closed;
    return finish(status, false);
  }
  if (closing) {
    // Answers to earlier requests may be dropped when the socket closes: only the close is owed.
    await awaitClose("a frame that must close the connection");
    return finish(status, true);
  }
  const answers = (): number => connection.messages.filter((m) => m.kind === "binary" || isAnswer(m.data)).length;
  const started = Date.now();
  while (answers() < owed && !connection.isClosed) {
    const left = env.hangMs - (Date.now() - started);
    if (left <= 0 || timedOut(await within(connection.waitForMessages(connection.messages.length + 1), left))) break;
  }
  if (answers() < owed) {
    problems.push(
      connection.isClosed
        ? { kind: "bridge-unavailable", detail: `[closed] the server closed the socket (code ${connection.closeCode ?? "none"}) after ${answers()} of ${owed} answers` }
        : { kind: "hang", detail: `[no-answer] ${answers()} of ${owed} answers after ${env.hangMs} ms` },
    );
  } else if (answers() > owed) {
    problems.push({ kind: "untyped-error", detail: `[extra] ${answers()} answers to ${owed} requests` });
  }
  const refused = connection.messages.some((m) => m.data.includes('"error"'));
  if (hold) return finish(status, refused);
  if (plan.ending === "close") {
    void connection.closeGracefully(Buffer.from([1, 2, 3, 4]));
    await awaitClose("the page's close frame");
  } else if (plan.ending === "end") {
    connection.end();
    await awaitClose("the page's FIN");
  } else {
    connection.destroy();
    await connection.closed;
  }
  return finish(status, refused);
}
