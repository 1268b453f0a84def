/**
 * The `kyso` command's end of the channel to the running app (main/core/cli-channel/protocol.ts): finds the app's
 * data folder, reads this start's secret from `cli.token` and sends one JSON line per request.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { CLI_TOKEN_FILE, cliChannelPath, type CliMethod, type CliResponse } from "../core/cli-channel/protocol.js";
import type { ErrorPayload } from "../domain/errors/kyso-error.js";

/** The app is not running for this user (no secret, no socket, or nobody listening). */
export class AppNotRunning extends Error {}

/** The app answered with a refusal. */
export class AppRefused extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }
}

/**
 * Electron's `userData` for productName KySo on each OS (main/electron/main.ts passes it to the core);
 * `KYSO_DATA_DIR` points at another (the app's `KYSO_E2E_DATA_DIR`, tests).
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.KYSO_DATA_DIR) return env.KYSO_DATA_DIR;
  if (platform === "win32") return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "KySo");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "KySo");
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "KySo");
}

export interface ChannelClient {
  call(method: CliMethod, params: unknown): Promise<unknown>;
  close(): void;
}

export async function connectToApp(dataDir: string): Promise<ChannelClient> {
  let auth: string;
  try {
    auth = readFileSync(join(dataDir, CLI_TOKEN_FILE), "utf8").trim();
  } catch {
    throw new AppNotRunning("no cli.token");
  }
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(cliChannelPath(dataDir));
    s.once("connect", () => resolve(s));
    s.once("error", () => reject(new AppNotRunning("cannot connect")));
  });
  socket.setEncoding("utf8");
  const waiting = new Map<number, { resolve: (r: CliResponse) => void; reject: (e: Error) => void }>();
  let buffered = "";
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const response = JSON.parse(buffered.slice(0, newline)) as CliResponse;
      buffered = buffered.slice(newline + 1);
      waiting.get(response.id)?.resolve(response);
      waiting.delete(response.id);
    }
  });
  const fail = (): void => {
    for (const w of waiting.values()) w.reject(new AppNotRunning("the app closed the channel"));
    waiting.clear();
  };
  socket.on("close", fail);
  socket.on("error", fail);
  let next = 1;
  return {
    call(method, params) {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, {
          resolve: (response) => (response.ok ? resolve(response.result) : reject(new AppRefused(response.error))),
          reject,
        });
        socket.write(`${JSON.stringify({ id, auth, method, params })}\n`);
      });
    },
    close: () => socket.end(),
  };
}
