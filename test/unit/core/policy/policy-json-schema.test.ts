import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { policyJsonSchema, policySchemaText } from "../../../../main/core/policy/policy-json-schema.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";

describe("published policy JSON Schema", () => {
  it("docs/policy.schema.json is the schema generated from the validator (run `npm run policy-schema` after a change)", () => {
    const published = readFileSync(new URL("../../../../docs/policy.schema.json", import.meta.url), "utf8");
    expect(published).toBe(policySchemaText());
  });

  it("names every key the validator accepts and refuses unknown ones, as the validator does", () => {
    const schema = policyJsonSchema();
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(policySchema.shape).sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties?.revocationCheck?.enum).toEqual(["off", "warn", "require"]);
  });
});
