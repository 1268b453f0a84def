/**
 * Token hosts in Electron utility processes (the HostSpawner of main/core/tokens): a crashing or hanging PKCS#11
 * driver takes down its own process, never the app. Host output is kept out of the user's sight; it goes to the
 * main process log only when KYSO_DEBUG_HOSTS is set, since a vendor driver may print anything.
 */
import { utilityProcess } from "electron";
import type { HostExit, HostProcess, HostSpawner } from "../core/tokens/host-spawner.js";

export function utilityProcessSpawner(hostEntry: string): HostSpawner {
  return {
    spawn(modulePath) {
      const child = utilityProcess.fork(hostEntry, [modulePath], {
        serviceName: "KySo token host",
        stdio: "pipe",
        // The host reads SOFTHSM2_CONF and vendor variables: same environment as the app.
        env: { ...process.env },
      });
      if (process.env.KYSO_DEBUG_HOSTS) {
        child.stdout?.on("data", (chunk: Buffer) => console.log(`[host ${child.pid ?? "?"}] ${chunk.toString("utf8")}`));
        child.stderr?.on("data", (chunk: Buffer) => console.error(`[host ${child.pid ?? "?"}] ${chunk.toString("utf8")}`));
      } else {
        child.stdout?.resume();
        child.stderr?.resume();
      }
      let exited = false;
      const exitListeners: ((exit: HostExit) => void)[] = [];
      child.once("exit", (code) => {
        exited = true;
        for (const listener of exitListeners) listener({ code, signal: null });
      });
      const handle: HostProcess = {
        get pid() {
          return child.pid;
        },
        send(message) {
          // A send racing with an exit must not throw; the supervisor fails the request on exit.
          if (!exited) {
            try {
              child.postMessage(message);
            } catch {
              // the process is going away
            }
          }
        },
        // In the main process the 'message' event carries the payload itself (the host side unwraps event.data).
        onMessage: (listener) => void child.on("message", listener),
        onExit: (listener) => void exitListeners.push(listener),
        kill() {
          // SIGKILL / TerminateProcess: a driver stuck inside a native call ignores anything gentler.
          const pid = child.pid;
          if (pid !== undefined && !exited) {
            try {
              process.kill(pid, "SIGKILL");
            } catch {
              child.kill();
            }
          }
        },
      };
      return handle;
    },
  };
}
