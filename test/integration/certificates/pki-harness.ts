/** Test PKI + router + the real openssl OCSP responder, started once per test file, all on 127.0.0.1. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRevocationPki, startOcspResponder, type OcspResponder, type RevocationPki } from "../../fixtures/revocation-pki.js";
import { startRouter, type Router } from "./revocation-router.js";

export interface PkiHarness {
  readonly pki: RevocationPki;
  readonly router: Router;
  /** openssl ocsp signing with the delegated responder certificate (nextUpdate = now + 1 day). */
  readonly responder: OcspResponder;
  /** Starts another openssl responder (stopped by close()). */
  startResponder(signer: keyof RevocationPki["responders"] | "ca"): Promise<OcspResponder>;
  close(): Promise<void>;
}

export async function startPkiHarness(): Promise<PkiHarness> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-revocation-"));
  const router = await startRouter();
  const pki = await makeRevocationPki(dir, router.baseUrl);
  router.files = {
    crlPem: new Uint8Array(await readFile(pki.crl.pem)),
    crlDer: new Uint8Array(await readFile(pki.crl.der)),
    rogueDer: new Uint8Array(await readFile(pki.crl.rogueDer)),
    caDer: pki.der.ca,
  };
  const started: OcspResponder[] = [];
  const startResponder = async (signer: keyof RevocationPki["responders"] | "ca"): Promise<OcspResponder> => {
    const pair = signer === "ca" ? { key: pki.ca.key, cert: pki.ca.cert } : pki.responders[signer];
    const responder = await startOcspResponder(pki, pair);
    started.push(responder);
    return responder;
  };
  const responder = await startResponder("delegated");
  router.responderUrl = responder.url;
  return {
    pki,
    router,
    responder,
    startResponder,
    close: async () => {
      await Promise.all(started.map((item) => item.stop()));
      await router.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
