#!/usr/bin/env node
/**
 * `npm test`: every check the project has, in one run, ending with the line CI reads: `N passed, N failed`.
 * First the system-package preflight (scripts/setup-system.sh); when packages are missing and cannot be installed
 * its one message is all that is printed, and the exit code is non-zero.
 * Typecheck and lint count as one check each; vitest and Playwright report per test through their JSON reporters
 * (CI does not read their own summaries).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const results = join(process.cwd(), "test-results");
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
// The names of failed tests, printed in the summary: a CI log is often read from its tail only.
const failures = [];
const firstLine = (text) => String(text ?? "").split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 300) ?? "";

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const outcome = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { status: outcome.status ?? 1, seconds };
}

function check(label, command, args) {
  const { status, seconds } = run(label, command, args);
  if (status === 0) totals.passed++;
  else totals.failed++;
  lines.push(`${label}: ${status === 0 ? "ok" : "FAILED"} (${seconds} s)`);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

// The suites need system packages (SoftHSM, Chromium, the verifiers). scripts/setup-system.sh, shared with .ci/run,
// checks them and installs what is missing (as root or with password-less sudo), or prints one message listing
// them and the command to run: then nothing else runs, and the exit code says it failed.
if (wanted("vitest") || wanted("e2e")) {
  const setup = spawnSync("bash", [join(import.meta.dirname, "setup-system.sh")], { stdio: "inherit" });
  if (setup.error) console.log(`system packages: not checked (${setup.error.message})`);
  else if (setup.status !== 0) process.exit(setup.status ?? 1);
}

if (wanted("typecheck")) check("typecheck", "npm", ["run", "--silent", "typecheck"]);
if (wanted("lint")) check("lint", "npm", ["run", "--silent", "lint"]);

if (wanted("vitest")) {
  const file = join(results, "vitest.json");
  rmSync(file, { force: true });
  const { status, seconds } = run("unit + integration", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${file}`]);
  const report = readJson(file);
  if (report) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A suite that fails to load has no tests to count: count the file itself.
    const brokenFiles = report.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
    totals.failed += brokenFiles;
    for (const file of report.testResults) {
      const name = file.name.replace(process.cwd() + "/", "");
      if (file.status === "failed" && file.assertionResults.length === 0) failures.push(`${name}: ${firstLine(file.message)}`);
      for (const test of file.assertionResults) {
        if (test.status === "failed") failures.push(`${name} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      }
    }
    lines.push(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed, ${report.numPendingTests} skipped (${seconds} s)`);
  } else {
    totals.failed++;
    lines.push(`vitest: no report (exit ${status})`);
  }
}

if (wanted("e2e")) {
  const file = join(results, "playwright.json");
  rmSync(file, { force: true });
  const { status, seconds } = run("e2e", "npx", ["playwright", "test"], { KYSO_PW_JSON: file });
  const report = readJson(file);
  if (report?.stats) {
    const { expected, unexpected, flaky, skipped } = report.stats;
    totals.passed += expected + flaky;
    totals.failed += unexpected;
    totals.skipped += skipped;
    const loadErrors = report.errors?.length ?? 0;
    totals.failed += loadErrors;
    for (const error of report.errors ?? []) failures.push(`playwright: ${firstLine(error.message)}`);
    const walk = (suite, path) => {
      for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests ?? []) {
          if (test.status !== "unexpected") continue;
          const last = test.results?.at(-1);
          failures.push(`${spec.file}:${spec.line} > ${[...path, spec.title].filter(Boolean).join(" > ")}: ${firstLine(last?.error?.message)}`);
        }
      }
    };
    for (const suite of report.suites ?? []) walk(suite, []);
    lines.push(`e2e: ${expected + flaky} passed, ${unexpected + loadErrors} failed, ${skipped} skipped (${seconds} s)`);
  } else {
    totals.failed++;
    lines.push(`e2e: no report (exit ${status})`);
  }
}

console.log("\n=== summary");
for (const failure of failures) console.log(`FAILED ${failure}`);
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
