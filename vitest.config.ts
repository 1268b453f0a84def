import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each test file runs in its own process: SoftHSM reads SOFTHSM2_CONF once per process, and the token host
    // tests fork, crash and kill children.
    pool: "forks",
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/unit/**/*.test.tsx"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/setup/global-setup.ts"],
          environment: "node",
        },
      },
    ],
  },
});
