/**
 * Every token's certificates, read once and parsed once. A token's certificates are read when the token appears
 * (or a slot event or an explicit refresh says it may have changed), parsed once per DER fingerprint, and their
 * chains built against one pool; requests (`list`, `find`) answer from memory. Before this, every `sign` re-read
 * every certificate of every token (dozens of APDUs on a real token) and re-parsed them on the main thread.
 *
 * Long work is cut into one certificate per macrotask (`yieldToLoop`), so a token with many certificates never
 * holds the event loop for long.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { KeyAlgorithm } from "../../domain/signer.js";
import type { TokenInfo } from "../../domain/token.js";
import {
  certificateInfoFromFacts,
  createChainPool,
  fingerprintSha256,
  parseCertificateFacts,
  parseCrl,
  problemsFromFacts,
  revocationStatus,
  type CertificateFacts,
  type ChainPool,
} from "../certificates/index.js";

/** A certificate object as the host reads it. */
export interface RawCertificate {
  readonly der: Uint8Array;
  /** CKA_ID of the paired key; null when no key pairs with it. */
  readonly keyId: string | null;
  readonly label: string;
}

/** What openSigner needs of a certificate, found by id without asking the token. */
export interface CachedCertificate<Owner> {
  readonly id: string;
  readonly owner: Owner;
  readonly token: TokenInfo;
  readonly keyId: string | null;
  readonly der: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
}

interface TokenCertificates<Owner> {
  readonly owner: Owner;
  readonly token: TokenInfo;
  readonly serial: string;
  readonly raw: readonly (RawCertificate & { readonly fingerprint: string })[];
}

interface View<Owner> {
  readonly record: CachedCertificate<Owner>;
  readonly facts: CertificateFacts;
  readonly info: CertificateInfo;
  readonly revoked: boolean;
}

