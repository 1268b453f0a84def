/**
 * The machine policy as JSON Schema, generated from the zod schema so the published file (`docs/policy.schema.json`,
 * for admins' editors and their configuration tools) and the registry/plist readers can never disagree with what
 * KySo validates. `io: "input"` describes what an admin writes (defaults optional), not the parsed result.
 */
import { z } from "zod";
import { policySchema } from "./policy-schema.js";

export interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly enum?: readonly unknown[];
  readonly [key: string]: unknown;
}

let cached: JsonSchemaNode | undefined;

export function policyJsonSchema(): JsonSchemaNode {
  cached ??= {
    ...(z.toJSONSchema(policySchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode),
    $id: "https://kyso.vn/schema/policy-v1.json",
    title: "KySo machine policy",
  };
  return cached;
}

/** The schema of `path` (object keys) inside the policy schema, or undefined for a key the policy does not have. */
export function schemaAt(path: readonly string[]): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = policyJsonSchema();
  for (const key of path) node = node?.properties?.[key];
  return node;
}

/** The policy's own spelling of a key an admin may have typed in another case (registry values are case-insensitive). */
export function canonicalKey(path: readonly string[], key: string): string {
  const properties = schemaAt(path)?.properties;
  if (!properties) return key;
  return Object.keys(properties).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
}

/** Primitive type the schema expects at a node (first of a union), for converting registry and plist values. */
export function primitiveType(node: JsonSchemaNode | undefined): string | undefined {
  if (!node) return undefined;
  if (typeof node.type === "string") return node.type;
  if (Array.isArray(node.type)) return node.type[0] as string;
  return node.anyOf?.map(primitiveType).find((t) => t !== undefined);
}

/** The published file's exact text (docs/policy.schema.json). */
export function policySchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}
