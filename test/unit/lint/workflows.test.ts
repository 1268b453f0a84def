/**
 * The GitHub workflows cannot run here, so they are at least checked the way GitHub would reject them: against the
 * workflow schema (@action-validator/core, SchemaStore's schema), plus the promises docs/admin.md makes about them.
 */
import { readFileSync, readdirSync } from "node:fs";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";

const dir = new URL("../../../.github/workflows/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));

describe("GitHub workflows", () => {
  it("there are ci and release workflows", () => expect(files.sort()).toEqual(["ci.yml", "release.yml"]));

  for (const file of files) {
    it(`${file} is valid against the workflow schema`, () => {
      const state = validateWorkflow(readFileSync(new URL(file, dir), "utf8")) as { errors: unknown[] };
      expect(state.errors).toEqual([]);
    });
  }

  it("the validator does reject a broken workflow (so a pass above means something)", () => {
    const broken = "name: x\non: push\njobs:\n  a:\n    steps:\n      - run: echo\n    runs_on: ubuntu-latest\n";
    expect((validateWorkflow(broken) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
  });

  it("ci runs the README's test command through .ci/run", () => {
    expect(readFileSync(new URL("ci.yml", dir), "utf8")).toContain("bash .ci/run");
  });

  it("release builds, installs silently, smoke-tests and uninstalls on Windows, macOS and Linux", () => {
    const text = readFileSync(new URL("release.yml", dir), "utf8");
    for (const needle of ["windows-", "macos-", "ubuntu-", "/S", "/allusers", "msiexec", "/qn", "installer -pkg", "installed-smoke.ts installed", "installed-smoke.ts uninstalled", "test/e2e/electron"]) {
      expect(text, needle).toContain(needle);
    }
  });
});
