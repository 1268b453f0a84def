/**
 * The one typed contract between the renderer and the core (style habit 2). The preload, the Electron IPC
 * registration and the test transport are all typed from `AppMethods`; params are validated here, at the door,
 * so a compromised renderer cannot hand the core anything the schema does not describe.
 */
import { z } from "zod";
import type { TokenInfo } from "../../domain/token.js";
import type { ApprovalView } from "./approval-view.js";
import type { AppInfo, AuditRowView, CertificateListItem, DiagnosticsView, PairingView, SettingsView } from "./views.js";

const id = z.string().min(1).max(200);
/** A PIN is digits or characters, 4-64 long on every token seen; it crosses IPC once and becomes a Buffer. */
const pin = z.string().min(1).max(64);

/** The history's filters (audit/audit-log.ts `AuditQuery`); times are ISO instants. */
const auditQuery = z.strictObject({
  origin: z.string().max(2048).optional(),
  site: z.string().max(2048).optional(),
  result: z.string().max(64).optional(),
  kind: z.enum(["signing", "all"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const APP_PARAMS = {
  "app.info": z.void(),
  "tokens.list": z.void(),
  "certificates.list": z.void(),
  "approvals.list": z.void(),
  "approvals.approve": z.strictObject({
    approvalId: id,
    certificateId: id.optional(),
    pin: pin.optional(),
    /** Batch items the user unticked (checked against the approval by the queue's `checkExcludedItems`). */
    excludedItems: z.array(z.number().int().min(0).max(10_000)).max(10_000).optional(),
  }),
  "approvals.reject": z.strictObject({ approvalId: id }),
  "approvals.document": z.strictObject({ approvalId: id, index: z.number().int().min(0).max(10_000) }),
  "pairings.list": z.void(),
  "pairings.revoke": z.strictObject({ origin: z.string().min(1).max(2048) }),
  "audit.list": auditQuery.extend({ limit: z.number().int().min(1).max(10_000).optional() }),
  /** The CSV is built by the core (audit/audit-csv.ts) for the same filters the history shows. */
  "audit.exportCsv": auditQuery.optional(),
  /** The evidence bundle (JSON) of one signature's audit record. */
  "evidence.export": z.strictObject({ auditId: z.string().min(1).max(64) }),
  "settings.get": z.void(),
  "settings.set": z.strictObject({
    language: z.enum(["vi", "en"]).optional(),
    startAtLogin: z.boolean().optional(),
    pinCacheMinutes: z.number().int().min(0).max(480).optional(),
    bridgePaused: z.boolean().optional(),
    approvalAutoHideSeconds: z.number().int().min(0).max(60).optional(),
  }),
  "modules.add": z.strictObject({ path: z.string().min(1).max(4096) }),
  "modules.remove": z.strictObject({ path: z.string().min(1).max(4096) }),
  "diagnostics.get": z.void(),
  "diagnostics.repairLocalCertificate": z.void(),
} as const;

export interface AppResults {
  "app.info": AppInfo;
  "tokens.list": readonly TokenInfo[];
  "certificates.list": readonly CertificateListItem[];
  "approvals.list": readonly ApprovalView[];
  "approvals.approve": { readonly accepted: true };
  "approvals.reject": { readonly accepted: true };
  /** The document bytes (base64) for the preview, read from the approval, never from the page again. */
  "approvals.document": { readonly mediaType: string; readonly base64: string };
  "pairings.list": readonly PairingView[];
  "pairings.revoke": { readonly revoked: boolean };
  "audit.list": readonly AuditRowView[];
  /** `csv` starts with a UTF-8 byte-order mark; `fileName` is what the shell or the browser saves it as. */
  "audit.exportCsv": { readonly csv: string; readonly fileName: string };
  /** `json`: an EvidenceBundle (main/core/evidence/evidence-bundle.ts, docs/evidence.md). */
  "evidence.export": { readonly fileName: string; readonly json: string };
  "settings.get": SettingsView;
  "settings.set": SettingsView;
  "modules.add": { readonly added: boolean };
  "modules.remove": { readonly removed: boolean };
  "diagnostics.get": DiagnosticsView;
  "diagnostics.repairLocalCertificate": { readonly trusted: boolean };
}

export type AppMethod = keyof typeof APP_PARAMS;
export type AppParams<M extends AppMethod> = z.infer<(typeof APP_PARAMS)[M]>;
export type AppResult<M extends AppMethod> = AppResults[M];

/** Pushed from the core to the renderer. */
export interface AppEvents {
  approvalsChanged: readonly ApprovalView[];
  tokensChanged: readonly TokenInfo[];
  settingsChanged: SettingsView;
  /** A signing succeeded and its success state has been seen for `approvalAutoHideSeconds`: hide the approval window. */
  approvalAutoHide: { readonly approvalId: string };
}
export type AppEvent = keyof AppEvents;

/** What the core implements once; IPC and the test transport both call it through `invokeAppMethod`. */
export type AppHandlers = { [M in AppMethod]: (params: AppParams<M>) => Promise<AppResult<M>> };

export const APP_METHODS = Object.keys(APP_PARAMS) as AppMethod[];

export function isAppMethod(value: unknown): value is AppMethod {
  return typeof value === "string" && Object.hasOwn(APP_PARAMS, value);
}
