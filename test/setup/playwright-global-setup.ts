import globalSetup from "./global-setup.js";
import { ensureRendererBuilt } from "../../sandbox/browser-transport/ensure-renderer-built.js";

/** Playwright runs its own global setup; the fixtures are the same as the vitest integration suites'. */
export default async function playwrightGlobalSetup(): Promise<void> {
  await globalSetup();
  // Built once here, so no test pays for Vite (and none races another to build).
  await ensureRendererBuilt();
}
