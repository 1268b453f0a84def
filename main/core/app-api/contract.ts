/**
 * The one typed contract between the renderer and the core (style habit 2). The preload, the Electron IPC
 * registration and the test transport are all typed from `AppMethods`; params are validated here, at the door,
 * so a compromised renderer cannot hand the core anything the schema does not describe.
 */
import { z } from "zod";
import type { TokenInfo } from "../../domain/token.js";
import type { VerificationReport } from "../../domain/wire/verify-report.js";
import type { ApprovalView, SignatureView } from "./approval-view.js";
import { StampPointSchema } from "../signing/request.js";
import { FilesChooseParamsSchema, FilesExpandParamsSchema, FilesSignParamsSchema, type ChosenFiles, type LocalFileResult, type OpenedFiles } from "../files/files-sign-params.js";
import { SEAL_DIAMETER_MM } from "../../domain/stamp-presets.js";
import { MAX_STAMP_PNG_BYTES, STAMP_IMAGE_KINDS, type StampImagesView } from "../../domain/stamp-images.js";
import type { AppInfo, AuditRowView, CertificateListItem, DiagnosticsView, PairingView, RemoteAccountsView, SettingsView } from "./views.js";

const id = z.string().min(1).max(200);
const fingerprint = z.string().regex(/^[0-9a-fA-F]{64}$/, "a SHA-256 fingerprint");
/** A PIN is digits or characters, 4-64 long on every token seen; it crosses IPC once and becomes a Buffer. */
const pin = z.string().min(1).max(64);
/** A policy remote provider's id (policy-schema.ts `remoteProviderSchema`). */
const providerId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);

