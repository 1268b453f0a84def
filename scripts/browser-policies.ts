/**
 * `npm run browser-policies -- <policy.json> [out-dir]`: writes the browser policy templates for the portals a KySo
 * machine policy allows (main/core/policy/browser-policies.ts) into out-dir (default `deploy/browsers/`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadPolicy, PolicyFileError } from "../main/core/policy/load-policy.js";
import { browserPolicyFiles } from "../main/core/policy/browser-policies.js";
import { policyUuid } from "../main/core/deploy/browser-policy-writer.js";

const [policyPath, outDir = "deploy/browsers"] = process.argv.slice(2);
if (!policyPath) {
  console.error("usage: npm run browser-policies -- <policy.json> [out-dir]");
  process.exit(2);
}
let policy;
try {
  policy = loadPolicy(resolve(policyPath));
} catch (error) {
  if (!(error instanceof PolicyFileError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// Name-based UUIDs (same policy, same profile) so re-generating does not make MDMs see a new profile; the same ones
// the per-machine install writes (main/core/deploy/browser-policy-writer.ts).
for (const file of browserPolicyFiles(policy, policyUuid([...policy.allowedOrigins].sort()))) {
  const target = join(outDir, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.text);
  console.log(`${target}  →  ${file.installTo}`);
}
