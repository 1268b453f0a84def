import type { KnipConfig } from "knip";

/**
 * `npm run lint:unused`: dependencies nothing imports, imports of packages not declared, and files nothing reaches
 * (issue 11, housekeeping). Unused exports and types are not checked here (a later step).
 *
 * knip follows imports from the entry points below; its vite, vitest, playwright and eslint plugins add the
 * renderer (vite.config.ts), the unit/integration tests (vitest.config.ts), the e2e specs (playwright.config.ts)
 * and the lint config on their own. The entries listed are the ones nothing imports because they are started by
 * path: Electron, a child process, a worker thread, or an npm script.
 */
const config: KnipConfig = {
  entry: [
    // Electron's main process ("main" in package.json points at its compiled form) and the sandboxed preload.
    "main/electron/main.ts",
    "preload/preload.cts",
    // The PKCS#11 token host: forked by path (main/core/tokens/host-spawner.ts, Electron's utilityProcess).
    "native/host/host-main.ts",
    // The document worker thread and its source-mode bootstrap: `new Worker(url)` (signing/worker/document-workers.ts).
    "main/core/signing/worker/document-worker.ts",
    "main/core/signing/worker/source-bootstrap.mjs",
    // The published SDK (sdk/package.json "exports") and the demo portal page that loads it by URL.
    "sdk/src/index.ts",
    "sandbox/portal/portal.js",
    // npm scripts and generators run with node/tsx.
    "scripts/*.{ts,mjs}",
    // Benchmark cases: test/bench/run.ts starts each `case-<name>.ts` in its own process by path.
    "test/bench/case-*.ts",
    // One measurement per process, started by path from case-pades.ts.
    "test/bench/pdf-signing.ts",
    // A probe run by hand (`npx tsx test/bench/worker-transfer.ts worker 100 3`): docs/performance.md 4c.
    "test/bench/worker-transfer.ts",
    // The compiled idle core, run by path on plain Node from idle-core.ts.
    "test/bench/idle-core-entry.mjs",
    // Child processes the integration tests fork by path.
    "test/**/*-child.ts",
  ],
  project: [
    "main/**/*.{ts,tsx,mts,cts,mjs}",
    "native/**/*.{ts,mts,cts,mjs}",
    "preload/**/*.{ts,cts}",
    "renderer/**/*.{ts,tsx}",
    "sdk/src/**/*.ts",
    "scripts/**/*.{ts,mjs}",
    "sandbox/**/*.{ts,js}",
    "test/**/*.{ts,tsx,mjs,cjs}",
    "*.config.ts",
  ],
  ignore: [
    // Ambient types for the renderer (Vite's client types): tsconfig includes it, nothing imports it.
    "renderer/src/vite-env.d.ts",
  ],
  ignoreDependencies: [
    // Read as a font file through require.resolve("dejavu-fonts-ttf/package.json") (signing/pdf/appearance.ts),
    // which knip cannot see as an import.
    "dejavu-fonts-ttf",
    // The same for the text presets' Tinos subsets: require.resolve("@fontsource/tinos/files/…woff")
    // (signing/pdf/presets/text-face.ts).
    "@fontsource/tinos",
  ],
  // The portal page imports the SDK by URL ("./sdk/index.js", served transpiled by sandbox/portal/serve-portal.ts).
  ignoreUnresolved: ["./sdk/index.js"],
  rules: {
    exports: "off",
    types: "off",
    nsExports: "off",
    nsTypes: "off",
    enumMembers: "off",
    classMembers: "off",
    duplicates: "off",
  },
};

export default config;
