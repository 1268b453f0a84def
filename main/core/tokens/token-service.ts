import type { CertificateInfo } from "../../domain/certificate.js";
import type { Signer } from "../../domain/signer.js";
import type { ModuleDiagnostic, TokenInfo } from "../../domain/token.js";
import type { RemoteSignState } from "../remote/types.js";

/**
 * A PIN on its way from the approval UI to C_Login. It is a Buffer so it can be zeroed: `openSigner` wipes it
 * once the login is done, whatever the outcome. It is never logged, stored or sent back.
 */
export type PinBuffer = Buffer;

export interface OpenSignerOptions {
  readonly certificateId: string;
  /** `null` for PIN pad tokens (protected authentication path) and for tokens already logged in by the PIN cache. */
  readonly pin: PinBuffer | null;
  /** Abort when the approval is withdrawn (or, for a remote account, cancelled while waiting for the phone). */
  readonly signal?: AbortSignal;
  /**
   * A remote account's confirmation (main/core/remote): what the phone app shows (document title, portal origin)
   * and the typed states while it waits. Tokens ignore it.
   */
  readonly confirmation?: SignerConfirmation;
}

export interface SignerConfirmation {
  readonly description: string;
  readonly origin: string;
  readonly onState?: (state: RemoteSignState) => void;
  /** CSC explicit authorization: the approval asks the user for the OTP (typed only in KySo's window). */
  readonly otp?: () => Promise<string>;
}

/** A signer bound to a logged-in session; `close()` logs out (unless the PIN cache keeps it) and frees the session. */
export interface OpenedSigner extends Signer {
  readonly certificateId: string;
  close(): Promise<void>;
}

export type TokenEvent = { readonly kind: "tokensChanged"; readonly tokens: readonly TokenInfo[] };

/**
 * What the rest of the core sees of tokens. Implemented over token host processes (one per PKCS#11 module);
 * every failure arrives as a KysoError (`token_not_present`, `token_removed`, `pin_incorrect` with
 * `details.pinStatus`, `pin_locked`, `certificate_not_found`, `timeout`, `signing_failed`, `module_unavailable`).
 */
export interface TokenService {
  listTokens(): Promise<readonly TokenInfo[]>;
  listCertificates(): Promise<readonly CertificateInfo[]>;
  /** Logs in (never retrying a PIN) and returns a signer; one operation at a time per token. */
  openSigner(options: OpenSignerOptions): Promise<OpenedSigner>;
  diagnostics(): readonly ModuleDiagnostic[];
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: TokenEvent) => void): () => void;
  close(): Promise<void>;
}
