/**
 * Which PKCS#11 modules to try, in order: (1) the machine policy, (2) paths the user added, (3) the driver
 * catalogue's known file names in this OS's standard directories. Policy and user paths are kept even when the
 * file is missing (the diagnostics page must say so); catalogue paths only when the file exists. The same file
 * reached twice (symlinks, a path listed by policy and catalogue) is tried once, under its first source.
 */
import { createHash } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import type { ModuleSource } from "../../domain/token.js";
import { asCataloguePlatform, catalogueCandidates, vendorOf } from "../../../native/drivers/catalogue.js";

export interface ModuleCandidate {
  readonly id: string;
  readonly path: string;
  readonly source: ModuleSource;
  readonly vendor?: string;
}

export interface ModuleSources {
  readonly policy?: readonly string[];
  readonly user?: readonly string[];
  /** Look up the driver catalogue (default true). Tests turn it off to control the module list. */
  readonly catalogue?: boolean;
}

export interface DiscoveryEnvironment {
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
  readonly exists?: (path: string) => boolean;
  readonly realpath?: (path: string) => string;
}

/** Stable id of a module: derived from its path so TokenInfo ids survive restarts. */
export function moduleId(path: string): string {
  return `m-${createHash("sha256").update(path).digest("hex").slice(0, 12)}`;
}

export function discoverModules(sources: ModuleSources, environment: DiscoveryEnvironment = {}): ModuleCandidate[] {
  const exists = environment.exists ?? existsSync;
  const realpath =
    environment.realpath ??
    ((path: string) => {
      try {
        return realpathSync(path);
      } catch {
        return path;
      }
    });
  const seen = new Set<string>();
  const candidates: ModuleCandidate[] = [];
  const add = (path: string, source: ModuleSource, vendor: string | undefined): void => {
    const key = exists(path) ? realpath(path) : path;
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push({ id: moduleId(path), path, source, ...(vendor ? { vendor } : {}) });
  };
  for (const path of sources.policy ?? []) add(path, "policy", vendorOf(path));
  for (const path of sources.user ?? []) add(path, "user", vendorOf(path));
  const platform = asCataloguePlatform(environment.platform ?? process.platform);
  if ((sources.catalogue ?? true) && platform) {
    for (const candidate of catalogueCandidates(platform, environment.env ?? process.env)) {
      if (exists(candidate.path)) add(candidate.path, "catalogue", candidate.vendor);
    }
  }
  return candidates;
}
