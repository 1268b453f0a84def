/**
 * The core side of every renderer method (contract.ts). Params arrive already validated by `invokeAppMethod`;
 * the PIN becomes a Buffer here, at the IPC door, and the approval queue zeroes it after use.
 */
import type { ApprovalQueue } from "../approval/approval-queue.js";
import type { AuditLog } from "../audit/audit-log.js";
import { buildEvidenceBundle, evidenceFileName } from "../evidence/evidence-bundle.js";
import type { EvidenceStore } from "../evidence/evidence-store.js";
import { KysoError } from "../../domain/errors/kyso-error.js";
import { getAppInfo } from "../app-info.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import type { SettingsStore } from "../settings/settings-store.js";
import type { TokenService } from "../tokens/token-service.js";
import { localTime } from "../audit/audit-csv.js";
import { auditWords } from "../audit/audit-words.js";
import { policyView } from "../policy/policy-view.js";
import type { AppHandlers } from "./contract.js";
import { createVerifyHandlers, type VerifyHandlerDeps } from "./verify-handlers.js";
import { signLocalFiles, type LocalSigner } from "../files/local-files.js";
import { chooseLocalFiles, expandDroppedPaths, type FileDialogs } from "../files/file-dialogs.js";
import type { OpenedFilesStore } from "../files/opened-files.js";
import type { BridgeStatusView, CertificateListItem, PairingView, PolicyView, SettingsView, TrustAnchorsView, VendorServiceView } from "./views.js";
import type { CandidateChainView } from "./approval-view.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { TrustBundleStatus } from "../certificates/trust/trust-bundle-store.js";
import { createRemoteAccounts, type RemoteAccounts } from "../remote/remote-accounts.js";
import type { StampImageStore } from "../stamps/stamp-image-store.js";
import { stampImagesView } from "../stamps/stamp-images-view.js";

export interface BridgeControl {
  status(): BridgeStatusView;
  repairLocalCertificate(): Promise<{ trusted: boolean }>;
  setPaused(paused: boolean): void;
  /** Other vendors' signing services listening on their known ports (absent: not probed). */
  vendorServices?(): Promise<readonly VendorServiceView[]>;
}

export interface AppHandlerDeps {
  readonly tokens: TokenService;
  readonly approvals: ApprovalQueue;
  readonly pairings: PairingStore;
  readonly policy: KysoPolicy;
  readonly policyFile?: string;
  /** Where `policy` came from (diagnostics); default: `file` when `policyFile` is set, else `default`. */
  readonly policySource?: PolicyView["source"];
  /** Problems of an invalid machine policy (the bridge is off until it is fixed); where it was read is `policyFile`. */
  readonly policyProblems?: readonly string[];
  readonly audit: AuditLog;
  /** Absent: `evidence.export` answers not found. */
  readonly evidence?: EvidenceStore;
  readonly now?: () => Date;
  readonly settings: SettingsStore;
  readonly bridge: BridgeControl;
  readonly onSettingsChanged: (view: SettingsView) => void;
  /** The verify page's methods (absent: they fail `internal`, as in cores built without document workers). */
  readonly verify?: Omit<VerifyHandlerDeps, "policy" | "language" | "now">;
  /** Signs local files through the approval (files/local-sign-session.ts); absent: `files.sign` answers not found. */
  readonly localSigner?: LocalSigner;
  /** The shell's open dialogs (Electron; the browser transport's stand-in); absent: `files.choose` answers not found. */
  readonly fileDialogs?: FileDialogs;
  /** PDFs the desktop handed to KySo (files/opened-files.ts); absent: `files.takeOpened` answers null. */
  readonly openedFiles?: OpenedFilesStore;
  /** The chain line of a certificate for the certificates page (kyso-core: certificates/trust/trust-wiring.ts). */
  readonly trustChain?: (certificate: CertificateInfo) => Promise<CandidateChainView | undefined>;
  /** The signed trust bundle in use and why candidates were refused (diagnostics). */
  readonly trustBundle?: () => TrustBundleStatus;
  /** The settings page's remote accounts (remote/remote-accounts.ts); absent: none configured. */
  readonly remoteAccounts?: RemoteAccounts;
  /** The trust anchors in force, counted per source (diagnostics). */
  readonly trustAnchors?: () => Promise<TrustAnchorsView>;
  /** The user's stamp images per certificate; absent: `stampImages.*` answer not found. */
  readonly stampImages?: StampImageStore;
}

