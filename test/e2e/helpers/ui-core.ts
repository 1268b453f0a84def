/**
 * The real core for the UI tests: `createCore` with its bridge listening on loopback, the token service over the
 * SoftHSM fixtures behind the fault-injecting module (so a test can unplug a token or slow C_Sign), and requests
 * sent the way a portal sends them, over the bridge's WebSocket with the portal's Origin.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import { createCore, type KysoCore } from "../../../main/core/kyso-core.js";
import type { FileDialogs } from "../../../main/core/files/file-dialogs.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { createTokenService, forkSpawner } from "../../../main/core/tokens/index.js";
import { buildFaultModule } from "../../../native/fault-module/build.js";
import type { SignParams } from "../../../sdk/src/protocol.js";
import { copyFixtureTokens } from "../../fixtures/index.js";
import { connectPortal } from "./portal-client.js";

export const POLICY_ORIGIN = "https://dichvucong.example.gov.vn";
export const PAIRED_ORIGIN = "https://thuedientu.example.vn";

export type RequestItem =
  | { readonly text: string; readonly fileName?: string }
  | { readonly hashHex: string }
  | { readonly pdf: Uint8Array; readonly fileName?: string; readonly options?: Readonly<Record<string, unknown>> }
  | { readonly taxXml: string; readonly fileName?: string }
  | { readonly einvoiceXml: string; readonly fileName?: string };

export interface PendingRequest {
  /** The approval id the app shows. */
  readonly id: string;
  /** Resolves with the portal's answer; rejects with a PortalError whose `code` is the protocol error name. */
  readonly done: Promise<void>;
  /** Signature values (raw format) by item index, once `done` resolves. */
  readonly signatures: Uint8Array[];
  /** Signed documents (pades, xml formats) by item index, once `done` resolves. */
  readonly documents: Uint8Array[];
}

export interface UiCore {
  readonly core: KysoCore;
  readonly handlers: KysoCore["handlers"];
  readonly onEvent: KysoCore["onEvent"];
  requestSign(origin: string, items: readonly RequestItem[], display?: { title?: string; description?: string }): Promise<PendingRequest>;
  requestPair(origin: string): Promise<PendingRequest>;
  /** Rewrites the fault module's control file and polls the tokens now (e.g. "token absent"). */
  setFaults(text: string): Promise<void>;
  close(): Promise<void>;
}

function toWire(item: RequestItem): Omit<SignParams, "certificateId"> {
  const fileName = "fileName" in item && item.fileName ? { display: { fileName: item.fileName } } : {};
  if ("hashHex" in item) return { format: "raw", hash: Buffer.from(item.hashHex, "hex").toString("base64"), hashAlgorithm: "SHA-256" };
  if ("pdf" in item) return { format: "pades", document: Buffer.from(item.pdf).toString("base64"), ...(item.options ? { options: item.options } : {}), ...fileName };
  if ("taxXml" in item) return { format: "vn-tax", document: Buffer.from(item.taxXml, "utf8").toString("base64"), ...fileName };
  if ("einvoiceXml" in item) return { format: "vn-einvoice", document: Buffer.from(item.einvoiceXml, "utf8").toString("base64"), ...fileName };
  return { format: "raw", document: Buffer.from(item.text, "utf8").toString("base64"), ...fileName };
}

export async function startUiCore(
  options: {
    approvalTimeoutSeconds?: number;
    language?: "vi" | "en";
    tsaUrl?: string;
    /** Policy trustAnchors (PEM). */
    trustAnchors?: readonly string[];
    /** The shell's open dialogs ("Sign files"); ui-session.ts passes the browser transport's stand-in. */
    fileDialogs?: FileDialogs;
  } = {},
): Promise<UiCore> {
  const copy = await copyFixtureTokens();
  const faultModule = await buildFaultModule();
  const control = join(copy.dir, "fault-control");
  await writeFile(control, "");
  const dataDir = await mkdtemp(join(tmpdir(), "kyso-ui-"));
  const tokens = createTokenService({
    modules: { policy: [faultModule], catalogue: false },
    spawner: forkSpawner({ env: { SOFTHSM2_CONF: copy.softhsmConf, KYSO_FAULT_REAL_MODULE: copy.manifest.modulePath, KYSO_FAULT_CONTROL: control } }),
    pollIntervalMs: 0,
    timeouts: { enumerationMs: 10_000, signingMs: 10_000, loginMs: 10_000 },
  });
  const core = createCore({
    dataDir,
    policy: policySchema.parse({
      allowedOrigins: [POLICY_ORIGIN],
      limits: { approvalTimeoutSeconds: options.approvalTimeoutSeconds ?? 120 },
      ...(options.tsaUrl ? { tsa: { url: options.tsaUrl } } : {}),
      ...(options.trustAnchors ? { trustAnchors: options.trustAnchors } : {}),
    }),
    tokenService: tokens,
    bridgePorts: { ws: [0], wss: [] },
    language: options.language ?? "vi",
    ...(options.fileDialogs ? { fileDialogs: options.fileDialogs } : {}),
  });
  await core.start();
  const port = core.bridge.ports.ws;
  if (!port) throw new Error("the bridge did not open its ws listener");
  const clients: { close(): void }[] = [];

  /** Sends one request and returns once the app lists the approval it opened. */
  async function open(origin: string, send: (client: Awaited<ReturnType<typeof connectPortal>>) => Promise<unknown>) {
    const client = await connectPortal(port!, origin);
    clients.push(client);
    const known = new Set((await core.handlers["approvals.list"]()).map((a) => a.id));
    const appeared = new Promise<ApprovalView>((resolve) => {
      const check = (views: readonly ApprovalView[]) => {
        const view = views.find((v) => !known.has(v.id));
        if (view) {
          off();
          resolve(view);
        }
      };
      const off = core.onEvent("approvalsChanged", check);
    });
    const answer = send(client);
    answer.catch(() => undefined);
    const view = await Promise.race([appeared, answer.then(() => Promise.reject(new Error("answered without an approval")))]);
    return { id: view.id, answer };
  }

  return {
    core,
    handlers: core.handlers,
    onEvent: core.onEvent.bind(core),
    async requestSign(origin, items, display) {
      const signatures: Uint8Array[] = [];
      const documents: Uint8Array[] = [];
      const wire = items.map(toWire);
      const { id, answer } = await open(origin, (client) =>
        wire.length === 1
          ? client.call("sign", { ...wire[0]!, ...(display ? { display } : {}) }).then((r) => {
              if (r.signature) signatures[0] = Buffer.from(r.signature, "base64");
              if (r.document) documents[0] = Buffer.from(r.document, "base64");
            })
          : client.call("signBatch", { items: wire, ...(display ? { display } : {}) }).then((r) => {
              r.results.forEach((item, i) => {
                if (item.ok && item.signature) signatures[i] = Buffer.from(item.signature, "base64");
              });
            }),
      );
      return { id, done: answer as Promise<void>, signatures, documents };
    },
    async requestPair(origin) {
      const { id, answer } = await open(origin, (client) => client.call("pair"));
      return { id, done: answer as Promise<void>, signatures: [], documents: [] };
    },
    async setFaults(text) {
      await writeFile(control, text);
      await tokens.refresh();
    },
    async close() {
      for (const client of clients) client.close();
      await core.close();
      await tokens.close();
      await copy.cleanup();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
