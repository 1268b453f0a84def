/**
 * What a token host does with each request, on one PKCS#11 module. Transport-free so it can be read (and
 * reasoned about) apart from the process plumbing in host-main.ts.
 *
 * State lives here and only here: the sessions of opened signers (by opaque ref) and, per token, how many signers
 * hold its login and the session that keeps a cached login alive. A token that disappears from the slot list
 * loses all of it.
 */
import { randomUUID } from "node:crypto";
import { KysoError } from "../../main/domain/errors/index.js";
import type { KeyAlgorithm } from "../../main/domain/signer.js";
import { mapPkcs11Error, type Pkcs11Operation } from "../pkcs11/ckr-errors.js";
import { ModuleLoadError, Pkcs11Module, type Handle } from "../pkcs11/core.js";
import { findCertificates } from "../pkcs11/find-certificates.js";
import { findKeys, findPrivateKeysById } from "../pkcs11/find-keys.js";
import { login } from "../pkcs11/login.js";
import { logout } from "../pkcs11/logout.js";
import { certificatePublicKey, choosePrivateKey, pairCertificatesWithKeys } from "../pkcs11/pair-keys.js";
import { closeSessionQuietly, openReadOnlySession } from "../pkcs11/session.js";
import { pollSlotEvents } from "../pkcs11/slot-events.js";
import { sign, type SigningKey } from "../pkcs11/sign.js";
import { findSlotToken, listSlotTokens } from "../pkcs11/slots.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { HostOp, HostParams, HostResult } from "./protocol.js";

interface OpenedSession {
  readonly token: string;
  readonly session: Handle;
  readonly key: SigningKey;
  /** Kept only for CKA_ALWAYS_AUTHENTICATE keys (each signature needs the PIN again); zeroed on close. */
  readonly contextPin: Buffer | null;
}

interface TokenLogin {
  openSigners: number;
  /** A session left open so the token stays logged in for the PIN cache. */
  cacheSession?: Handle;
}

export class TokenHost {
  private module: Pkcs11Module | undefined;
  private readonly sessions = new Map<string, OpenedSession>();
  private readonly logins = new Map<string, TokenLogin>();
  private readonly queue = new KeyedQueue();

  constructor(private readonly modulePath: string) {}

  handle<O extends HostOp>(op: O, params: HostParams<O>): Promise<HostResult<O>> {
    const handlers: { [K in HostOp]: (params: HostParams<K>) => Promise<HostResult<K>> | HostResult<K> } = {
      probe: () => this.loaded().info(),
      listTokens: () => ({ tokens: this.listTokens() }),
      slotEvents: () => ({ events: this.guard("enumerate", undefined, () => pollSlotEvents(this.loaded())) }),
      listObjects: (p) => this.queue.run(p.token, () => this.listObjects(p.token)),
      open: (p) => this.queue.run(p.token, () => this.open(p)),
      sign: (p) => this.queue.run(this.opened(p.ref).token, () => this.sign(p)),
      close: (p) => {
        const opened = this.sessions.get(p.ref);
        return opened ? this.queue.run(opened.token, () => this.close(p.ref, p.keepLogin)) : {};
      },
      logout: (p) => (p.token ? this.queue.run(p.token, () => this.logout(p.token as string)) : this.logoutAll()),
    };
    return Promise.resolve().then(() => (handlers[op] as (params: HostParams<O>) => Promise<HostResult<O>>)(params));
  }

  private loaded(): Pkcs11Module {
    if (!this.module) {
      try {
        this.module = Pkcs11Module.open(this.modulePath);
      } catch (error) {
        if (error instanceof ModuleLoadError) {
          throw new KysoError("module_unavailable", error.message, { reason: error.reason });
        }
        throw error;
      }
    }
    return this.module;
  }

  private listTokens(): HostResult<"listTokens">["tokens"] {
    const module = this.loaded();
    const tokens = this.guard("enumerate", undefined, () => listSlotTokens(module));
    // A token that left the slot list takes its sessions and its login with it (PIN cache: logout on removal).
    const present = new Set(tokens.map((token) => token.key));
    for (const key of new Set([...this.logins.keys(), ...[...this.sessions.values()].map((s) => s.token)])) {
      if (!present.has(key)) this.forget(key);
    }
    return tokens.map(({ slot: _slot, ...token }) => token);
  }