/** The page waits this long for a certificate's chain line; later, the card shows none (the next listing will). */
const CHAIN_VIEW_WAIT_MS = 8_000;

async function withTrustChain(certificate: CertificateInfo, view: AppHandlerDeps["trustChain"]): Promise<CertificateListItem> {
  if (!view) return certificate;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), CHAIN_VIEW_WAIT_MS);
  });
  const trustChain = await Promise.race([view(certificate).catch(() => undefined), late]).finally(() => clearTimeout(timer));
  return trustChain ? { ...certificate, trustChain } : certificate;
}

export function createAppHandlers(deps: AppHandlerDeps): AppHandlers {
  const { tokens, approvals, pairings, policy, audit, settings, bridge } = deps;

  const settingsChanged = (view: SettingsView): SettingsView => {
    bridge.setPaused(view.bridgePaused);
    deps.onSettingsChanged(view);
    return view;
  };

  const verify = deps.verify
    ? createVerifyHandlers({ ...deps.verify, policy, language: () => settings.view().language, now: deps.now ?? (() => new Date()) })
    : undefined;
  const remote: RemoteAccounts = deps.remoteAccounts ?? createRemoteAccounts({ providers: [], accounts: () => ({}) });
  const images = (): StampImageStore => {
    if (!deps.stampImages) throw new KysoError("not_found", "stamp images are not available in this core");
    return deps.stampImages;
  };
  const noVerify = async (): Promise<never> => {
    throw new KysoError("internal", "verification is not wired in this core");
  };

  return {
    "app.info": async () => getAppInfo(),
    "tokens.list": () => tokens.listTokens(),
    "certificates.list": async () => Promise.all((await tokens.listCertificates()).map((c) => withTrustChain(c, deps.trustChain))),
    "approvals.list": async () => approvals.list(),
    "approvals.approve": async ({ approvalId, certificateId, pin, excludedItems }) => {
      // The PIN leaves the string world here; the queue zeroes the Buffer once the token has it.
      const pinBuffer = pin === undefined ? null : Buffer.from(pin, "utf8");
      // `start` throws the queue's immediate refusal (typed) before anything runs; once it returns, signing has
      // started (or the pairing was granted). The signing itself can take long: the UI follows it through
      // `approvalsChanged`, where a failure after the start shows as the approval's state.
      const { running } = approvals.start(approvalId, {
        ...(certificateId ? { certificateId } : {}),
        pin: pinBuffer,
        ...(excludedItems ? { excludedItems } : {}),
      });
      running.catch(() => undefined);
      return { accepted: true };
    },
    "approvals.reject": async ({ approvalId }) => {
      approvals.reject(approvalId);
      return { accepted: true };
    },
    "approvals.placeStamp": async ({ approvalId, index, at }) => ({ signature: await approvals.placeStamp(approvalId, index, at) }),
    "approvals.provideFile": async ({ approvalId, fileName, base64 }) => {
      approvals.provideFile(approvalId, { fileName, bytes: Buffer.from(base64, "base64") });
      return { accepted: true };
    },
    "approvals.document": async ({ approvalId, index }) => {
      const document = approvals.document(approvalId, index);
      return { mediaType: document.mediaType, base64: Buffer.from(document.bytes).toString("base64") };
    },
    "pairings.list": async () => {
      const fromPolicy: PairingView[] = policy.allowedOrigins.map((origin) => ({ origin, source: "policy" }));
      return [...fromPolicy, ...pairings.list()];
    },
    "pairings.revoke": async ({ origin }) => ({ revoked: pairings.revoke(origin) }),
    "audit.list": async (query) => {
      const language = settings.view().language;
      return (await audit.list(query)).map((entry) => ({ ...entry, words: auditWords(entry, language) }));
    },
    "audit.exportCsv": async (query) => ({
      csv: await audit.exportCsv(query ?? {}, settings.view().language),
      fileName: `kyso-nhat-ky-${localTime(new Date().toISOString()).slice(0, 10)}.csv`,
    }),
    "evidence.export": async ({ auditId }) => {
      const record = await audit.find(auditId);
      if (!record?.evidence?.length || !deps.evidence) throw new KysoError("not_found", "no evidence for this audit record");
      const bundle = await buildEvidenceBundle(deps.evidence, record, (deps.now ?? (() => new Date()))());
      return { fileName: evidenceFileName(record), json: `${JSON.stringify(bundle, null, 2)}\n` };
    },
    "settings.get": async () => settings.view(),
    "settings.set": async (patch) => settingsChanged(settings.update(patch)),
    // Modules added here are loaded at the next start (the token service is built with its module list).
    "modules.add": async ({ path }) => {
      const added = settings.addModule(path);
      settingsChanged(settings.view());
      return { added };
    },
    "modules.remove": async ({ path }) => {
      const removed = settings.removeModule(path);
      settingsChanged(settings.view());
      return { removed };
    },
    "diagnostics.get": async () => ({
      app: getAppInfo(),
      bridge: bridge.status(),
      modules: tokens.diagnostics(),
      tokens: (await tokens.listTokens()).length,
      ...(deps.policyFile ? { policyFile: deps.policyFile } : {}),
      policy: policyView(policy, deps.policySource ?? (deps.policyFile ? "file" : "default"), deps.policyFile, deps.policyProblems),
      ...(bridge.vendorServices ? { vendorServices: await bridge.vendorServices() } : {}),
      ...(deps.trustBundle ? { trustBundle: deps.trustBundle() } : {}),
      ...(deps.trustAnchors ? { trustAnchors: await deps.trustAnchors() } : {}),
    }),
    "diagnostics.repairLocalCertificate": () => bridge.repairLocalCertificate(),
    "verify.file": verify?.["verify.file"] ?? noVerify,
    "verify.exportReport": verify?.["verify.exportReport"] ?? noVerify,
    "files.sign": async (params) => {
      if (!deps.localSigner) throw new KysoError("not_found", "local file signing is not available");
      return signLocalFiles(params, { signer: deps.localSigner, language: () => settings.view().language });
    },
    "approvals.otp": async ({ approvalId, otp }) => {
      approvals.provideOtp(approvalId, otp);
      return { accepted: true };
    },
    "remote.status": async () => remote.status(),
    "remote.signIn": async ({ providerId }) => remote.signIn(providerId),
    "remote.signOut": async ({ providerId }) => remote.signOut(providerId),
    "files.choose": async ({ kind }) => {
      if (!deps.fileDialogs) throw new KysoError("not_found", "this window has no file dialog");
      return chooseLocalFiles(deps.fileDialogs, kind);
    },
    "files.expand": async ({ paths }) => expandDroppedPaths(paths),
    "stampImages.get": async ({ fingerprint }) => stampImagesView(await images().get(fingerprint)),
    "stampImages.set": async ({ fingerprint, kind, base64, diameterMm }) =>
      stampImagesView(await images().set(fingerprint, kind, Buffer.from(base64, "base64"), diameterMm)),
    "stampImages.remove": async ({ fingerprint, kind }) => stampImagesView(await images().remove(fingerprint, kind)),
    "files.takeOpened": async () => deps.openedFiles?.take() ?? null,
  };
}
