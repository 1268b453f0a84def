/**
 * A TokenService on a private copy of the fixture tokens, with its hosts' stdout/stderr captured so tests can
 * grep it (the PIN must never appear there).
 */
import {
  createTokenService,
  forkSpawner,
  type HostProcess,
  type KysoTokenService,
  type TokenServiceOptions,
} from "../../main/core/tokens/index.js";
import { copyFixtureTokens, type TokenCopy } from "../fixtures/index.js";

export interface TokenHarness {
  readonly tokens: TokenCopy;
  readonly service: KysoTokenService;
  readonly output: string[];
  /** Every host process started, in order (tests kill or stop them to simulate crashes and hangs). */
  readonly hosts: HostProcess[];
  /** Resolves with the next host process started (by a request or by the supervisor's own restart). */
  nextHost(): Promise<HostProcess>;
  /** Resolves when the next request for `op` has been handed to a host (the request is in flight from then on). */
  nextSent(op: string): Promise<void>;
  close(): Promise<void>;
}

export async function openTokenHarness(
  overrides: Partial<Omit<TokenServiceOptions, "spawner">> & { env?: Record<string, string>; modulePaths?: string[] } = {},
  tokens?: TokenCopy,
): Promise<TokenHarness> {
  const copy = tokens ?? (await copyFixtureTokens());
  const output: string[] = [];
  const hosts: HostProcess[] = [];
  let waiters: ((host: HostProcess) => void)[] = [];
  let sendWaiters: { op: string; resolve: () => void }[] = [];
  const { env, modulePaths, ...rest } = overrides;
  const fork = forkSpawner({ env: { SOFTHSM2_CONF: copy.softhsmConf, ...env }, onOutput: (chunk) => output.push(chunk) });
  const service = createTokenService({
    modules: { policy: modulePaths ?? [copy.manifest.modulePath], catalogue: false },
    spawner: {
      spawn(modulePath) {
        const host = fork.spawn(modulePath);
        const send = host.send.bind(host);
        host.send = (message: unknown): void => {
          send(message);
          const op = (message as { op?: unknown }).op;
          const woken = sendWaiters.filter((waiter) => waiter.op === op);
          sendWaiters = sendWaiters.filter((waiter) => waiter.op !== op);
          for (const waiter of woken) waiter.resolve();
        };
        hosts.push(host);
        const woken = waiters;
        waiters = [];
        for (const wake of woken) wake(host);
        return host;
      },
    },
    pollIntervalMs: 0,
    timeouts: { enumerationMs: 5_000, signingMs: 5_000, loginMs: 5_000 },
    restartBackoff: { initialMs: 50, maxMs: 500 },
    ...rest,
  });
  await service.ready();
  return {
    tokens: copy,
    service,
    output,
    hosts,
    nextHost: () => new Promise<HostProcess>((resolve) => waiters.push(resolve)),
    nextSent: (op) => new Promise<void>((resolve) => sendWaiters.push({ op, resolve })),
    async close() {
      await service.close();
      if (!tokens) await copy.cleanup();
    },
  };
}
