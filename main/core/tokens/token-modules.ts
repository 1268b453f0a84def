/**
 * The PKCS#11 modules behind the token service: one entry per discovered module, with its host, its diagnostic
 * and the tokens it reported last. Probing, listing and slot-event polling live here; what to do with the
 * tokens (certificates, events, PIN cache) is the service's business (create-token-service.ts).
 */
import type { ModuleDiagnostic, TokenInfo } from "../../domain/token.js";
import type { HostToken } from "../../../native/host/protocol.js";
import { HostSupervisor } from "./host-supervisor.js";
import type { HostSpawner } from "./host-spawner.js";
import { discoverModules, type DiscoveryEnvironment, type ModuleCandidate, type ModuleSources } from "./module-discovery.js";
import { probeFailure } from "./probe-failure.js";
import type { HostTimeouts, RestartBackoff } from "./timeouts.js";

export interface ModuleEntry {
  readonly candidate: ModuleCandidate;
  diagnostic: ModuleDiagnostic;
  supervisor?: HostSupervisor;
  tokens: readonly TokenInfo[];
  /** Whether the module reports slot events (learnt on the first poll); undefined until asked. */
  slotEvents?: boolean;
  /** Polls since the last full slot listing. */
  quietPolls: number;
}

/** Even a module that reports slot events gets a full listing this often, in case it misses one. */
export const FULL_LIST_EVERY = 5;

export function createModuleEntries(sources: ModuleSources, discovery?: DiscoveryEnvironment): ModuleEntry[] {
  return discoverModules(sources, discovery).map((candidate) => ({
    candidate,
    diagnostic: { id: candidate.id, path: candidate.path, source: candidate.source, ...vendor(candidate), status: { kind: "starting" } },
    tokens: [],
    quietPolls: 0,
  }));
}

export interface ProbeContext {
  readonly spawner: HostSpawner;
  readonly backoff: RestartBackoff;
  readonly timeouts: HostTimeouts;
  /** A new host lifetime: the service drops what belonged to the old one (PIN cache logins). */
  readonly onHostExit: (module: ModuleEntry) => void;
  /** A replacement host answers again after a crash: the service re-lists and tells the UI. */
  readonly onHostRestarted?: (module: ModuleEntry) => void;
}

/** Starts the module's host and lists its tokens; a failure becomes the module's diagnostic, never a throw. */
export async function probeModule(module: ModuleEntry, context: ProbeContext): Promise<void> {
  const { timeouts } = context;
  const supervisor = new HostSupervisor(module.candidate.path, context.spawner, context.backoff, {
    onHostExit: () => {
      // A new host lifetime: its slot-event queue starts empty, so list the slots on the next poll.
      module.quietPolls = FULL_LIST_EVERY;
      context.onHostExit(module);
    },
    onHostReady: (event) => {
      if (event.restarted) context.onHostRestarted?.(module);
    },
  }, timeouts.startupMs);
  try {
    const info = await supervisor.request("probe", {}, timeouts.enumerationMs);
    module.supervisor = supervisor;
    const tokens = await listModuleTokens(module, timeouts);
    module.diagnostic = {
      ...module.diagnostic,
      status: { kind: "ready", library: `${info.description} ${info.libraryVersion} (${info.manufacturer})`, tokens: tokens.length },
    };
  } catch (error) {
    supervisor.close();
    module.supervisor = undefined;
    const failure = probeFailure(error, module.candidate.path, timeouts.startupMs);
    module.diagnostic = { ...module.diagnostic, status: { kind: "failed", reason: failure.reason, code: failure.code } };
  }
}

export async function listModuleTokens(module: ModuleEntry, timeouts: HostTimeouts): Promise<readonly TokenInfo[]> {
  const supervisor = module.supervisor;
  if (!supervisor) return [];
  const result = await supervisor.request("listTokens", {}, timeouts.enumerationMs);
  module.tokens = result.tokens.map((token) => tokenInfo(module.candidate.id, token));
  if (module.diagnostic.status.kind === "ready") module.diagnostic = { ...module.diagnostic, status: { ...module.diagnostic.status, tokens: module.tokens.length } };
  return module.tokens;
}

/**
 * For the timer: modules with slot events are listed only when one is reported (or every FULL_LIST_EVERY).
 * Returns `"event"` when the module reported a slot event (a token may have changed without changing its id),
 * `"listed"` after a plain listing, `"quiet"` when nothing was listed.
 */
export async function pollModule(module: ModuleEntry, timeouts: HostTimeouts): Promise<"event" | "listed" | "quiet"> {
  const supervisor = module.supervisor;
  if (!supervisor) return "quiet";
  let outcome: "event" | "listed" = "listed";
  if (module.slotEvents !== false && module.quietPolls < FULL_LIST_EVERY) {
    const { events } = await supervisor.request("slotEvents", {}, timeouts.enumerationMs);
    module.slotEvents = events !== "unsupported";
    if (events === "none") {
      module.quietPolls++;
      return "quiet";
    }
    if (events === "changed") outcome = "event";
  }
  module.quietPolls = 0;
  await listModuleTokens(module, timeouts);
  return outcome;
}

function vendor(candidate: ModuleCandidate): { vendor?: string } {
  return candidate.vendor ? { vendor: candidate.vendor } : {};
}

/** The host's token key is the part of TokenInfo.id after the module id. */
export function keyOf(token: TokenInfo): string {
  return token.id.slice(token.moduleId.length + 1);
}

function tokenInfo(moduleId: string, token: HostToken): TokenInfo {
  return {
    id: `${moduleId}:${token.key}`,
    label: token.label,
    manufacturer: token.manufacturer,
    model: token.model,
    serial: token.serial,
    moduleId,
    pinStatus: token.pinStatus,
    protectedAuthenticationPath: token.protectedAuthenticationPath,
    loginRequired: token.loginRequired,
  };
}

/** What counts as a change worth an event: a token in or out, or its PIN state. */
export function tokensSignature(tokens: readonly TokenInfo[]): string {
  return tokens
    .map((token) => `${token.id}|${token.pinStatus}`)
    .sort()
    .join(",");
}