export interface CertificateCacheOptions {
  readonly trustAnchors?: readonly Uint8Array[];
  readonly crls?: () => readonly (Uint8Array | string)[];
  /** For tests: counts parses, so "parsed once" can be asserted. */
  readonly onParse?: (fingerprint: string) => void;
}

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class CertificateCache<Owner> {
  private readonly tokens = new Map<string, TokenCertificates<Owner>>();
  /** Parsed certificates by DER fingerprint: a certificate seen again (re-plug, refresh) is not parsed again. */
  private readonly facts = new Map<string, CertificateFacts | null>();
  /** Chains by fingerprint, valid for `chainKey` (the set of CA certificates they were built from). */
  private readonly chains = new Map<string, readonly Uint8Array[]>();
  private chainKey = "";
  private chainPool: ChainPool | undefined;
  /** Revocation by fingerprint, valid for the CRL inputs in `crlInputs`. */
  private readonly revocations = new Map<string, boolean>();
  private crlInputs: readonly (Uint8Array | string)[] = [];
  private parsedCrls: x509.X509Crl[] = [];
  private views: View<Owner>[] = [];
  private readonly byId = new Map<string, View<Owner>>();
  /** Loads in flight, by token id; `settled()` waits for them. */
  private readonly loading = new Map<string, Promise<void>>();
  /** Bumped on drop so a load that finishes after its token left is thrown away. */
  private readonly generations = new Map<string, number>();
  /** Tokens whose last read failed: read again on the next request rather than listing nothing forever. */
  private readonly failed = new Map<string, { token: TokenInfo; owner: Owner; read: () => Promise<readonly RawCertificate[]> }>();
  private rebuilding: Promise<void> = Promise.resolve();

  constructor(private readonly options: CertificateCacheOptions = {}) {}

  /** Reads (again) one token's certificates in the background; `settled()` resolves when it is in the cache. */
  load(token: TokenInfo, owner: Owner, serial: string, read: () => Promise<readonly RawCertificate[]>): Promise<void> {
    const generation = this.generations.get(token.id) ?? 0;
    const previous = this.loading.get(token.id) ?? Promise.resolve();
    const run = previous.then(async () => {
      let raw: readonly RawCertificate[];
      try {
        raw = await read();
      } catch {
        if ((this.generations.get(token.id) ?? 0) === generation) this.failed.set(token.id, { token, owner, read });
        return;
      }
      if ((this.generations.get(token.id) ?? 0) !== generation) return;
      this.failed.delete(token.id);
      const entries = [];
      for (const certificate of raw) {
        entries.push({ ...certificate, fingerprint: fingerprintSha256(certificate.der) });
      }
      this.tokens.set(token.id, { owner, token, serial, raw: entries });
      await this.rebuild();
    });
    const tracked = run.finally(() => {
      if (this.loading.get(token.id) === tracked) this.loading.delete(token.id);
    });
    this.loading.set(token.id, tracked);
    return tracked;
  }

  /** The token left: its certificates go at once (parsed facts stay, keyed by fingerprint, for a re-plug). */
  drop(tokenId: string): void {
    this.generations.set(tokenId, (this.generations.get(tokenId) ?? 0) + 1);
    this.failed.delete(tokenId);
    if (!this.tokens.delete(tokenId)) return;
    // Gone at once for `find` and `list`; the rebuild after it only redoes chains (a CA may have left).
    this.views = this.views.filter((view) => view.record.token.id !== tokenId);
    for (const [id, view] of this.byId) if (view.record.token.id === tokenId) this.byId.delete(id);
    void this.rebuild();
  }

  /** Tokens the cache holds (or is reading). */
  has(tokenId: string): boolean {
    return this.tokens.has(tokenId) || this.loading.has(tokenId) || this.failed.has(tokenId);
  }

  /** Resolves when every load in flight (and the rebuild after it) is done; retries reads that failed. */
  async settled(): Promise<void> {
    for (const [tokenId, retry] of [...this.failed]) {
      this.failed.delete(tokenId);
      void this.load(retry.token, retry.owner, this.tokens.get(tokenId)?.serial ?? retry.token.serial, retry.read);
    }
    while (this.loading.size > 0) await Promise.all([...this.loading.values()]);
    await this.rebuilding;
  }

  /** Every offered certificate; time and CRL-dependent problems are evaluated now. */
  async list(now = new Date()): Promise<CertificateInfo[]> {
    await this.settled();
    if (this.crlsChanged()) await this.rebuild();
    return this.views.map((view) => withCurrentProblems(view, now));
  }

  find(certificateId: string): CachedCertificate<Owner> | undefined {
    return this.byId.get(certificateId)?.record;
  }

  private crlsChanged(): boolean {
    const inputs = this.options.crls?.() ?? [];
    return inputs.length !== this.crlInputs.length || inputs.some((crl, index) => crl !== this.crlInputs[index]);
  }

  private rebuild(): Promise<void> {
    this.rebuilding = this.rebuilding.then(() => this.rebuildNow()).catch(() => undefined);
    return this.rebuilding;
  }

  private async rebuildNow(): Promise<void> {
    const entries = [...this.tokens.values()];
    for (const entry of entries) {
      for (const raw of entry.raw) {
        if (this.facts.has(raw.fingerprint)) continue;
        try {
          this.facts.set(raw.fingerprint, parseCertificateFacts(raw.der));
          this.options.onParse?.(raw.fingerprint);
        } catch {
          // Not a certificate @peculiar/x509 can read: not offered, and not parsed again on every rebuild.
          this.facts.set(raw.fingerprint, null);
        }
        await yieldToLoop();
      }
    }
    this.refreshChainPool(entries);
    this.refreshCrls();
    const views: View<Owner>[] = [];
    for (const entry of entries) {
      for (const raw of entry.raw) {
        const facts = this.facts.get(raw.fingerprint);
        if (!facts?.keyAlgorithm) continue; // unreadable, or a key type KySo cannot sign with
        if (facts.isCa && raw.keyId === null) continue; // a CA certificate completes chains; it is not offered
        const chain = await this.chainOf(facts);
        const revoked = await this.revokedOf(facts, chain);
        const info = certificateInfoFromFacts(facts, {
          tokenId: entry.token.id,
          tokenSerial: entry.serial,
          label: raw.label,
          hasPrivateKey: raw.keyId !== null,
          chain,
          revoked,
        });
        views.push({
          facts,
          info,
          revoked,
          record: { id: info.id, owner: entry.owner, token: entry.token, keyId: raw.keyId, der: raw.der, chain, keyAlgorithm: facts.keyAlgorithm },
        });
      }
    }
    // One order whatever order the tokens answered in and SoftHSM or a driver enumerated objects in (it follows
    // the file system on some): by token, then by the holder's name, so the list and "the first valid" are stable.
    views.sort(byTokenThenName);
    this.views = views;
    this.byId.clear();
    for (const view of views) this.byId.set(view.info.id, view);
  }

  /** The chain pool changes only when the set of CA certificates (tokens + anchors) does. */
  private refreshChainPool(entries: readonly TokenCertificates<Owner>[]): void {
    const candidates = new Map<string, Uint8Array>();
    for (const entry of entries) {
      for (const raw of entry.raw) if (this.facts.get(raw.fingerprint)?.isCa) candidates.set(raw.fingerprint, raw.der);
    }
    for (const anchor of this.options.trustAnchors ?? []) candidates.set(fingerprintSha256(anchor), anchor);
    const key = [...candidates.keys()].sort().join(",");
    if (key === this.chainKey && this.chainPool) return;
    this.chainKey = key;
    this.chainPool = createChainPool([...candidates.values()]);
    this.chains.clear();
    this.revocations.clear(); // the issuer used to check a CRL's signature may have changed
  }

  private refreshCrls(): void {
    if (!this.crlsChanged()) return;
    this.crlInputs = [...(this.options.crls?.() ?? [])];
    this.parsedCrls = this.crlInputs.flatMap((crl) => {
      try {
        return [parseCrl(crl)];
      } catch {
        return [];
      }
    });
    this.revocations.clear();
  }

  private async chainOf(facts: CertificateFacts): Promise<readonly Uint8Array[]> {
    const known = this.chains.get(facts.fingerprintSha256);
    if (known) return known;
    const chain = this.chainPool?.chainOf(facts.der) ?? [];
    this.chains.set(facts.fingerprintSha256, chain);
    await yieldToLoop();
    return chain;
  }

  private async revokedOf(facts: CertificateFacts, chain: readonly Uint8Array[]): Promise<boolean> {
    if (this.parsedCrls.length === 0) return false;
    const known = this.revocations.get(facts.fingerprintSha256);
    if (known !== undefined) return known;
    const issuerDer = chain[0];
    const issuer = issuerDer ? (this.facts.get(fingerprintSha256(issuerDer))?.parsed ?? new x509.X509Certificate(issuerDer)) : undefined;
    const revoked = (await revocationStatus(facts.parsed, this.parsedCrls, issuer)) === "revoked";
    this.revocations.set(facts.fingerprintSha256, revoked);
    return revoked;
  }
}

/** Expiry is a matter of time, not of the token: judged at each listing from the cached dates. */
function withCurrentProblems<Owner>(view: View<Owner>, now: Date): CertificateInfo {
  const problems = problemsFromFacts(view.facts, { hasPrivateKey: view.record.keyId !== null, revoked: view.revoked, now });
  if (problems.length === view.info.problems.length && problems.every((problem, index) => problem === view.info.problems[index])) return view.info;
  return { ...view.info, problems, valid: problems.length === 0 };
}

const NAME_ORDER = new Intl.Collator("vi", { sensitivity: "base" });

function byTokenThenName(a: { readonly info: CertificateInfo }, b: { readonly info: CertificateInfo }): number {
  return (
    (a.info.tokenId < b.info.tokenId ? -1 : a.info.tokenId > b.info.tokenId ? 1 : 0) ||
    NAME_ORDER.compare(a.info.subject.commonName ?? a.info.subject.text, b.info.subject.commonName ?? b.info.subject.text) ||
    (a.info.fingerprintSha256 < b.info.fingerprintSha256 ? -1 : a.info.fingerprintSha256 > b.info.fingerprintSha256 ? 1 : 0)
  );
}
