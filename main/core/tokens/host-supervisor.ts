/**
 * Keeps one token host process alive for one module and turns its messages into promises.
 *
 * - Every request carries an id and a deadline. A late request fails with `timeout`; the host is killed unless
 *   the request may have queued behind an earlier one with a longer limit (a short poll behind a PIN-pad login
 *   must not kill the login; if the host is really hung, that longer request's own timer kills it).
 * - When the host exits (crash, kill), every request in flight fails with a typed error, never hangs:
 *   `timeout` if it was killed for a hang, otherwise `signing_failed` for signatures and `device_error` for the
 *   rest (details.reason = "host_exited").
 * - A host that ended (crash, kill, hung, failed start) is restarted at once, without waiting for a request; only a
 *   module that keeps dying waits, on the schedule of `backoffDelay` (0, 0.5 s, 1 s, ... capped), and stable time
 *   decays the failure count. Each restart is reported (`onRestartScheduled`, with the delay applied) and so is the
 *   host answering again (`onHostReady`); `health()` keeps the crash count and the last crash for diagnostics.
 * - The module is initialised once per host lifetime (the host's `probe`); a restarted host is a new lifetime.
 */
import type { ModuleRecovery } from "../../domain/token.js";
import { fromPayload, KysoError } from "../../domain/errors/index.js";
import { resultSchemas, responseSchema, type HostOp, type HostParams, type HostResult } from "../../../native/host/protocol.js";
import type { HostExit, HostProcess, HostSpawner } from "./host-spawner.js";
import { backoffDelay, failuresAfterExit, type RestartBackoff } from "./timeouts.js";

interface Pending {
  readonly op: HostOp;
  /** The host lifetime the request was sent to: an exit fails only its own requests. */
  readonly process: HostProcess;
  readonly deadline: number;
  readonly limitMs: number;
  readonly timer: NodeJS.Timeout;
  resolve(value: unknown): void;
  reject(error: KysoError): void;
}

export type SupervisorState =
  | { readonly kind: "idle" }
  | { readonly kind: "starting"; readonly process: HostProcess; readonly startedAt: number }
  | { readonly kind: "running"; readonly process: HostProcess; readonly startedAt: number }
  | { readonly kind: "closed" };

/** A restart was scheduled after a host ended; `delayMs` is the wait actually applied (0 = at once). */
export interface HostRestartScheduled {
  /** The lifetime that ended. */
  readonly generation: number;
  /** Failures in a row, this one included, after decay. */
  readonly failures: number;
  readonly delayMs: number;
  /** Why the host ended, for people: "exit code 134", "signal SIGSEGV", "killed after a hung sign", ... */
  readonly reason: string;
}

/** A host answered its start-up probe: the module is usable again. */
export interface HostReady {
  readonly generation: number;
  /** False for the first host of this supervisor. */
  readonly restarted: boolean;
  /** Time from the end of the previous host to this one answering (0 for the first host). */
  readonly downMs: number;
}

/** What diagnostics show about a module's host ("the token driver restarted"). */
export type HostHealth = ModuleRecovery;

export interface SupervisorEvents {
  /** The host exited unexpectedly or was killed; `generation` is the lifetime that ended. */
  onHostExit?(exit: HostExit & { readonly generation: number; readonly killedForTimeout: boolean }): void;
  onRestartScheduled?(event: HostRestartScheduled): void;
  onHostReady?(event: HostReady): void;
}

function exitReason(exit: HostExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}

export class HostSupervisor {
  private state: SupervisorState = { kind: "idle" };
  private starting: Promise<HostProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failures = 0;
  private lastExitAt = 0;
  private crashes = 0;
  private lastCrash: { at: string; reason: string } | undefined;
  private lastRestartAt: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartDue = 0;
  /** Increments at each host start: sessions opened in an earlier lifetime are gone. */
  generation = 0;

  constructor(
    readonly modulePath: string,
    private readonly spawner: HostSpawner,
    private readonly backoff: RestartBackoff,
    private readonly events: SupervisorEvents = {},
    /** Limit for a new host to start and load its module. */
    private readonly startupTimeoutMs = 10_000,
  ) {}

  get running(): boolean {
    return this.state.kind === "running";
  }

  get inFlight(): number {
    return this.pending.size;
  }

  health(): HostHealth {
    const restartInMs = this.restartTimer ? Math.max(0, this.restartDue - Date.now()) : undefined;
    return {
      crashes: this.crashes,
      consecutiveFailures: this.failures,
      ...(this.lastCrash ? { lastCrash: { ...this.lastCrash } } : {}),
      ...(this.lastRestartAt ? { lastRestartAt: this.lastRestartAt } : {}),
      ...(restartInMs !== undefined ? { restartInMs } : {}),
    };
  }

  async request<O extends HostOp>(op: O, params: HostParams<O>, timeoutMs: number): Promise<HostResult<O>> {
    const process = await this.ensureStarted();
    return this.send(process, op, params, timeoutMs);
  }

