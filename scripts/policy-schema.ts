/**
 * Writes docs/policy.schema.json from the zod schema (main/core/policy/policy-json-schema.ts). Run after changing
 * the policy schema: `npm run policy-schema`. A unit test fails while the published file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { policySchemaText } from "../main/core/policy/policy-json-schema.js";

const target = fileURLToPath(new URL("../docs/policy.schema.json", import.meta.url));
writeFileSync(target, policySchemaText());
console.log(`wrote ${target}`);
