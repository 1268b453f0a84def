import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser: `npx playwright install` cannot work on a
 * closed network). The flags keep it from reaching for Google's services, which this network refuses.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./test/setup/playwright-global-setup.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: "test-results/e2e",
  reporter: process.env.KYSO_PW_JSON ? [["json", { outputFile: process.env.KYSO_PW_JSON }], ["list"]] : [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: process.env.KYSO_CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
