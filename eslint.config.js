// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * Layers point one way: renderer → preload types → main/electron → main/core → native → main/domain (style habit 1).
 * The zones below make a wrong-way import a lint error instead of a review comment; the whole graph (every layer,
 * no cycles, no test code in product code) is checked by dependency-cruiser (`.dependency-cruiser.cjs`, `npm run lint`).
 */
const electronImports = [
  { name: "electron", message: "main/core and native run in plain Node: no Electron here." },
  { name: "electron-store", message: "electron-store imports electron; core code uses conf." },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      // The SDK's build output (sdk-package.test.ts builds it as portals get it): generated, not linted.
      "sdk/dist/**",
      "out/**",
      "release/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "test/fixtures/.generated/**",
      "test/artifacts/**",
      "native/fault-module/build/**",
      "test/verifiers/java/build/**",
      ".kyso-sandbox/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Use node:crypto (randomBytes/randomUUID) for anything that must be unguessable." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          // Promises flatten: an async function "returning" a promise hands back its value, so its caller waits for
          // the inner work too (the remote-phone e2e waited for the whole signing and never saw the phone step).
          selector: "TSTypeReference[typeName.name='Promise'] > TSTypeParameterInstantiation > TSTypeReference[typeName.name='Promise']",
          message: "Promise<Promise<T>> does not exist at run time (promises flatten): wrap the inner promise in an object, e.g. { done: Promise<T> }.",
        },
      ],
    },
  },
  {
    files: ["main/core/**", "native/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: electronImports,
          patterns: [
            { group: ["**/main/electron/**", "**/electron/*"], message: "core must not depend on the Electron shell." },
            { group: ["**/renderer/**", "**/preload/**"], message: "core must not depend on UI code." },
          ],
        },
      ],
    },
  },
  {
    files: ["native/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: electronImports,
          patterns: [
            { group: ["**/main/electron/**", "**/renderer/**", "**/preload/**"], message: "native is the bottom layer." },
            { group: ["**/main/core/bridge/**", "**/main/core/approval/**"], message: "native must not reach up into the bridge or approvals." },
          ],
        },
      ],
    },
  },
  {
    files: ["renderer/**", "sdk/**"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // The one exception: pure main/domain data and functions the UI must agree on with the main process
              // (the message catalogue, the certificate display name); see .dependency-cruiser.cjs for why.
              group: ["**/main/*", "!**/main/domain", "**/main/domain/*", "!**/main/domain/messages", "!**/main/domain/display-name.js", "**/native/**", "node:*"],
              message: "Browser code reaches the core only through the typed preload API (types may be imported).",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs", "**/*.cts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
