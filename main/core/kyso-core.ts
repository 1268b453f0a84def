/**
 * The composition root of the core, used by the Electron main process, the sandbox and the test transport.
 * Nothing here imports Electron: the shell passes a data folder and gets handlers, events and the bridge.
 *
 *   const core = createCore({ dataDir, policyFile });
 *   await core.start();            // token hosts + bridge listeners
 *   invokeAppMethod(core.handlers, method, params);
 */
import { EventEmitter } from "node:events";
import { homedir } from "node:os";
import { join } from "node:path";
import type { AppEvent, AppEvents, AppHandlers } from "./app-api/contract.js";
import { createStampImageStore } from "./stamps/stamp-image-store.js";
import { createAppHandlers, type AppHandlerDeps } from "./app-api/handlers.js";
import { createLocalSigner } from "./files/local-sign-session.js";
import type { FileDialogs } from "./files/file-dialogs.js";
import { createCliChannel } from "./cli-channel/cli-channel.js";
import { createOpenedFiles, type OpenedFiles, type OpenedFilesAction } from "./files/opened-files.js";
import { createApprovalQueue } from "./approval/approval-queue.js";
import { createSuccessAutoHide } from "./approval/auto-hide.js";
import { createAuditLog } from "./audit/audit-log.js";
import { createEvidenceStore, evidenceOptionsOf, type EvidenceStoreOptions } from "./evidence/evidence-store.js";
import { createBridge, type BridgePorts } from "./bridge/bridge.js";
import type { CompatHooks, CompatPorts } from "./compat/compat-service.js";
import type { RevocationPort } from "./bridge/command.js";
import type { SigningPort } from "./bridge/signing-port.js";
import { RevocationService } from "./certificates/revocation/revocation-service.js";
import { createTrust, type TrustParts } from "./certificates/trust/trust-wiring.js";
import type { OsStoreOptions } from "./certificates/trust/os-store.js";
import { workerSigningPort } from "./signing/signing-port.js";
import { createDocumentWorkers, type DocumentWorkerStats } from "./signing/worker/document-workers.js";
import { createDocumentVerifier, trustedLookups } from "./verify/document-verifier.js";
import type { Language } from "../domain/errors/kyso-error.js";
import { createPairingStore } from "./pairing/pairing-store.js";
import { loadPolicy } from "./policy/load-policy.js";
import type { MachinePolicy } from "./policy/machine-policy.js";
import { defaultPolicy, type KysoPolicy } from "./policy/policy-schema.js";
import { createSettingsStore } from "./settings/settings-store.js";
import { securePrivateDataSync } from "./storage/private-files.js";
import { createTokenService } from "./tokens/create-token-service.js";
import { forkSpawner, type HostSpawner } from "./tokens/host-spawner.js";
import type { TokenService } from "./tokens/token-service.js";
import { combineCertificateSources } from "./tokens/combined-sources.js";
import { createRemoteSource, type RemoteSourceHooks } from "./remote/remote-source.js";
import { createRemoteAccounts } from "./remote/remote-accounts.js";

