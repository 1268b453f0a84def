/**
 * The policy in force as diagnostics shows it: every key whose value differs from the built-in default (what the
 * organisation set), flattened to dotted paths, and the settings it fixes. Computed from the policy object the core
 * runs with, never from whether a file path was passed, so a policy handed over already loaded is shown too.
 */
import type { PolicyView } from "../app-api/views.js";
import { defaultPolicy, type KysoPolicy } from "./policy-schema.js";

function describe(key: string, value: unknown): string {
  // A PEM trust anchor is kilobytes of base64: its count says enough here.
  if ((key === "trustAnchors" || key === "trustBundle.publisherKeys") && Array.isArray(value)) return `${value.length} PEM`;
  // Remote providers carry the organisation's sp_password / client_secret: diagnostics names them, nothing more.
  if (key === "remoteSigning.providers" && Array.isArray(value)) {
    return (value as { id: string; kind: string; baseUrl: string }[]).map((p) => `${p.id} (${p.kind}, ${p.baseUrl})`).join(", ");
  }
  if (Array.isArray(value)) return value.map((v) => String(v)).join(", ");
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function flatten(prefix: string, value: unknown, into: Map<string, unknown>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, into);
  } else {
    into.set(prefix, value);
  }
}

export function policyView(policy: KysoPolicy, source: PolicyView["source"], file?: string, problems?: readonly string[]): PolicyView {
  const { managed, ...rest } = policy;
  const current = new Map<string, unknown>();
  const defaults = new Map<string, unknown>();
  flatten("", rest, current);
  const { managed: _managed, ...defaultRest } = defaultPolicy();
  flatten("", defaultRest, defaults);
  const keys = [...current]
    .filter(([key, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(defaults.get(key)))
    .map(([key, value]) => ({ key, value: describe(key, value) }));
  const fixed = Object.entries(managed)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, value: describe(key, value) }));
  return { source, ...(file ? { file } : {}), ...(problems ? { problems } : {}), keys, managed: fixed };
}
