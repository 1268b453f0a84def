/**
 * The policy the sandbox runs under. The demo portal is a plain-http page on loopback (a developer origin), so a
 * policy file given with `--policy` would refuse it: the sandbox adds the portal's origin to that policy's
 * allowlist (and turns `developerOrigins` on, without which the bridge refuses every http origin at the
 * handshake) and says so in its banner, instead of starting a demo that silently cannot connect.
 */
import { loadPolicy, PolicyFileError } from "../main/core/policy/load-policy.js";
import { policySchema, type KysoPolicy, type RemoteProviderPolicy } from "../main/core/policy/policy-schema.js";

export interface SandboxPolicy {
  readonly policy: KysoPolicy;
  /** One line for the banner: where the policy came from and what the sandbox changed in it. */
  readonly description: string;
}

/** A problem the sandbox reports as one line and stops on (the CLI prints `sandbox: <message>`, exit code 2). */
export class SandboxStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, " "), options);
    this.name = "SandboxStartError";
  }
}

/** Reads and validates a policy file; any problem becomes one SandboxStartError line listing every issue. */
export function readSandboxPolicyFile(file: string): KysoPolicy {
  try {
    return loadPolicy(file);
  } catch (error) {
    if (error instanceof PolicyFileError) throw new SandboxStartError(`invalid policy file ${file}: ${error.problems.join("; ")}`, { cause: error });
    throw error;
  }
}

/** The policy file's policy with the demo portal allowed, or the built-in sandbox policy when there is no file. */
export function sandboxPolicy(portalOrigin: string, file?: { readonly path: string; readonly policy: KysoPolicy }): SandboxPolicy {
  if (!file) {
    return {
      policy: policySchema.parse({ developerOrigins: true, allowedOrigins: [portalOrigin] }),
      description: `built-in (allowlist ${portalOrigin}, developer origins on)`,
    };
  }
  const { policy, path } = file;
  const changes: string[] = [];
  if (!policy.allowedOrigins.includes(portalOrigin)) changes.push(`demo portal ${portalOrigin} added to allowedOrigins`);
  if (!policy.developerOrigins) changes.push("developerOrigins turned on (the demo portal is a loopback http page)");
  return {
    policy: { ...policy, allowedOrigins: [...new Set([...policy.allowedOrigins, portalOrigin])], developerOrigins: true },
    description: changes.length === 0 ? path : `${path}; the sandbox changed it: ${changes.join("; ")}`,
  };
}

/**
 * With the demo tokens, their test root is a trust anchor, so the approval's chain line shows what a real CA's
 * certificate shows (the anchor named) instead of "no trusted root" on every demo certificate. Never with the
 * developer's own token (`--module`): that one chains, or not, to the roots the policy really has.
 */
export function withDemoRoot(sandbox: SandboxPolicy, rootPem: string): SandboxPolicy {
  if (sandbox.policy.trustAnchors.includes(rootPem)) return sandbox;
  return {
    policy: { ...sandbox.policy, trustAnchors: [...sandbox.policy.trustAnchors, rootPem] },
    description: `${sandbox.description}; the demo tokens' test root added to trustAnchors`,
  };
}

/**
 * `--remote`: the local remote-signing server's providers (one per dialect) join the policy's, replacing any of the
 * same id, and the banner says so. Their made-up secrets exist only in this sandbox.
 */
export function withRemoteAccounts(sandbox: SandboxPolicy, providers: readonly RemoteProviderPolicy[]): SandboxPolicy {
  const ids = new Set(providers.map((p) => p.id));
  const kept = sandbox.policy.remoteSigning.providers.filter((p) => !ids.has(p.id));
  return {
    policy: { ...sandbox.policy, remoteSigning: { ...sandbox.policy.remoteSigning, providers: [...kept, ...providers] } },
    description: `${sandbox.description}; the local remote-signing server's providers added to remoteSigning (${[...ids].join(", ")})`,
  };
}
