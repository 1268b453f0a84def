/**
 * A core for the UI tests, assembled from the real pieces while main/core/kyso-core.ts (`createCore`) is being
 * written: the real token service (SoftHSM behind the fault-injecting module, in host processes), the real approval
 * queue, audit log, pairing and settings stores, and the real app handlers (`createAppHandlers`). Fakes only at the
 * ports this harness stands in for: the bridge (no listener here, so its status says so) and the portal, whose
 * sign requests `requestSign` builds the way the bridge's sign command does (`raw` format through the built-in
 * signing port). Switch to `createCore` once it exists.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApprovalItemView, ItemResultView } from "../../../main/core/app-api/approval-view.js";
import type { AppEvent, AppEvents } from "../../../main/core/app-api/contract.js";
import { createAppHandlers } from "../../../main/core/app-api/handlers.js";
import { createApprovalQueue } from "../../../main/core/approval/approval-queue.js";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";
import { builtinSigning, type SignItem } from "../../../main/core/bridge/signing-port.js";
import { toKysoError, type KysoError } from "../../../main/core/errors/kyso-error.js";
import { createPairingStore } from "../../../main/core/pairing/pairing-store.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { createSettingsStore } from "../../../main/core/settings/settings-store.js";
import { createTokenService, forkSpawner } from "../../../main/core/tokens/index.js";
import { buildFaultModule } from "../../../native/fault-module/build.js";
import { copyFixtureTokens } from "../../fixtures/index.js";
import type { TransportCore } from "../../transport/start-test-transport.js";

export const POLICY_ORIGIN = "https://dichvucong.example.gov.vn";
export const PAIRED_ORIGIN = "https://thuedientu.example.vn";

export type RequestItem = { readonly text: string; readonly fileName?: string } | { readonly hashHex: string };

export interface SignRequest {
  readonly id: string;
  /** Settles when the approval ends: resolves when signed, rejects with the KysoError the portal would get. */
  readonly done: Promise<void>;
  /** Signature values by item index, filled as the token signs. */
  readonly signatures: Uint8Array[];
}

export interface UiCore extends TransportCore {
  requestSign(origin: string, items: readonly RequestItem[], display?: { title?: string; description?: string }): Promise<SignRequest>;
  requestPair(origin: string): { id: string; done: Promise<void> };
  /** What the bridge does once a pairing is approved (the harness has no bridge). */
  addPairing(origin: string): void;
  /** Rewrites the fault module's control file and polls the tokens (e.g. "token absent"). */
  setFaults(text: string): Promise<void>;
  close(): Promise<void>;
}