/** The history's filters (audit/audit-log.ts `AuditQuery`); times are ISO instants. */
const auditQuery = z.strictObject({
  origin: z.string().max(2048).optional(),
  site: z.string().max(2048).optional(),
  result: z.string().max(64).optional(),
  kind: z.enum(["signing", "all"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/**
 * A file the user opened for verification, base64 (IPC and the test transport both carry JSON-safe values). The
 * schema's cap is the largest message any policy allows (limits.maxMessageBytes max, 512 MiB); the handler refuses
 * anything above the policy's document limit with `document_too_large` (verify-handlers.ts `verifyFileLimit`).
 */
export const VERIFY_SCHEMA_MAX_BASE64 = Math.ceil((512 * 1024 * 1024) / 3) * 4;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const openedFile = z.strictObject({
  fileName: z.string().min(1).max(1024),
  base64: z.string().min(1).max(VERIFY_SCHEMA_MAX_BASE64).regex(BASE64, "must be base64"),
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
  /**
   * The user placed a leader or seal image on the preview (a click, or the arrow keys): the image's centre in PDF
   * points on a 1-based page. The schema bounds the shape; the page count, the page's box and the whole image on
   * the page are checked by the core against the document, in a document worker (bridge/user-placement.ts).
   */
  "approvals.placeStamp": z.strictObject({ approvalId: id, index: z.number().int().min(0).max(10_000), at: StampPointSchema }),
  "approvals.document": z.strictObject({ approvalId: id, index: z.number().int().min(0).max(10_000) }),
  /**
   * The file the user chose for a file approval (a VGCA flow with an empty `FileName`). Capped here like `verify.file`;
   * the approval's own `maxBytes` (the main protocol's document limit) is checked by the queue (`document_too_large`).
   * The bytes are parsed only in the document worker, when the sign approval for them opens.
   */
  "approvals.provideFile": openedFile.extend({ approvalId: id }),
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
    /** Account ids only (a password field would be refused by strictObject): never a secret in the settings file. */
    remoteAccounts: z
      .record(providerId, z.strictObject({ userId: z.string().min(1).max(128), caName: z.string().min(1).max(100).optional() }))
      .optional(),
  }),
  "modules.add": z.strictObject({ path: z.string().min(1).max(4096) }),
  "modules.remove": z.strictObject({ path: z.string().min(1).max(4096) }),
  "diagnostics.get": z.void(),
  "diagnostics.repairLocalCertificate": z.void(),
  /** Validates every signature of the file (in a bounded worker); `detachedContent`: the content a .p7s signs. */
  "verify.file": openedFile.extend({ detachedContent: openedFile.optional() }),
  /** The report of an earlier `verify.file` (kept by the core, never sent back by the page) as a file. */
  "verify.exportReport": z.strictObject({ reportId: id, format: z.enum(["pdf", "xml"]) }),
  /** Sign PDFs the user chose (file picker, drop) with a Decree 30/2020 preset; `<name>.signed.pdf` next to each. */
  "files.sign": FilesSignParamsSchema,
  /** The CSC OTP the approval's remote step asks for (typed only in KySo's window; never stored or logged). */
  "approvals.otp": z.strictObject({ approvalId: id, otp: z.string().regex(/^[0-9A-Za-z]{4,16}$/, "4-16 letters or digits") }),
  /** Remote signing accounts (settings page): the policy's providers, account ids, CSC sign-in state. */
  "remote.status": z.void(),
  /** Starts the CSC browser sign-in (loopback redirect, PKCE); resolves when the tokens are in the secret store. */
  "remote.signIn": z.strictObject({ providerId: providerId }),
  "remote.signOut": z.strictObject({ providerId: providerId }),
  /** The shell's open dialog (files, or a folder's PDFs): the paths `files.sign` then gets; never made up by the page. */
  "files.choose": FilesChooseParamsSchema,
  /** Dropped paths (the preload's `webUtils.getPathForFile`): folders become their PDF files. */
  "files.expand": FilesExpandParamsSchema,
  /** The user's stamp images for one certificate (SHA-256 fingerprint): Decree 30/2020 leader and seal presets. */
  "stampImages.get": z.strictObject({ fingerprint }),
  /** PNG, base64 (checked in the core: stamps/png-check.ts); a seal needs its real diameter in mm. */
  "stampImages.set": z.strictObject({
    fingerprint,
    kind: z.enum(STAMP_IMAGE_KINDS),
    base64: z.string().min(1).max(Math.ceil(MAX_STAMP_PNG_BYTES / 3) * 4).regex(BASE64, "must be base64"),
    diameterMm: z.number().min(SEAL_DIAMETER_MM.min).max(SEAL_DIAMETER_MM.max).optional(),
  }),
  "stampImages.remove": z.strictObject({ fingerprint, kind: z.enum(STAMP_IMAGE_KINDS) }),
  /** The PDFs the desktop handed to KySo before the page subscribed to `files.opened` (files/opened-files.ts), once. */
  "files.takeOpened": z.void(),
} as const;

export interface AppResults {
  "app.info": AppInfo;
  "tokens.list": readonly TokenInfo[];
  "certificates.list": readonly CertificateListItem[];
  "approvals.list": readonly ApprovalView[];
  "approvals.approve": { readonly accepted: true };
  "approvals.reject": { readonly accepted: true };
  /** What the item's signature will now carry: the stamp's page and /Rect, placedBy "user". */
  "approvals.placeStamp": { readonly signature: SignatureView };
  /** The document bytes (base64) for the preview, read from the approval, never from the page again. */
  "approvals.document": { readonly mediaType: string; readonly base64: string };
  "approvals.provideFile": { readonly accepted: true };
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
  "verify.file": { readonly reportId: string; readonly fileName: string; readonly report: VerificationReport };
  /** `base64`: the file's bytes; `mediaType` application/pdf or application/xml. */
  "verify.exportReport": { readonly fileName: string; readonly mediaType: string; readonly base64: string };
  /** One result per path, in order; refusals before the approval (file_exists, file_unreadable, ...) reject instead. */
  "files.sign": readonly LocalFileResult[];
  "approvals.otp": { readonly accepted: true };
  "remote.status": RemoteAccountsView;
  "remote.signIn": RemoteAccountsView;
  "remote.signOut": RemoteAccountsView;
  "files.choose": ChosenFiles;
  "files.expand": ChosenFiles;
  "stampImages.get": StampImagesView;
  "stampImages.set": StampImagesView;
  "stampImages.remove": StampImagesView;
  "files.takeOpened": OpenedFiles | null;
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
  /** PDFs handed to KySo by the desktop ("Sign with KySo", "Open with KySo"): the "Sign files" page opens with them. */
  "files.opened": OpenedFiles;
}
export type AppEvent = keyof AppEvents;

/** What the core implements once; IPC and the test transport both call it through `invokeAppMethod`. */
export type AppHandlers = { [M in AppMethod]: (params: AppParams<M>) => Promise<AppResult<M>> };

export const APP_METHODS = Object.keys(APP_PARAMS) as AppMethod[];

export function isAppMethod(value: unknown): value is AppMethod {
  return typeof value === "string" && Object.hasOwn(APP_PARAMS, value);
}
