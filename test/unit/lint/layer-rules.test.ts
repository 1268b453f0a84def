/**
 * The layer rules of `.dependency-cruiser.cjs` (run by `npm run lint`) catch wrong-way imports: we plant a few in
 * the real tree, run the real tool on them, and read its verdict (issue 11, "a true bottom layer").
 */
import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");
const run = promisify(execFile);

/** One `error <rule>: <from> → …` line of dependency-cruiser's default (`err`) report. */
interface Violation {
  readonly rule: string;
  readonly from: string;
}

/**
 * Runs dependency-cruiser with the project's config on `files`, as `npm run lint` does (the `err` reporter exits
 * non-zero on any error-level violation); resolves with whether it failed and the violations it printed.
 */
async function cruise(files: readonly string[]): Promise<{ failed: boolean; violations: Violation[] }> {
  const args = ["--config", ".dependency-cruiser.cjs", ...files];
  let failed = false;
  let report: string;
  try {
    report = (await run(DEPCRUISE, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    failed = true;
    report = (error as { stdout: string }).stdout;
  }
  const violations = [...report.matchAll(/^\s*error ([\w-]+): (\S+) →/gmu)].map(([, rule, from]) => ({ rule: rule!, from: from! }));
  return { failed, violations };
}

describe("layer rules (dependency-cruiser)", () => {
  it("fail on wrong-way imports, cycles and test code in product code, naming the rule", { timeout: 120_000 }, async () => {
    // Unique names: other runs (lint, tsc) may look at the tree meanwhile; the files go away in `finally`.
    const tag = `__planted-${process.pid}__`;
    const planted: Record<string, string> = {
      [`native/${tag}up.ts`]: `export { createCore } from "../main/core/kyso-core.js";\n`,
      [`main/domain/${tag}up.ts`]: `export { HostSupervisor } from "../../main/core/tokens/host-supervisor.js";\n`,
      [`main/core/${tag}test.ts`]: `export * from "../../test/helpers/verify-signature.js";\n`,
      // The sandbox is product code too: no static or dynamic import of test/ from sandbox/ or scripts/.
      [`sandbox/${tag}test.ts`]: `export * from "../test/fixtures/index.js";\n`,
      [`scripts/${tag}test.ts`]: `export const load = () => import("../test/fixtures/make-fixtures.js");\n`,
      [`native/${tag}cycle-a.ts`]: `import { b } from "./${tag}cycle-b.js";\nexport const a = (): number => b() + 1;\n`,
      [`native/${tag}cycle-b.ts`]: `import { a } from "./${tag}cycle-a.js";\nexport const b = (): number => a() + 1;\n`,
    };
    try {
      for (const [path, text] of Object.entries(planted)) await writeFile(join(ROOT, path), text);
      const { failed, violations } = await cruise(Object.keys(planted));
      const rulesFrom = (from: string) => violations.filter((v) => v.from === from).map((v) => v.rule);

      expect(failed).toBe(true);
      expect(rulesFrom(`native/${tag}up.ts`)).toContain("native-imports-only-domain");
      expect(rulesFrom(`main/domain/${tag}up.ts`)).toContain("domain-imports-nothing-of-kyso");
      expect(rulesFrom(`main/core/${tag}test.ts`)).toContain("no-test-code-in-product");
      expect(rulesFrom(`sandbox/${tag}test.ts`)).toContain("no-test-code-in-product");
      expect(rulesFrom(`scripts/${tag}test.ts`)).toContain("no-test-code-in-product");
      expect(rulesFrom(`native/${tag}cycle-a.ts`)).toContain("no-circular");
    } finally {
      await Promise.all(Object.keys(planted).map((path) => rm(join(ROOT, path), { force: true })));
    }
  });
});
