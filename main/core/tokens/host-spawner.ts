/**
 * How the core starts a token host process: the one seam between the token layer and the process technology.
 *
 * Contract for implementations (the Electron one lives in main/electron and wraps `utilityProcess.fork`):
 * - `spawn(modulePath)` starts `native/host/host-main` (compiled .js in the app) with `modulePath` as its first
 *   argument and an IPC channel; it must not wait for anything.
 * - `send` delivers one message object to the host (`process.send` / `child.postMessage`); the host answers on
 *   `onMessage` with plain objects (`utilityProcess` delivers `event.data` style payloads: unwrap them).
 * - `onExit` fires exactly once, when the process is gone (crash, kill or normal exit), with the exit code or
 *   signal when known.
 * - `kill()` must end the process even if a native call inside it hangs (SIGKILL / TerminateProcess).
 * - Host stdout/stderr are never shown to users; an implementation may forward them to a diagnostics log.
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface HostExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface HostProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: HostExit) => void): void;
  kill(): void;
}

export interface HostSpawner {
  spawn(modulePath: string): HostProcess;
}

export interface ForkSpawnerOptions {
  /** Host entry file; defaults to native/host/host-main.js next to the compiled core, or the .ts in a source tree. */
  readonly entry?: string;
  /** Extra environment for the host (e.g. SOFTHSM2_CONF in tests); the parent's environment is inherited. */
  readonly env?: Readonly<Record<string, string>>;
  /** Receives everything the host writes to stdout/stderr (tests grep it for PIN leaks). */
  readonly onOutput?: (chunk: string, stream: "stdout" | "stderr") => void;
}

/** Where host-main lives relative to this file, compiled (.js) or in the source tree run through tsx (.ts). */
export function defaultHostEntry(): string {
  const js = fileURLToPath(new URL("../../../native/host/host-main.js", import.meta.url));
  if (existsSync(js)) return js;
  return fileURLToPath(new URL("../../../native/host/host-main.ts", import.meta.url));
}

/** child_process.fork implementation, for tests, the sandbox and plain-Node tools. */
export function forkSpawner(options: ForkSpawnerOptions = {}): HostSpawner {
  const entry = options.entry ?? defaultHostEntry();
  return {
    spawn(modulePath) {
      const child = fork(entry, [modulePath], {
        env: { ...process.env, ...options.env },
        // A .ts entry (source tree, tests) runs through tsx; the compiled app ships .js.
        execArgv: entry.endsWith(".ts") ? ["--import", "tsx"] : [],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "json",
      });
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => options.onOutput?.(chunk, "stdout"));
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => options.onOutput?.(chunk, "stderr"));
      // A send racing with an exit must not crash the parent; the exit handler fails the request instead.
      child.on("error", () => undefined);
      return {
        pid: child.pid,
        send: (message) => {
          if (child.connected) child.send(message as object, (error) => void error);
        },
        onMessage: (listener) => void child.on("message", listener),
        onExit: (listener) => void child.once("exit", (code, signal) => listener({ code, signal })),
        kill: () => void child.kill("SIGKILL"),
      };
    },
  };
}