  private send<O extends HostOp>(process: HostProcess, op: O, params: HostParams<O>, timeoutMs: number): Promise<HostResult<O>> {
    const id = this.nextId++;
    return new Promise<HostResult<O>>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const timer = setTimeout(() => this.onTimeout(id), timeoutMs);
      this.pending.set(id, { op, process, deadline, limitMs: timeoutMs, timer, resolve: resolve as (value: unknown) => void, reject });
      process.send({ id, op, params });
    });
  }

  /** Stops the host for good (quit); in-flight requests fail. */
  close(): void {
    const state = this.state;
    this.state = { kind: "closed" };
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (state.kind === "running" || state.kind === "starting") state.process.kill();
    this.failAll(undefined, () => new KysoError("device_error", "token host closed", { reason: "host_closed" }));
  }

  /**
   * The running host, or a new one once it has loaded the module: the start-up (process, runtime, C_Initialize)
   * is charged to a `probe` under the start-up limit, never to the first request's own limit, so a slow start on
   * a busy machine does not look like a hung signature.
   */
  private ensureStarted(): Promise<HostProcess> {
    if (this.state.kind === "running") return Promise.resolve(this.state.process);
    // "starting" is covered by `this.starting` below.
    if (this.state.kind === "closed") return Promise.reject(new KysoError("module_unavailable", "token service closed"));
    this.starting ??= this.startAfterBackoff().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startAfterBackoff(): Promise<HostProcess> {
    const wait = this.lastExitAt + backoffDelay(this.backoff, this.failures) - Date.now();
    // The global timer (not timers/promises) so fake timers drive the schedule in tests.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if ((this.state as SupervisorState).kind === "closed") throw new KysoError("module_unavailable", "token service closed");
    const process = this.start();
    try {
      await this.send(process, "probe", {}, this.startupTimeoutMs);
    } catch (error) {
      // A host that cannot load its module is of no use: count it as a failed start (backoff) and end it.
      if (this.isCurrent(process)) {
        const code = error instanceof KysoError ? error.code : "error";
        this.retire(`restart failed (${code})`);
        process.kill();
      }
      throw error;
    }
    if (!this.isCurrent(process)) throw new KysoError("device_error", "token host exited while starting", { reason: "host_exited" });
    this.state = { kind: "running", process, startedAt: this.state.kind === "starting" ? this.state.startedAt : Date.now() };
    const restarted = this.lastExitAt > 0;
    if (restarted) this.lastRestartAt = new Date().toISOString();
    this.events.onHostReady?.({ generation: this.generation, restarted, downMs: restarted ? Date.now() - this.lastExitAt : 0 });
    return process;
  }

  /**
   * Starts the replacement of a host that ended, after the back-off of the failures so far (0 for the first):
   * the module is usable again before anyone asks, and the poll that follows sees its tokens.
   */
  private scheduleRestart(reason: string): void {
    if (this.state.kind !== "idle" || this.restartTimer) return;
    const delayMs = backoffDelay(this.backoff, this.failures);
    this.restartDue = this.lastExitAt + delayMs;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.state.kind === "idle") void this.ensureStarted().catch(() => undefined);
    }, delayMs);
    this.restartTimer.unref?.();
    this.events.onRestartScheduled?.({ generation: this.generation, failures: this.failures, delayMs, reason });
  }

  private isCurrent(process: HostProcess): boolean {
    return (this.state.kind === "running" || this.state.kind === "starting") && this.state.process === process;
  }

  private start(): HostProcess {
    const process = this.spawner.spawn(this.modulePath);
    const generation = ++this.generation;
    this.state = { kind: "starting", process, startedAt: Date.now() };
    process.onMessage((message) => this.onMessage(message));
    process.onExit((exit) => this.onExit(process, generation, exit));
    return process;
  }

  private onMessage(message: unknown): void {
    const parsed = responseSchema.safeParse(message);
    if (!parsed.success) return; // Not ours or malformed: the request's timer will fail it.
    const response = parsed.data;
    const pending = this.pending.get(response.id);
    if (!pending) return; // Answer after its timeout: already failed.
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if (!response.ok) {
      pending.reject(fromPayload(response.error));
      return;
    }
    const result = resultSchemas[pending.op].safeParse(response.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new KysoError("internal", `malformed ${pending.op} reply from token host`));
  }

  private onTimeout(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.reject(new KysoError("timeout", `${pending.op} took longer than its limit`, { operation: pending.op }));
    // A request may be late only because it queued behind an earlier, longer one (a poll behind a PIN-pad login):
    // then that request's own timer decides. Anything else late means the host is hung.
    const longerWait = [...this.pending.entries()].some(
      ([otherId, other]) => other.process === pending.process && otherId < id && other.limitMs > pending.limitMs,
    );
    if (longerWait || !this.isCurrent(pending.process)) return;
    // Hung: detach at once so the next request starts a new host instead of queueing behind the dying one.
    this.retire(`killed after a hung ${pending.op}`);
    pending.process.kill();
    this.failAll(pending.process, (op) => new KysoError("timeout", "token host killed after a hung call", { operation: op }));
    this.events.onHostExit?.({ code: null, signal: "SIGKILL", generation: this.generation, killedForTimeout: true });
  }

  private onExit(process: HostProcess, generation: number, exit: HostExit): void {
    const current = this.isCurrent(process);
    if (current) this.retire(exitReason(exit));
    this.failAll(process, (op) =>
      new KysoError(op === "sign" ? "signing_failed" : "device_error", `token host exited (${exit.signal ?? exit.code})`, {
        reason: "host_exited",
      }),
    );
    if (current) this.events.onHostExit?.({ ...exit, generation, killedForTimeout: false });
  }

  /**
   * The running host stops being the current one: the failure is counted (after decay for the time it was up),
   * recorded for diagnostics, and its replacement scheduled.
   */
  private retire(reason: string): void {
    if (this.state.kind !== "running" && this.state.kind !== "starting") return;
    const now = Date.now();
    this.failures = failuresAfterExit(this.backoff, this.failures, now - this.state.startedAt);
    this.lastExitAt = now;
    this.crashes++;
    this.lastCrash = { at: new Date(now).toISOString(), reason };
    this.state = { kind: "idle" };
    this.scheduleRestart(reason);
  }

  private failAll(process: HostProcess | undefined, error: (op: HostOp) => KysoError): void {
    for (const [id, pending] of this.pending) {
      if (process && pending.process !== process) continue;
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(error(pending.op));
    }
  }
}
