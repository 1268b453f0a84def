/**
 * Diagnostics shows the policy in force. Regression: a policy handed to the core already loaded (the sandbox's
 * `--policy`, an embedding shell) was reported as "no organisation policy", because diagnostics looked only at
 * whether a file path had been passed, not at the policy the core runs with.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore } from "../../../../main/core/kyso-core.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import type { SigningPort } from "../../../../main/core/bridge/signing-port.js";
import { noTokens } from "../../../helpers/no-tokens.js";

/** Ports only: diagnostics asks the token service for its modules and tokens, nothing signs. */
const tokens = noTokens;
const signing = { prepare: async () => ({}), sign: async () => ({}) } as unknown as SigningPort;

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kyso-diag-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const ORG = { allowedOrigins: ["https://dichvucong.gov.vn"], revocationCheck: "require", limits: { maxBatchItems: 50 }, managed: { language: "vi", pinCacheMinutes: 0 } };

describe("diagnostics: the effective policy", () => {
  it("a policy handed over already loaded → source 'provided', every key the organisation set and each managed setting", async () => {
    const core = createCore({ dataDir: join(dir, "data"), policy: policySchema.parse(ORG), tokenService: tokens, signing, bridgePorts: { ws: [], wss: [] } });
    const { policy } = await core.handlers["diagnostics.get"]();
    expect(policy.source).toBe("provided");
    expect(policy.keys).toEqual(
      expect.arrayContaining([
        { key: "allowedOrigins", value: "https://dichvucong.gov.vn" },
        { key: "revocationCheck", value: "require" },
        { key: "limits.maxBatchItems", value: "50" },
      ]),
    );
    expect(policy.keys.map((k) => k.key)).not.toContain("limits.maxConnections"); // left at its default
    expect(policy.managed).toEqual([
      { key: "language", value: "vi" },
      { key: "pinCacheMinutes", value: "0" },
    ]);
    await core.close();
  });

  it("a policy file → source 'file' with its path; the same keys", async () => {
    const file = join(dir, "policy.json");
    await writeFile(file, JSON.stringify(ORG));
    const core = createCore({ dataDir: join(dir, "data"), policyFile: file, tokenService: tokens, signing, bridgePorts: { ws: [], wss: [] } });
    const view = await core.handlers["diagnostics.get"]();
    expect(view.policy).toMatchObject({ source: "file", file });
    expect(view.policy.keys).toContainEqual({ key: "limits.maxBatchItems", value: "50" });
    await core.close();
  });

  it("a loaded policy with the file it came from (the sandbox) → source 'file', the path shown", async () => {
    const file = join(dir, "policy.json");
    const core = createCore({ dataDir: join(dir, "data"), policy: policySchema.parse(ORG), policyFile: file, tokenService: tokens, signing, bridgePorts: { ws: [], wss: [] } });
    expect((await core.handlers["diagnostics.get"]()).policy).toMatchObject({ source: "file", file });
    await core.close();
  });

  it("no policy → source 'default', no keys", async () => {
    const core = createCore({ dataDir: join(dir, "data"), tokenService: tokens, signing, bridgePorts: { ws: [], wss: [] } });
    expect((await core.handlers["diagnostics.get"]()).policy).toEqual({ source: "default", keys: [], managed: [] });
    await core.close();
  });
});
