/**
 * The PIN session cache: off by default; when the policy turns it on, a token stays logged in for N minutes
 * after a signer closes, so the next approval needs no PIN. No PIN is kept anywhere: the cache keeps the token's
 * login (a session left open in the host), and the only state here is when each token's login expires.
 * Logout happens at expiry, on removal (the host drops the login itself), on quit and on `lockAll` (screen lock).
 */
export class PinCache {
  private readonly expiries = new Map<string, { readonly at: number; readonly timer: NodeJS.Timeout }>();

  constructor(
    private readonly minutes: number,
    private readonly onExpire: (tokenId: string) => void,
  ) {}

  get enabled(): boolean {
    return this.minutes > 0;
  }

  /** A signer on `tokenId` closed while the cache is on: the login lives `minutes` from now. */
  touch(tokenId: string): void {
    if (!this.enabled) return;
    this.clearTimer(tokenId);
    const timer = setTimeout(() => {
      this.expiries.delete(tokenId);
      this.onExpire(tokenId);
    }, this.minutes * 60_000);
    timer.unref();
    this.expiries.set(tokenId, { at: Date.now() + this.minutes * 60_000, timer });
  }

  has(tokenId: string): boolean {
    const entry = this.expiries.get(tokenId);
    return entry !== undefined && entry.at > Date.now();
  }

  drop(tokenId: string): void {
    this.clearTimer(tokenId);
  }

  tokens(): string[] {
    return [...this.expiries.keys()];
  }

  clear(): void {
    for (const tokenId of [...this.expiries.keys()]) this.clearTimer(tokenId);
  }

  private clearTimer(tokenId: string): void {
    const entry = this.expiries.get(tokenId);
    if (entry) clearTimeout(entry.timer);
    this.expiries.delete(tokenId);
  }
}