  private listObjects(token: string): HostResult<"listObjects"> {
    const module = this.loaded();
    return this.guard("enumerate", token, () => {
      const slot = this.slotOf(token);
      const session = openReadOnlySession(module, slot);
      try {
        const certificates = findCertificates(module, session);
        // Private keys are listed too: some tokens show them before login, and after a cached login all do.
        const keys = [...findKeys(module, session, "public"), ...findKeys(module, session, "private")];
        return {
          certificates: pairCertificatesWithKeys(certificates, keys).map((paired) => ({
            der: paired.certificate.der.toString("base64"),
            certId: paired.certificate.id,
            label: paired.certificate.label,
            keyId: paired.keyId,
            pairedBy: paired.pairedBy,
          })),
        };
      } finally {
        closeSessionQuietly(module, session);
      }
    });
  }

  private open(params: HostParams<"open">): HostResult<"open"> {
    const module = this.loaded();
    const pin = params.pin === null ? null : Buffer.from(params.pin, "base64");
    let contextPin: Buffer | null = null;
    let session: Handle | undefined;
    try {
      const slotToken = this.guard("open", params.token, () => findSlotToken(module, params.token));
      if (!slotToken) throw new KysoError("token_not_present", "token not in any slot");
      if (slotToken.pinStatus === "locked") throw new KysoError("pin_locked", "CKF_USER_PIN_LOCKED", { pinStatus: "locked" });
      const pinPad = slotToken.protectedAuthenticationPath;
      const usePin = pinPad ? null : pin;
      session = this.guard("open", params.token, () => openReadOnlySession(module, slotToken.slot));
      const opened = session;
      const state = this.logins.get(params.token) ?? { openSigners: 0 };
      // Only a cached or concurrent login lets a signer open without a PIN; otherwise a missing PIN is refused
      // here rather than sent to the token as an empty one.
      if (usePin === null && !pinPad && state.openSigners === 0 && !state.cacheSession) {
        throw new KysoError("pin_incorrect", "no PIN and the token is not logged in", { pinStatus: slotToken.pinStatus });
      }
      // Copy before login consumes the Buffer: an always-authenticate key needs the PIN again at each C_Sign.
      const pinCopy = usePin ? Buffer.from(usePin) : null;
      let outcome: "loggedIn" | "alreadyLoggedIn" | "pinPad";
      try {
        const result = usePin === null && !pinPad ? "alreadyLoggedIn" : this.guard("login", params.token, () => login(module, opened, usePin));
        outcome = pinPad && result === "loggedIn" ? "pinPad" : result;
      } catch (error) {
        pinCopy?.fill(0);
        throw error;
      }
      const key = this.guard("open", params.token, () => this.findSigningKey(opened, params.keyId, params.certificate, params.keyAlgorithm));
      if (key.alwaysAuthenticate) contextPin = pinCopy;
      else pinCopy?.fill(0);
      const ref = randomUUID();
      this.sessions.set(ref, { token: params.token, session: opened, key, contextPin });
      state.openSigners++;
      this.logins.set(params.token, state);
      session = undefined;
      contextPin = null;
      return { ref, alwaysAuthenticate: key.alwaysAuthenticate, login: outcome };
    } finally {
      pin?.fill(0);
      contextPin?.fill(0);
      if (session) closeSessionQuietly(module, session);
    }
  }

  private findSigningKey(session: Handle, keyId: string, certificate: string, algorithm: KeyAlgorithm): SigningKey {
    const module = this.loaded();
    const publicKey = certificatePublicKey(Buffer.from(certificate, "base64"));
    const key = choosePrivateKey(publicKey, findPrivateKeysById(module, session, keyId), () => findKeys(module, session, "private"));
    if (!key) throw new KysoError("certificate_not_found", "no private key for the certificate");
    return { handle: key.handle, algorithm, alwaysAuthenticate: key.alwaysAuthenticate };
  }

