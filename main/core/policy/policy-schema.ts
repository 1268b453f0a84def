/**
 * The machine policy file (docs/policy.md): what an administrator fixes for every user of the machine. It is
 * validated whole at load time; a file that fails the schema stops the app with the list of problems instead of
 * being half-applied.
 */
import { z } from "zod";
import { SIGNING_FORMATS } from "../app-info.js";
import { MAX_PDF_BYTES } from "../signing/limits.js";
import { normaliseConfiguredOrigin } from "./origin.js";
import { STAMP_PRESET_NAMES } from "../../domain/stamp-presets.js";

const port = z.number().int().min(1).max(65535);

const origin = z
  .string()
  .max(2048)
  .transform((value, context) => {
    const normalised = normaliseConfiguredOrigin(value);
    if (!normalised || !(normalised.startsWith("https://") || normalised.startsWith("http://"))) {
      context.addIssue({ code: "custom", message: `not a bare origin (scheme://host[:port]): ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return normalised;
  });

export const limitsSchema = z.strictObject({
  /** Largest WebSocket message accepted, bytes. */
  maxMessageBytes: z.number().int().min(64 * 1024).max(512 * 1024 * 1024).default(64 * 1024 * 1024),
  maxConnections: z.number().int().min(1).max(1000).default(32),
  maxConnectionsPerOrigin: z.number().int().min(1).max(1000).default(8),
  /** sign/signBatch requests waiting for approval or signing per origin; more → `busy`. */
  maxPendingSignsPerOrigin: z.number().int().min(1).max(100).default(4),
  /** Requests per origin per minute for actions (`sign`, `signBatch`, `pair`, anything not cheap); more → `rate_limited`. */
  requestsPerMinute: z.number().int().min(1).max(100_000).default(120),
  /**
   * Cheap read-only calls (`hello`, `tokens.list`, `certificates.list`) per origin per minute: their own budget, so a
   * portal's heartbeat can never use up the budget its signing needs.
   */
  readRequestsPerMinute: z.number().int().min(1).max(100_000).default(600),
  /**
   * Origins neither allowlisted nor paired share this small pool of connections (all of them together), apart from
   * `maxConnections`, so no number of unknown sites can take a slot a trusted portal needs.
   */
  maxUnknownConnections: z.number().int().min(1).max(1000).default(8),
  /** Connections one unknown origin may hold (inside `maxUnknownConnections`). */
  maxConnectionsPerUnknownOrigin: z.number().int().min(1).max(1000).default(2),
  /** Requests per minute from all unknown origins together (each is also held to its own per-origin budgets). */
  unknownRequestsPerMinute: z.number().int().min(1).max(100_000).default(60),
  /** "Allow this site?" prompts waiting at once, all origins together (one per origin at most); more → `busy`. */
  maxPendingPairPrompts: z.number().int().min(1).max(100).default(3),
  /** After the user refuses to pair a site, its `pair` answers `rate_limited` for this long. */
  pairRefusalCooldownSeconds: z.number().int().min(0).max(86_400).default(600),
  /** A connection that answers no ping for this long is closed. */
  idleTimeoutSeconds: z.number().int().min(5).max(3600).default(60),
  approvalTimeoutSeconds: z.number().int().min(10).max(3600).default(120),
  maxBatchItems: z.number().int().min(1).max(1000).default(100),
});
export type BridgeLimits = z.infer<typeof limitsSchema>;

/**
 * A remote signing service the organisation registered KySo with (docs/remote-signing.md). The CA issues
 * `spId`/`spPassword` (VNPT SmartCA, NEAC) or a confidential client's `clientSecret` (CSC) to a registered
 * information system: they come only from here, never from the user's settings, and never reach logs, audit or
 * diagnostics (`policyView` names the providers only).
 */
export const remoteProviderSchema = z
  .strictObject({
    /** Short id, part of the pseudo-token id `remote:<id>` and the user's account setting key. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
    kind: z.enum(["vnpt-smartca", "neac", "csc", "viettel-mysign"]),
    /** Shown in the certificate list and the approval ("VNPT SmartCA"); default: the kind's own name. */
    name: z.string().min(1).max(100).optional(),
    /** API base with the trailing slash; https only, except a loopback address (the sandbox and tests). */
    baseUrl: z.url({ protocol: /^https?$/ }).refine((value) => value.startsWith("https://") || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(value), "https only (http for loopback)"),
    spId: z.string().min(1).max(256).optional(),
    spPassword: z.string().min(1).max(1024).optional(),
    clientId: z.string().min(1).max(256).optional(),
    clientSecret: z.string().min(1).max(1024).optional(),
    redirectUri: z.url({ protocol: /^https?$/ }).optional(),
    /** Viettel MySign: the signing profile Viettel-CA assigns with the client (e.g. `adss:ras:profile:001`). */
    profileId: z.string().min(1).max(256).optional(),
    /** Viettel MySign: `login` (one session per user, default) or `client-credentials` (one for the organisation). */
    auth: z.enum(["login", "client-credentials"]).optional(),
  })
  .superRefine((provider, context) => {
    const needs =
      provider.kind === "csc"
        ? (["clientId", "redirectUri"] as const)
        : provider.kind === "viettel-mysign"
          ? (["clientId", "clientSecret"] as const)
          : (["spId", "spPassword"] as const);
    for (const key of needs) if (provider[key] === undefined) context.addIssue({ code: "custom", path: [key], message: `${provider.kind} needs ${key}` });
  });
export type RemoteProviderPolicy = z.infer<typeof remoteProviderSchema>;

export const policySchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Origins allowed without user pairing: `https://dichvucong.gov.vn`. */
  allowedOrigins: z.array(origin).max(1000).default([]),
  allowUserPairing: z.boolean().default(true),
  /** Accept `http://localhost|127.0.0.1|[::1]:*` origins (portal development only). */
  developerOrigins: z.boolean().default(false),
  ports: z
    .strictObject({ wss: z.array(port).min(1).max(8).optional(), ws: z.array(port).min(1).max(8).optional() })
    .default({}),
  limits: limitsSchema.default(limitsSchema.parse({})),
  /** PKCS#11 module paths loaded for every user. */
  modules: z.array(z.string().min(1).max(4096)).max(64).default([]),
  /** PEM certificates added to chain building (e.g. a CA's test root). */
  trustAnchors: z.array(z.string().min(1).max(64 * 1024)).max(64).default([]),
  /** PEM or DER files of trust anchors (an organisation's own root, the CA's published file), read at start. */
  trustAnchorFiles: z.array(z.string().min(1).max(4096)).max(64).default([]),
  /** Folders of anchors: every .pem/.crt/.cer/.der directly inside (an admin drops a CA's root in). */
  trustAnchorFolders: z.array(z.string().min(1).max(4096)).max(16).default([]),
  /** PEM or DER files of intermediate CAs for chain building (a CA that publishes no AIA caIssuers). */
  trustIntermediateFiles: z.array(z.string().min(1).max(4096)).max(64).default([]),
  /**
   * OCSP responders and CRLs the organisation names, for one issuer (its SHA-256 fingerprint) or for every issuer:
   * asked after the certificate's own (Circular 15/2025: only CA-published URLs, from the certificate or the policy).
   */
  revocationUrls: z
    .array(
      z.strictObject({
        issuerFingerprintSha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lower-case hex digits").optional(),
        ocsp: z.array(z.url({ protocol: /^https?$/ })).min(1).max(8).optional(),
        crl: z.array(z.url({ protocol: /^https?$/ })).min(1).max(8).optional(),
      }),
    )
    .max(32)
    .default([]),
  /**
   * Also use the OS certificate store's roots as trust anchors (Windows LocalMachine\Root, the macOS system
   * keychains, the Linux distribution bundle). Off by default: that store is for TLS, and a web-PKI root must not
   * silently become a signing trust anchor. Anchors from it are labelled "(system store)".
   */
  trustAnchorsOsStore: z.boolean().default(false),
  tsa: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }).optional(),
  pinCacheAllowed: z.boolean().default(false),
  /**
   * Revocation check of the signer's certificate before the approval opens (Circular 15/2025): `off` none, `warn`
   * sign with the result shown in the approval, `require` refuse a certificate whose status is not "good".
   */
  revocationCheck: z.enum(["off", "warn", "require"]).default("warn"),
  /** Fetch nothing (no OCSP, no CRL): only answers already cached count; otherwise "not checked (offline)". */
  revocationOffline: z.boolean().default(false),
  /**
   * Trust path of the signer's certificate to a trust anchor (the national roots, `trustAnchors`, the trust bundle)
   * before the approval opens: `off` none, `warn` sign with "no trusted path" shown, `require` refuse such a
   * certificate. Revocation of the chain's intermediate CAs follows `revocationCheck`.
   */
  chainCheck: z.enum(["off", "warn", "require"]).default("warn"),
  /**
   * Signed trust bundle with more anchors and intermediates (docs/admin.md, "Trust bundle"): read from `file` and/or
   * fetched from `url` (https only; never a URL a page supplies), used only when signed by one of `publisherKeys`
   * (PEM SubjectPublicKeyInfo), not expired and not older than the bundle in use.
   */
  trustBundle: z
    .strictObject({
      file: z.string().min(1).max(4096).optional(),
      url: z.url({ protocol: /^https$/ }).max(2048).optional(),
      publisherKeys: z.array(z.string().min(1).max(16 * 1024)).min(1).max(8),
      /** How often the URL is fetched again. */
      refreshHours: z.number().int().min(1).max(24 * 30).default(24),
    })
    .optional(),
  /** Evidence kept next to the audit log (main/core/evidence/evidence-store.ts): sizes in MiB, `keepDays` survive the soft cap. */
  evidence: z
    .strictObject({
      maxMegabytes: z.number().int().min(1).max(1024 * 1024).default(256),
      hardMaxMegabytes: z.number().int().min(1).max(1024 * 1024).default(1024),
      keepDays: z.number().int().min(0).max(3650).default(30),
    })
    .default({ maxMegabytes: 256, hardMaxMegabytes: 1024, keepDays: 30 }),
  /**
   * Load only the policy's and the user's PKCS#11 modules: no probing of the driver catalogue's well-known paths
   * (admins who install exactly one CA's driver and want nothing else loaded into the token hosts).
   */
  disableModuleDiscovery: z.boolean().default(false),
  /** Signing formats portals may ask for; absent = all. A request for another format is refused before the approval. */
  allowedFormats: z.array(z.enum(SIGNING_FORMATS)).min(1).max(SIGNING_FORMATS.length).optional(),
  /**
   * Largest document (decoded bytes) a portal may send, for every format; lowers the formats' own caps
   * (docs/formats.md), never raises them. Larger → `document_too_large` before the approval.
   */
  maxDocumentBytes: z.number().int().min(1024).max(MAX_PDF_BYTES).optional(),
  /**
   * Whether KySo may check for and download updates by itself. Off unless the policy turns it on: managed installs
   * are updated by the admin's own deployment (KySo has no updater of its own yet, so today this only documents
   * the admin's intent and shows in diagnostics).
   */
  autoUpdate: z.boolean().default(false),
  /**
   * `write`: the per-machine installers also write the browser policies generated from `allowedOrigins`
   * (`deploy/`, docs/admin.md) so those portals reach KySo without a Local Network Access prompt. `off`: the admin
   * manages browser policies separately.
   */
  browserPolicy: z.enum(["off", "write"]).default("off"),
  /**
   * Vendor protocol adapters (main/core/compat, docs/compatibility.md): each is off until its origin list names at
   * least one portal; only those exact origins get an answer, through the same gate, limits and approval.
   */
  compatibility: z
    .strictObject({
      /** VGCA Sign Service (`wss://127.0.0.1:8987/<Endpoint>`). */
      vgca: z.strictObject({ origins: z.array(origin).max(1000).default([]) }).default({ origins: [] }),
      /** Viettel-CA SignPlugin (`http://127.0.0.1:14007/`, `https://127.0.0.1:14407/`). */
      signplugin: z.strictObject({ origins: z.array(origin).max(1000).default([]) }).default({ origins: [] }),
    })
    .default({ vgca: { origins: [] }, signplugin: { origins: [] } }),
  /** Remote signing accounts (ký số từ xa): the services users may sign with besides their USB tokens. */
  remoteSigning: z
    .strictObject({
      providers: z
        .array(remoteProviderSchema)
        .max(16)
        .default([])
        .refine((list) => new Set(list.map((p) => p.id)).size === list.length, "provider ids must be unique"),
    })
    .default({ providers: [] }),
  /**
   * Certificates the `kyso` command may sign with WITHOUT an approval in the app (docs/cli.md, "Unattended signing"):
   * SHA-256 fingerprints (hex; colons and case ignored), optionally only for some presets. Default none: every CLI
   * run waits for the user's one approval. The PIN then comes from the command's stdin (`--pin-stdin`).
   */
  unattendedSigning: z
    .strictObject({
      certificates: z
        .array(z.string().regex(/^(?:[0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/, "a SHA-256 fingerprint (64 hex digits)").transform((f) => f.replace(/:/g, "").toLowerCase()))
        .max(64)
        .default([]),
      presets: z.array(z.enum(STAMP_PRESET_NAMES)).min(1).max(STAMP_PRESET_NAMES.length).optional(),
    })
    .default({ certificates: [] }),
  /** Settings fixed by the organisation: shown locked in the app. */
  managed: z
    .strictObject({
      language: z.enum(["vi", "en"]).optional(),
      startAtLogin: z.boolean().optional(),
      pinCacheMinutes: z.number().int().min(0).max(480).optional(),
      bridgePaused: z.boolean().optional(),
    })
    .default({}),
});

export type KysoPolicy = z.infer<typeof policySchema>;

/** The policy when no file is installed: nothing allowlisted, users may pair. */
export function defaultPolicy(): KysoPolicy {
  return policySchema.parse({});
}
