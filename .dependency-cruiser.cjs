/**
 * KySo's layer rules (issue 11, style habit 1), checked by `npm run lint` through dependency-cruiser.
 *
 *   renderer → preload → main/electron → main/core → native → main/domain
 *
 * Each layer may import the layers to its right, never to its left; main/domain imports nothing of KySo; the SDK
 * (code that runs in a portal's page) imports nothing of KySo; test/ code is never imported by product code.
 * Browser code (renderer) may see the layers below only through type-only imports: the values cross the preload
 * bridge at run time.
 */
const KYSO = "^(main|native|preload|renderer|sdk|test|scripts|sandbox)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes two modules one layer in disguise; break it by moving the shared part down.",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-imports-nothing-of-kyso",
      severity: "error",
      comment: "main/domain is the bottom layer every other layer shares: it imports only itself and libraries.",
      from: { path: "^main/domain/" },
      to: { path: KYSO, pathNot: "^main/domain/" },
    },
    {
      name: "native-imports-only-domain",
      severity: "error",
      comment: "native (PKCS#11 host) sits under main/core: it may import main/domain and itself only.",
      from: { path: "^native/" },
      to: { path: KYSO, pathNot: "^(native|main/domain)/" },
    },
    {
      name: "core-does-not-reach-up",
      severity: "error",
      comment:
        "main/core is plain Node under the Electron shell: it may import native and main/domain (the wire types are " +
        "main/domain/wire; the SDK ships a generated copy of them), nothing above it.",
      from: { path: "^main/core/" },
      to: { path: KYSO, pathNot: "^(main/core|native|main/domain)/" },
    },
    {
      name: "electron-does-not-reach-up",
      severity: "error",
      comment: "main/electron wires the core into Electron; it may read preload's API types, never renderer code.",
      from: { path: "^main/electron/" },
      to: { path: "^(renderer|test|scripts|sandbox)/" },
    },
    {
      name: "preload-does-not-reach-up",
      severity: "error",
      comment: "preload exposes the typed API to the renderer; it never imports the renderer.",
      from: { path: "^preload/" },
      to: { path: "^(renderer|test|scripts|sandbox)/" },
    },
    {
      name: "renderer-sees-lower-layers-as-types-only",
      severity: "error",
      comment:
        "The renderer runs sandboxed in Chromium: anything from main/ or native/ reaches it through preload. One " +
        "exception, pure main/domain modules the UI must agree on with the main process: main/domain/messages/ (the UI " +
        "message catalogue, one file per language, shared with the Electron shell and the PDF stamp, and its fill " +
        "function) and main/domain/display-name.ts (the certificate name the stamp prints). They are data and pure " +
        "functions importing only main/domain types; bundling them gives the renderer no capability, and a second " +
        "copy in the renderer is exactly the drift issue 11 removed.",
      from: { path: "^renderer/" },
      to: { path: "^(main|native|test|scripts|sandbox)/", pathNot: "^main/domain/(messages/|display-name\\.ts$)", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "sdk-imports-nothing-of-kyso",
      severity: "error",
      comment: "The SDK ships to portals' pages on its own: it imports nothing of KySo.",
      from: { path: "^sdk/" },
      to: { path: KYSO, pathNot: "^sdk/" },
    },
    {
      name: "no-test-code-in-product",
      severity: "error",
      comment:
        "Test helpers never ship: only test/ may import test/. This covers every other folder, sandbox/ and " +
        "scripts/ included (the sandbox's browser transport and demo tokens live in sandbox/; tests import them).",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment:
        "A relative import the tool cannot resolve is one it cannot check. Packages are left to tsc (some resolve " +
        "only through export conditions); the sandbox portal's page script imports the SDK by URL, not by file.",
      from: { pathNot: "^sandbox/portal/" },
      to: { couldNotResolve: true, path: "^\\.{1,2}/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: {
      path: "^(node_modules|dist|out|release|test-results|playwright-report|native/fault-module/build|test/fixtures/\\.generated|\\.kyso-sandbox)/",
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
  },
};