  private async sign(params: HostParams<"sign">): Promise<HostResult<"sign">> {
    const opened = this.opened(params.ref);
    const module = this.loaded();
    const request = { hashAlgorithm: params.hashAlgorithm, digest: Buffer.from(params.digest, "base64"), scheme: params.scheme };
    try {
      const contextPin = opened.contextPin ? Buffer.from(opened.contextPin) : null;
      const signature = await sign(module, opened.session, opened.key, request, contextPin);
      return { value: Buffer.from(signature.value).toString("base64"), raw: Buffer.from(signature.raw).toString("base64") };
    } catch (error) {
      if (error instanceof TypeError) throw new KysoError("unsupported_algorithm", error.message);
      throw this.mapError(error, "sign", opened.token);
    }
  }

  private close(ref: string, keepLogin: boolean): HostResult<"close"> {
    const opened = this.sessions.get(ref);
    if (!opened) return {};
    const module = this.loaded();
    this.sessions.delete(ref);
    opened.contextPin?.fill(0);
    const state = this.logins.get(opened.token) ?? { openSigners: 1 };
    state.openSigners = Math.max(0, state.openSigners - 1);
    if (keepLogin && !state.cacheSession) {
      state.cacheSession = opened.session;
      this.logins.set(opened.token, state);
      return {};
    }
    if (state.openSigners === 0 && !state.cacheSession) {
      // The last signer on the token: log out before closing (closing the last session also logs out per the
      // standard, but not every vendor module does).
      logout(module, opened.session);
      this.logins.delete(opened.token);
    }
    closeSessionQuietly(module, opened.session);
    return {};
  }

  private logout(token: string): HostResult<"logout"> {
    this.forget(token);
    return {};
  }

  private async logoutAll(): Promise<HostResult<"logout">> {
    const tokens = new Set([...this.logins.keys(), ...[...this.sessions.values()].map((s) => s.token)]);
    await Promise.all([...tokens].map((token) => this.queue.run(token, () => this.forget(token))));
    return {};
  }

  /** Logs the token out and drops every session on it; safe after an unplug. */
  private forget(token: string): void {
    const module = this.module;
    if (!module) return;
    const state = this.logins.get(token);
    const sessions = [...this.sessions.entries()].filter(([, s]) => s.token === token);
    const anySession = state?.cacheSession ?? sessions[0]?.[1].session;
    if (anySession) {
      try {
        logout(module, anySession);
      } catch {
        // Logging out a token that misbehaves must not keep its sessions alive.
      }
    }
    for (const [ref, opened] of sessions) {
      opened.contextPin?.fill(0);
      closeSessionQuietly(module, opened.session);
      this.sessions.delete(ref);
    }
    if (state?.cacheSession) closeSessionQuietly(module, state.cacheSession);
    this.logins.delete(token);
  }

  private opened(ref: string): OpenedSession {
    const opened = this.sessions.get(ref);
    // The session went with an unplug (or the host restarted): the signer must be opened again.
    if (!opened) throw new KysoError("token_removed", "session no longer open");
    return opened;
  }

  private slotOf(token: string): Handle {
    const found = findSlotToken(this.loaded(), token);
    if (!found) throw new KysoError("token_not_present", "token not in any slot");
    return found.slot;
  }

  /** Runs a synchronous PKCS#11 step and maps its failure through ckr-errors.ts. */
  private guard<T>(operation: Pkcs11Operation, token: string | undefined, step: () => T): T {
    try {
      return step();
    } catch (error) {
      throw this.mapError(error, operation, token);
    }
  }

  private mapError(error: unknown, operation: Pkcs11Operation, token: string | undefined): KysoError {
    const module = this.module;
    return mapPkcs11Error(error, {
      operation,
      ...(module && token
        ? {
            pinStatus: () => findSlotToken(module, token)?.pinStatus,
            tokenPresent: () => findSlotToken(module, token) !== undefined,
          }
        : {}),
    });
  }
}
