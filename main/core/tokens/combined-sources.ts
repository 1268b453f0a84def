/**
 * The certificate sources side by side behind the one `TokenService` the core uses: the PKCS#11 tokens and the
 * remote signing accounts (main/core/remote/remote-source.ts). Listing concatenates (tokens first); `openSigner`
 * goes to the source that listed the certificate; a change in either is one `tokensChanged` with every token, so
 * the bridge and the approval's `watchTokens` see one list.
 */
import type { CertificateInfo } from "../../domain/certificate.js";
import { KysoError } from "../../domain/errors/index.js";
import type { TokenInfo } from "../../domain/token.js";
import type { OpenedSigner, TokenEvent, TokenService } from "./token-service.js";

export function combineCertificateSources(primary: TokenService, secondary: TokenService | undefined): TokenService {
  if (!secondary) return primary;
  const sources = [primary, secondary] as const;
  const listTokens = async (): Promise<readonly TokenInfo[]> => (await Promise.all(sources.map((s) => s.listTokens()))).flat();
  /** The certificate's source, by the listing: ids carry the token serial, so they never collide across sources. */
  const ownerOf = async (certificateId: string): Promise<TokenService | undefined> => {
    for (const source of sources) if ((await source.listCertificates()).some((c) => c.id === certificateId)) return source;
    return undefined;
  };
  const combined: TokenService & { ready?: () => Promise<void> } = {
    listTokens,
    async listCertificates(): Promise<readonly CertificateInfo[]> {
      return (await Promise.all(sources.map((s) => s.listCertificates()))).flat();
    },
    async openSigner(options): Promise<OpenedSigner> {
      const source = await ownerOf(options.certificateId);
      if (!source) throw new KysoError("certificate_not_found", "certificate not on any token or remote account");
      return source.openSigner(options);
    },
    diagnostics: () => sources.flatMap((s) => s.diagnostics()),
    onEvent(listener) {
      // Each source's event names only its own tokens: the listener gets the whole list, in event order.
      let chain = Promise.resolve();
      const relay = (): void => {
        chain = chain.then(async () => listener({ kind: "tokensChanged", tokens: await listTokens() } satisfies TokenEvent)).catch(() => undefined);
      };
      const offs = sources.map((s) => s.onEvent(relay));
      return () => offs.forEach((off) => off());
    },
    async close() {
      await Promise.all(sources.map((s) => s.close()));
    },
  };
  const ready = (primary as { ready?: () => Promise<void> }).ready;
  if (ready) combined.ready = () => ready.call(primary);
  return combined;
}