export interface CoreOptions {
  /** Settings, pairings, audit log and the local certificate live here. */
  readonly dataDir: string;
  /** Machine policy file; an invalid file throws PolicyFileError from createCore. */
  readonly policyFile?: string;
  /** An already loaded policy (wins over policyFile). */
  readonly policy?: KysoPolicy;
  /**
   * The machine policy the app discovered (policy/machine-policy.ts; wins over `policyFile`). An invalid one keeps
   * the bridge off and the core locked down (no origins, no pairing): diagnostics and the tray say why. Silently
   * running with no policy instead would widen what the organisation allowed.
   */
  readonly machinePolicy?: MachinePolicy;
  /** Extra PKCS#11 module paths, loaded like the user's own (the sandbox's `--module`). */
  readonly modules?: readonly string[];
  /** Look up the driver catalogue for installed vendor modules (default true). */
  readonly catalogue?: boolean;
  /** Injected token layer (tests); default: token hosts over `spawner`. */
  readonly tokenService?: TokenService;
  readonly spawner?: HostSpawner;
  /** Injected signing formats; default: every format of main/core/signing in bounded document workers, with the policy's TSA. */
  readonly signing?: SigningPort;
  /**
   * Injected revocation check (tests); default: a RevocationService over the certificate's own OCSP/CRL URLs,
   * `offline` from the policy. Used only when policy `revocationCheck` is not "off".
   */
  readonly revocation?: RevocationPort;
  /** Evidence folder limits (tests: small caps); default policy `evidence` (256 MiB soft, 1 GiB hard, last 30 days kept). */
  readonly evidence?: Omit<EvidenceStoreOptions, "now">;
  /** TLS roots for fetching policy `trustBundle.url` (tests: the local https server's certificate); default the system's. */
  readonly trustBundleCa?: string;
  /** How the OS store is read under policy `trustAnchorsOsStore` (tests: a temporary bundle file); default the OS's. */
  readonly osStore?: OsStoreOptions;
  /** Listener ports; `[0]` = any free port (tests), `[]` = listener off. Default: policy, then DEFAULT_PORTS. */
  readonly bridgePorts?: Partial<BridgePorts>;
  /** Vendor adapter ports (tests: `0`); default 8987, 14007, 14407. Adapters run only when the policy lists origins. */
  readonly compatPorts?: Partial<CompatPorts>;
  /** Test hooks for the adapters (an injected resolver for VGCA file flows). */
  readonly compatHooks?: CompatHooks;
  /** Install the local CA into the user's trust stores at start (the app: true; tests and sandbox: false). */
  readonly installTrust?: boolean;
  /** The per-machine install's certificate folder (deploy/machine-paths.ts `machineTlsDir`), when installed so. */
  readonly machineTlsDir?: string;
  /** Home folder whose trust stores get the CA (tests use a temporary HOME). */
  readonly home?: string;
  readonly language?: Language;
  readonly clock?: () => Date;
  /**
   * Remote signing accounts (policy `remoteSigning.providers`, settings `remoteAccounts`): the transport, clock and
   * CSC sign-in steps the app (or a test) supplies. The accounts are offered whether or not this is given.
   */
  readonly remote?: RemoteSourceHooks;
  /** The shell's open dialogs for "Sign files" (Electron's; the browser transport's stand-in); absent: no dialog. */
  readonly fileDialogs?: FileDialogs;
  /**
   * The `kyso` command's channel (cli-channel/, docs/cli.md): default on at `cliChannelPath(dataDir)`; `false` off
   * (the sandbox, tests that do not need it).
   */
  readonly cliChannel?: boolean;
}

