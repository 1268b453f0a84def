import { readFileSync } from "node:fs";
import { defaultPolicy, policySchema, type KysoPolicy } from "./policy-schema.js";

/** Thrown for an unreadable or invalid policy file: the app and the sandbox show `message` and stop. */
export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid policy file ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PolicyFileError";
  }
}

/** Largest policy file read: a policy is a few kilobytes; anything bigger is a mistake. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

export function parsePolicy(text: string, file = "<policy>"): KysoPolicy {
  if (text.length > MAX_POLICY_FILE_BYTES) throw new PolicyFileError(file, [`larger than ${MAX_POLICY_FILE_BYTES} bytes`]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(file, [`not JSON: ${(error as Error).message}`]);
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    throw new PolicyFileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** No file → the default policy; a file that exists but is wrong → PolicyFileError (never silently ignored). */
export function loadPolicy(file: string | undefined): KysoPolicy {
  if (!file) return defaultPolicy();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PolicyFileError(file, [`cannot read: ${(error as Error).message}`]);
  }
  return parsePolicy(text, file);
}