export async function startUiCore(options: { timeoutMs?: number; language?: "vi" | "en" } = {}): Promise<UiCore> {
  const copy = await copyFixtureTokens();
  const faultModule = await buildFaultModule();
  const control = join(copy.dir, "fault-control");
  await writeFile(control, "");
  const dataDir = await mkdtemp(join(tmpdir(), "kyso-ui-"));

  const listeners = new Map<AppEvent, Set<(payload: never) => void>>();
  const emit = <E extends AppEvent>(event: E, payload: AppEvents[E]) => {
    for (const listener of listeners.get(event) ?? []) (listener as (p: AppEvents[E]) => void)(payload);
  };

  const tokens = createTokenService({
    modules: { policy: [faultModule], catalogue: false },
    spawner: forkSpawner({ env: { SOFTHSM2_CONF: copy.softhsmConf, KYSO_FAULT_REAL_MODULE: copy.manifest.modulePath, KYSO_FAULT_CONTROL: control } }),
    pollIntervalMs: 0,
    timeouts: { enumerationMs: 10_000, signingMs: 10_000, loginMs: 10_000 },
  });
  await tokens.ready();
  const offTokens = tokens.onEvent((event) => emit("tokensChanged", event.tokens));

  const policy = policySchema.parse({ allowedOrigins: [POLICY_ORIGIN] });
  const settings = createSettingsStore(dataDir, policy, { language: options.language ?? "vi" });
  const pairings = createPairingStore(dataDir);
  const audit = createAuditLog(dataDir);
  const approvals = createApprovalQueue({
    timeoutMs: options.timeoutMs ?? 120_000,
    language: () => settings.view().language,
    onChange: (views) => emit("approvalsChanged", views),
  });
  let paused = settings.view().bridgePaused;
  const handlers = createAppHandlers({
    tokens,
    approvals,
    pairings,
    policy,
    audit,
    settings,
    bridge: {
      status: () => ({ listening: [], paused, localCertificate: { trusted: false, problem: "no bridge in the UI test harness" } }),
      repairLocalCertificate: async () => ({ trusted: false }),
      setPaused: (value) => void (paused = value),
    },
    onSettingsChanged: (view) => emit("settingsChanged", view),
  });
  const signing = builtinSigning();

  const trustOf = (origin: string) =>
    policy.allowedOrigins.includes(origin) ? ("policy" as const) : pairings.list().some((p) => p.origin === origin) ? ("paired" as const) : ("none" as const);

  const record = (origin: string, method: string, outcome: Promise<void>) =>
    outcome.then(
      () => audit.append({ time: new Date().toISOString(), origin, method, format: "raw", decision: "approved", result: "ok" }),
      (error: KysoError) =>
        audit.append({
          time: new Date().toISOString(),
          origin,
          method,
          format: "raw",
          decision: error.code === "user_rejected" ? "rejected" : error.code === "timeout" ? "timeout" : "approved",
          result: error.code,
        }),
    );

  return {
    handlers,
    onEvent(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    async requestSign(origin, requested, display) {
      const signItems: SignItem[] = requested.map((item) =>
        "hashHex" in item
          ? { format: "raw", hash: Buffer.from(item.hashHex, "hex"), hashAlgorithm: "SHA-256", options: {} }
          : { format: "raw", document: Buffer.from(item.text, "utf8"), hashAlgorithm: "SHA-256", options: {} },
      );
      const items: ApprovalItemView[] = await Promise.all(
        signItems.map(async (item, index) => {
          const fileName = (requested[index] as { fileName?: string }).fileName;
          return { index, format: "raw", description: await signing.describe(item), ...(fileName ? { display: { fileName } } : {}) };
        }),
      );
      const signatures: Uint8Array[] = [];
      const candidates = (await tokens.listCertificates()).filter((c) => c.valid);
      const opened = approvals.open({
        kind: "sign",
        origin: { origin, trust: trustOf(origin) },
        connectionId: "ui-test",
        batch: items.length > 1,
        items,
        documents: signItems.map((item) => (item.document ? { mediaType: "text/plain", bytes: item.document } : undefined)),
        ...(display ? { display } : {}),
        candidates,
        tokens: await tokens.listTokens(),
        async execute(choice, progress: (result: ItemResultView) => void) {
          const signer = await tokens.openSigner({ certificateId: choice.certificateId, pin: choice.pin });
          try {
            for (const [index, item] of signItems.entries()) {
              try {
                const out = await signing.sign(item, signer, { signingTime: new Date() });
                if (out.signature) signatures[index] = out.signature;
                progress({ index, ok: true });
              } catch (error) {
                progress({ index, ok: false, error: toKysoError(error).toPayload(settings.view().language) });
              }
            }
          } finally {
            await signer.close();
          }
        },
      });
      void record(origin, items.length > 1 ? "signBatch" : "sign", opened.done).catch(() => undefined);
      return { id: opened.id, done: opened.done, signatures };
    },
    requestPair(origin) {
      const opened = approvals.open({ kind: "pair", origin: { origin, trust: trustOf(origin) }, connectionId: "ui-test" });
      return opened;
    },
    addPairing(origin) {
      pairings.add(origin, new Date());
    },
    async setFaults(text) {
      await writeFile(control, text);
      await tokens.refresh();
    },
    async close() {
      offTokens();
      approvals.close();
      await tokens.close();
      await copy.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
