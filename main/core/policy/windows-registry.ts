/**
 * The machine policy from the Windows registry, as Group Policy (ADMX) or a `.reg` file writes it under
 * `HKLM\Software\Policies\KySo`: read with `reg query <key> /s` (no native addon, same output on every Windows
 * since XP) and turned into the same JSON a policy file holds, so one validator checks both.
 *
 * Two forms, never mixed (a half-JSON, half-values policy would be ambiguous about which wins):
 * - one string value `Policy` holding the whole JSON document;
 * - one value per key: REG_DWORD for numbers and booleans (0/1), REG_SZ for strings, REG_MULTI_SZ for lists, and a
 *   subkey for each nested object (`limits`, `ports`, `tsa`, `managed`). Names are matched without regard to case.
 */
import { PolicyFileError } from "./load-policy.js";
import { canonicalKey, primitiveType, schemaAt } from "./policy-json-schema.js";

export const REGISTRY_KEY = "HKLM\\Software\\Policies\\KySo";
const JSON_VALUE = "policy";

interface RegistryValue {
  readonly path: readonly string[];
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

/** `reg query` output → the values, with their subkey path below KySo's key. */
export function parseRegQuery(output: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  let path: string[] | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (/^HKEY_/i.test(line)) {
      const parts = line.trim().split("\\");
      const base = parts.findIndex((p) => p.toLowerCase() === "kyso");
      path = base < 0 ? undefined : parts.slice(base + 1);
      continue;
    }
    // "    name    REG_TYPE    data": four spaces separate the columns; policy key names have no spaces.
    const match = /^ {4}(\S+) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (match && path) values.push({ path, name: match[1]!, type: match[2]!, data: match[3] ?? "" });
  }
  return values;
}

/** The registry's policy as JSON text, or undefined when the key holds no value at all. */
export function registryPolicy(output: string, env: Readonly<Record<string, string | undefined>> = {}): string | undefined {
  const values = parseRegQuery(output);
  if (values.length === 0) return undefined;
  const whole = values.find((v) => v.path.length === 0 && v.name.toLowerCase() === JSON_VALUE);
  if (whole) {
    const others = values.filter((v) => v !== whole);
    if (others.length > 0) {
      throw new PolicyFileError(REGISTRY_KEY, [
        `the "Policy" JSON value and separate values (${others.map((v) => [...v.path, v.name].join("\\")).join(", ")}) are both set: use one form`,
      ]);
    }
    return whole.data;
  }
  const policy: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const value of values) {
    let target = policy;
    const path: string[] = [];
    for (const segment of value.path) {
      const key = canonicalKey(path, segment);
      path.push(key);
      const next = target[key];
      target = (typeof next === "object" && next !== null ? next : (target[key] = {})) as Record<string, unknown>;
    }
    const key = canonicalKey(path, value.name);
    const converted = convert(value, [...path, key], env);
    if (converted instanceof Error) problems.push(`${[...path, key].join("\\")}: ${converted.message}`);
    else target[key] = converted;
  }
  if (problems.length > 0) throw new PolicyFileError(REGISTRY_KEY, problems);
  return JSON.stringify(policy);
}

function convert(value: RegistryValue, path: readonly string[], env: Readonly<Record<string, string | undefined>>): unknown {
  const node = schemaAt(path);
  const expected = primitiveType(node);
  switch (value.type) {
    case "REG_DWORD":
    case "REG_QWORD": {
      const number = Number.parseInt(value.data, 16);
      if (!Number.isSafeInteger(number)) return new Error(`not a number: ${value.data}`);
      return expected === "boolean" ? number !== 0 : number;
    }
    case "REG_SZ":
      return scalar(value.data, expected);
    case "REG_EXPAND_SZ":
      // Driver paths are written as %SystemRoot%\System32\…; expand as Windows would for the reading process.
      return scalar(value.data.replace(/%([^%]+)%/g, (all, name: string) => env[name] ?? all), expected);
    case "REG_MULTI_SZ": {
      const items = value.data === "" ? [] : value.data.split("\\0");
      const itemType = primitiveType(node?.items);
      return items.map((item) => scalar(item, itemType));
    }
    default:
      return new Error(`unsupported registry type ${value.type}`);
  }
}

/** A string as the schema's type: REG_SZ "true"/"1" for booleans and digits for numbers are common admin habits. */
function scalar(text: string, expected: string | undefined): unknown {
  if (expected === "boolean" && /^(true|false|0|1)$/i.test(text)) return /^(true|1)$/i.test(text);
  if ((expected === "integer" || expected === "number") && /^-?\d+$/.test(text)) return Number(text);
  return text;
}