export interface KysoCore {
  readonly handlers: AppHandlers;
  onEvent<E extends AppEvent>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
  /** The core's own document workers (signing and verification; verification's only when `signing` was injected): how many run, busy, queued. */
  documentWorkers(): DocumentWorkerStats | undefined;
  readonly bridge: {
    readonly ports: { ws?: number; wss?: number };
    /** Vendor adapter ports, only those listening. */
    readonly compatPorts: { vgca?: number; signpluginHttp?: number; signpluginHttps?: number; signpluginV2?: number };
    readonly caCertificatePem?: string;
    /** Connection slots taken (read-only, for tests and diagnostics). */
    readonly connectionSlots: number;
    /** Reach requests answered (bridge/reach.ts; tests prove a page's SDK asked before connecting). */
    readonly reachAnswered: number;
  };
  /**
   * PDFs the desktop handed to KySo (argv of the first or a second instance): kept and announced as `files.opened`
   * for the "Sign files" page; returns what was kept (regular PDF files only), undefined when nothing.
   */
  openFiles(paths: readonly string[], action: OpenedFilesAction): OpenedFiles | undefined;
  /** Token hosts + bridge listeners. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): KysoCore {
  const now = options.clock ?? (() => new Date());
  const machine = options.machinePolicy;
  const policy = options.policy ?? (machine ? (machine.status === "invalid" ? lockedDownPolicy() : machine.policy) : loadPolicy(options.policyFile));
  // Data folder 0700, KySo's files 0600, before any store opens them (an earlier version may have left them wider).
  securePrivateDataSync(options.dataDir);
  const settings = createSettingsStore(options.dataDir, policy, { language: options.language ?? "vi" });
  const pairings = createPairingStore(options.dataDir);
  const audit = createAuditLog(options.dataDir);
  const evidence = createEvidenceStore(options.dataDir, { now, ...evidenceOptionsOf(policy.evidence), ...options.evidence });
  const events = new EventEmitter();
  const emit = <E extends AppEvent>(event: E, payload: AppEvents[E]): void => void events.emit(event, payload);
  const language = (): Language => settings.view().language;

  const tokenHosts =
    options.tokenService ??
    createTokenService({
      modules: { policy: policy.modules, user: [...settings.view().userModules, ...(options.modules ?? [])], catalogue: options.catalogue ?? !policy.disableModuleDiscovery },
      spawner: options.spawner ?? forkSpawner(),
      pinCacheMinutes: settings.view().pinCacheMinutes,
      trustAnchors: policy.trustAnchors.map(pemToDer),
    });
  // Remote accounts beside the tokens, behind the same TokenService (only when the policy configures a provider).
  const remote =
    policy.remoteSigning.providers.length > 0
      ? createRemoteSource({
          providers: policy.remoteSigning.providers,
          accounts: () => settings.view().remoteAccounts,
          trustAnchors: policy.trustAnchors.map(pemToDer),
          ...(options.remote ? { hooks: options.remote } : {}),
        })
      : undefined;
  const tokens = combineCertificateSources(tokenHosts, remote);

  const autoHide = createSuccessAutoHide({
    delaySeconds: () => settings.view().approvalAutoHideSeconds,
    onHide: (event) => emit("approvalAutoHide", event),
  });
  const approvals = createApprovalQueue({
    timeoutMs: policy.limits.approvalTimeoutSeconds * 1000,
    now,
    language,
    onChange: (views) => {
      emit("approvalsChanged", views);
      autoHide.observe(views);
    },
  });

  // Page documents are parsed only in bounded workers, never on this thread (threat model, "Document reading").
  // One revocation service per core: the pre-sign check and the long-term levels' validation data share its cache.
  const revocationService = new RevocationService({ offline: policy.revocationOffline, now, policyUrls: policy.revocationUrls });
  // The user's stamp images go to the signing port only (never to the bridge): stamps/stamp-image-store.ts.
  const stampImages = createStampImageStore(options.dataDir);
  const ownSigning = options.signing
    ? undefined
    : workerSigningPort({ timestampAuthority: () => policy.tsa, revocation: () => revocationService, stampImages: (fingerprint) => stampImages.get(fingerprint) });
  const signing = options.signing ?? ownSigning!;

  const revocation = options.revocation ?? revocationPort(revocationService);
  // Verification shares the signing workers (one bound on document work); with injected formats it gets its own,
  // started only by the first verification.
  const ownVerifyWorkers = ownSigning ? undefined : createDocumentWorkers();
  const verifier = createDocumentVerifier({
    workers: ownSigning?.workers ?? ownVerifyWorkers!,
    anchors: () => trust.anchors(),
    revocation: revocationService,
    now,
  });
  // Trust anchors (national roots, policy, signed bundle) and the chain check before each approval.
  const trust: TrustParts = createTrust({ dataDir: options.dataDir, policy, now, revocation: revocationService, ...(options.trustBundleCa ? { ca: options.trustBundleCa } : {}), ...(options.osStore ? { osStore: options.osStore } : {}) });

  // The verify page: the same workers and anchors as the bridge's `verify`, and online look-ups only for a
  // certificate that chains to one of those anchors (a received file must not make KySo fetch its own URLs).
  const pageAnchors = () => trust.anchors();
  const verify = {
    workers: () => ownSigning?.workers ?? ownVerifyWorkers!,
    anchors: pageAnchors,
    ...(policy.revocationCheck === "off"
      ? {}
      : { revocation: { check: async (certificate: Uint8Array, issuer?: Uint8Array) => trustedLookups(revocationService, await pageAnchors(), now).check(certificate, issuer) } }),
  };

  const services = { policy, pairings, tokens, approvals, signing, revocation, verifier, chains: trust.chains, audit, evidence, choices: settings.certificateChoices, now, language };
  const bridge = createBridge({
    services,
    ...(options.bridgePorts ? { ports: options.bridgePorts } : {}),
    ...(options.compatPorts ? { compatPorts: options.compatPorts } : {}),
    ...(options.compatHooks ? { compatHooks: options.compatHooks } : {}),
    tlsDir: join(options.dataDir, "tls"),
    ...(options.machineTlsDir ? { machineTlsDir: options.machineTlsDir } : {}),
    ...(options.installTrust ? { trustStore: { platform: process.platform, home: options.home ?? homedir() } } : {}),
  });
  bridge.setPaused(settings.view().bridgePaused);

  const openedFiles = createOpenedFiles((opened) => emit("files.opened", opened));
  const handlers = createAppHandlers({
    openedFiles,
    tokens,
    approvals,
    pairings,
    policy,
    // Diagnostics describes the policy in force: one handed over already loaded is an organisation's policy too.
    ...policyOrigin(machine, options),
    audit,
    evidence,
    now,
    settings,
    bridge,
    onSettingsChanged: (view) => {
      remote?.refresh();
      emit("settingsChanged", view);
    },
    verify,
    localSigner: createLocalSigner(services),
    ...(options.fileDialogs ? { fileDialogs: options.fileDialogs } : {}),
    trustChain: trust.view,
    trustBundle: () => trust.bundles.status(),
    remoteAccounts: createRemoteAccounts({
      providers: policy.remoteSigning.providers,
      ...(remote ? { clients: remote.clients } : {}),
      accounts: () => settings.view().remoteAccounts,
      ...(options.remote?.secretStoreStatus ? { secretStoreStatus: options.remote.secretStoreStatus } : {}),
      changed: () => remote?.refresh(true),
      signedOut: (providerId) => remote?.forget(providerId),
    }),
    trustAnchors: () => trust.anchorSummary(),
    stampImages,
  });

  // The `kyso` command's door: the same approval queue and local signer, shown as from the CLI.
  const cliChannel =
    options.cliChannel === false
      ? undefined
      : createCliChannel({
          dataDir: options.dataDir,
          policy,
          approvals,
          certificates: () => tokens.listCertificates(),
          signer: (origin) => createLocalSigner(services, origin),
          onApprovalsChanged: (listener) => {
            events.on("approvalsChanged", listener);
            return () => void events.off("approvalsChanged", listener);
          },
          language,
          handlers,
          audit,
          now,
        });

  const offTokens = tokens.onEvent((event) => {
    emit("tokensChanged", event.tokens);
    bridge.broadcastTokens(event.tokens);
  });

  return {
    handlers,
    onEvent(event, listener) {
      events.on(event, listener as (payload: unknown) => void);
      return () => void events.off(event, listener as (payload: unknown) => void);
    },
    openFiles: (paths, action) => openedFiles.open(paths, action),
    documentWorkers: () => (ownSigning?.workers ?? ownVerifyWorkers)?.stats(),
    bridge: {
      get ports() {
        return bridge.ports;
      },
      get compatPorts() {
        return bridge.compatPorts;
      },
      get caCertificatePem() {
        return bridge.caCertificatePem;
      },
      get connectionSlots() {
        return bridge.connectionSlots;
      },
      get reachAnswered() {
        return bridge.reachAnswered;
      },
    },
    async start() {
      const ready = (tokens as { ready?: () => Promise<void> }).ready;
      if (ready) await ready.call(tokens);
      // No document worker yet: each is a V8 isolate of tens of MB, started by the first document request
      // (docs/performance.md, app: idle RSS against the first request's latency).
      // An invalid machine policy: nothing listens until the admin fixes it (the app re-reads it on change).
      // The trust bundle on disk is in force before the first request; its URL is fetched in the background.
      await trust.start();
      if (machine?.status !== "invalid") await bridge.start();
      await cliChannel?.start();
    },
    async close() {
      offTokens();
      await cliChannel?.close();
      trust.stop();
      autoHide.close();
      approvals.close();
      await bridge.close();
      await tokens.close();
      await ownSigning?.close();
      await ownVerifyWorkers?.close();
      await audit.flush();
      events.removeAllListeners();
    },
  };
}

/** The token's certificate, issued by the first element of its chain (none: the service answers "no-issuer"). */
function revocationPort(service: RevocationService): RevocationPort {
  return {
    check: (certificate) =>
      service.check(Buffer.from(certificate.certificate, "base64"), certificate.chain[0] ? Buffer.from(certificate.chain[0], "base64") : undefined),
  };
}

/** In force while the machine policy is invalid: no portal, no pairing, no listener (see `machinePolicy`). */
function lockedDownPolicy(): KysoPolicy {
  return { ...defaultPolicy(), allowUserPairing: false };
}

/** Diagnostics' account of the policy in force (handlers' `policySource`, `policyFile`, `policyProblems`). */
function policyOrigin(machine: MachinePolicy | undefined, options: CoreOptions): Pick<AppHandlerDeps, "policySource" | "policyFile" | "policyProblems"> {
  if (!machine) {
    const source = options.policyFile ? "file" : options.policy ? "provided" : "default";
    return { policySource: source, ...(options.policyFile ? { policyFile: options.policyFile } : {}) };
  }
  if (machine.status === "none") return { policySource: "default" };
  const where = { policySource: machine.source.kind, policyFile: machine.source.location } as const;
  return machine.status === "invalid" ? { ...where, policyProblems: machine.problems } : where;
}

function pemToDer(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ""), "base64");
}
