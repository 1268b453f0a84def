import globalSetup from "./global-setup.js";

/** Playwright runs its own global setup; the fixtures are the same as the vitest integration suites'. */
export default globalSetup;
