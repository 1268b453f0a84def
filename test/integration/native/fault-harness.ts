/**
 * Runs pkcs11js in a child process so a test survives what the fault module does to its host: a crash kills
 * only the child, a hang is seen as a reply that never comes.
 *
 * The child gets its environment at start, so SOFTHSM2_CONF and the KYSO_FAULT_* variables are in place before
 * the real module is loaded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Rejection of a child call: `code` is the CKR value for PKCS#11 errors, 0 otherwise. */
export class ChildCallError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = "ChildCallError";
  }
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface FaultChild {
  /** Calls `p11[method](...args)` in the child (awaiting `*Async` methods); Buffers survive both ways. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  /** Like `call`, but resolves to "timeout" when no reply comes within `ms` (the child is left as it is). */
  callWithin<T = unknown>(ms: number, method: string, ...args: unknown[]): Promise<T | "timeout">;
  readonly exited: Promise<ChildExit>;
  /** Everything the child (and the module) wrote to stderr so far. */
  stderr(): string;
  kill(): Promise<ChildExit>;
}

/** The wire format, shared with CHILD_SOURCE. */
type Request = { id: number; method: string; args: unknown[] };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code: number };

/** Structured clone turns Buffers into Uint8Arrays; pkcs11js wants Buffers back (handles, templates). */
function revive(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]));
  }
  return value;
}

/**
 * The child, as plain JavaScript: loading tsx would add about half a second to each of the many short-lived
 * children. It calls pkcs11js methods by name and sends back the value or the error's CKR code. The parent
 * ends it by disconnecting or killing it; no C_Finalize, as for a stuck vendor module.
 */
const CHILD_SOURCE = `
import pkcs11js from "pkcs11js";
const revive = (value) => {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]));
  }
  return value;
};
const p11 = new pkcs11js.PKCS11();
process.on("message", async ({ id, method, args }) => {
  try {
    if (typeof p11[method] !== "function") throw new Error("no pkcs11js method " + method);
    const value = await p11[method](...args.map(revive));
    process.send({ id, ok: true, value: value ?? null });
  } catch (error) {
    process.send({ id, ok: false, message: error?.message ?? String(error), code: error?.code ?? 0 });
  }
});
process.on("disconnect", () => process.exit(0));
`;

/** Starts a child with `env` added to this process's environment and loads `modulePath` in it. */
export async function startFaultChild(modulePath: string, env: Record<string, string>): Promise<FaultChild> {
  const child: ChildProcess = spawn(process.execPath, ["--input-type=module", "--eval", CHILD_SOURCE], {
    cwd: REPO_ROOT, // where `import "pkcs11js"` in the evaluated source resolves from
    env: { ...process.env, ...env },
    serialization: "advanced",
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<ChildExit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  child.on("message", (message: Reply) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(revive(message.value));
    else waiter?.reject(new ChildCallError(message.message, message.code));
  });
  void exited.then(({ code, signal }) => {
    for (const waiter of pending.values()) waiter.reject(new ChildCallError(`child exited (${signal ?? code})`, 0));
    pending.clear();
  });

  const call = <T>(method: string, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, method, args } satisfies Request);
    });

  const faultChild: FaultChild = {
    call,
    async callWithin<T>(ms: number, method: string, ...args: unknown[]): Promise<T | "timeout"> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
      try {
        return await Promise.race([call<T>(method, ...args), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    exited,
    stderr: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
  await call("load", modulePath);
  return faultChild;
}
