/**
 * Creates the core for the app (main/core/kyso-core.ts `createCore`), with token hosts in Electron utility
 * processes and the data in the user's profile.
 */
import type { Language } from "../core/errors/kyso-error.js";
import type { ShellCore } from "./shell-core.js";

export interface ShellCoreOptions {
  readonly dataDir: string;
  readonly language: Language;
  readonly policyFile?: string;
}

type CreateCore = (options: ShellCoreOptions & Record<string, unknown>) => ShellCore;

export async function loadCore(options: ShellCoreOptions, extra: Record<string, unknown> = {}): Promise<ShellCore> {
  // Resolved at run time while the composition root is being written in parallel; becomes a static import once
  // main/core/kyso-core.ts exists.
  const specifier = "../core/kyso-core.js";
  const { createCore } = (await import(specifier)) as { createCore: CreateCore };
  return createCore({ ...options, ...extra });
}
