/**
 * `npm run sandbox -- --remote`: the local remote-signing server (CSC v2, VNPT SmartCA sp769, NEAC sign_v2, Viettel
 * MySign) on 127.0.0.1, signing with a demo SoftHSM key through its own token host, and one account per dialect
 * for the sandbox's core. The developer plays the phone with `curl -X POST <server>/phone/<outcome>`.
 * The secrets here are made up for the sandbox; a real provider's come from the organisation's policy.
 */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { RemoteProviderPolicy } from "../../main/core/policy/policy-schema.js";
import type { RemoteSourceHooks } from "../../main/core/remote/remote-source.js";
import { createTokenService } from "../../main/core/tokens/create-token-service.js";
import { forkSpawner } from "../../main/core/tokens/host-spawner.js";
import type { Signer } from "../../main/domain/signer.js";
import type { DemoTokenManifest } from "../demo-tokens/manifest.js";
import { PHONE_OUTCOMES, REMOTE_TEST_USER, startRemoteSigningServer, type RemoteSigningServer } from "./remote-signing-server.js";

/** The demo key the server signs with: personB (RSA-2048, with a tax code, so `vn-einvoice` signs too). */
export const REMOTE_DEMO_KEY = "personB";
const SECRETS = { spId: "kyso-sandbox-sp", spPassword: "sandbox-sp-password", cscClientId: "kyso-desktop", otp: "123456" } as const;
const MYSIGN = { clientId: "kyso-mysign-client", clientSecret: "mysign-client-secret-0000" } as const;

export interface RemoteSandbox {
  readonly server: RemoteSigningServer;
  readonly providers: readonly RemoteProviderPolicy[];
  /** The user's account at each provider (settings `remoteAccounts`). */
  readonly accounts: Readonly<Record<string, { readonly userId: string }>>;
  /** The CSC sign-in's browser step and OTP, done for the developer (the test RSSP signs in at once). */
  readonly hooks: RemoteSourceHooks;
  readonly banner: readonly string[];
  close(): Promise<void>;
}

const der = async (pem: string): Promise<Uint8Array> => new Uint8Array(new X509Certificate(await readFile(pem)).raw);

/** A Signer on the demo key, in a token host of its own: logged in for each signature, closed after it. */
async function demoKeySigner(demo: DemoTokenManifest): Promise<{ signer: Signer; close(): Promise<void> }> {
  const fixture = demo.objects[REMOTE_DEMO_KEY];
  if (!fixture) throw new Error(`demo token manifest has no ${REMOTE_DEMO_KEY}`);
  const tokens = createTokenService({
    modules: { policy: [], user: [demo.modulePath], catalogue: false },
    spawner: forkSpawner({ env: { SOFTHSM2_CONF: demo.softhsmConf } }),
    pollIntervalMs: 0,
  });
  try {
    await tokens.ready();
    const certificate = (await tokens.listCertificates()).find((c) => c.fingerprintSha256.replaceAll(":", "").toLowerCase() === fixture.fingerprintSha256.replaceAll(":", "").toLowerCase());
    if (!certificate) throw new Error(`${REMOTE_DEMO_KEY} not found on the demo tokens`);
    const signer: Signer = {
      certificate: new Uint8Array(Buffer.from(certificate.certificate, "base64")),
      chain: [await der(fixture.issuer === "gov" ? demo.pki.govCaPem : demo.pki.publicCaPem), await der(demo.pki.rootPem)],
      keyAlgorithm: certificate.keyAlgorithm,
      async signDigest(request) {
        const opened = await tokens.openSigner({ certificateId: certificate.id, pin: Buffer.from(demo.userPin) });
        try {
          return await opened.signDigest(request);
        } finally {
          await opened.close();
        }
      },
    };
    return { signer, close: () => tokens.close() };
  } catch (error) {
    await tokens.close();
    throw error;
  }
}

export async function startRemoteSandbox(demo: DemoTokenManifest): Promise<RemoteSandbox> {
  const key = await demoKeySigner(demo);
  let server: RemoteSigningServer;
  try {
    server = await startRemoteSigningServer(key.signer, { ...SECRETS, mysignClientId: MYSIGN.clientId, mysignClientSecret: MYSIGN.clientSecret });
  } catch (error) {
    await key.close();
    throw error;
  }
  const providers: RemoteProviderPolicy[] = [
    { id: "vnpt", kind: "vnpt-smartca", name: "VNPT SmartCA (sandbox)", baseUrl: server.vnptBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword },
    { id: "neac", kind: "neac", name: "NEAC eSign (sandbox)", baseUrl: server.neacBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword },
    { id: "csc", kind: "csc", name: "CSC RSSP (sandbox)", baseUrl: server.cscBase, clientId: SECRETS.cscClientId, redirectUri: "http://127.0.0.1:53682/callback" },
    { id: "mysign", kind: "viettel-mysign", name: "Viettel MySign (sandbox)", baseUrl: server.mysignBase, clientId: MYSIGN.clientId, clientSecret: MYSIGN.clientSecret },
  ];
  const hooks: RemoteSourceHooks = {
    // The test RSSP "signs the user in" at once: follow its authorize redirect and take the code.
    cscAuthorize: async (url) => new URL((await fetch(url, { redirect: "manual" })).headers.get("location") ?? "").searchParams.get("code") ?? "",
    cscOtp: async () => SECRETS.otp,
  };
  return {
    server,
    providers,
    accounts: Object.fromEntries(providers.map((p) => [p.id, { userId: REMOTE_TEST_USER }])),
    hooks,
    banner: [
      `  Remote:        ${server.url} (CSC, VNPT SmartCA, NEAC, Viettel MySign; accounts remote:vnpt, remote:neac, remote:csc, remote:mysign; key ${REMOTE_DEMO_KEY})`,
      `  Phone:         curl -X POST ${server.url}/phone/<${PHONE_OUTCOMES.join("|")}>   (what the phone does next; GET ${server.url}/phone reads it)`,
    ],
    async close() {
      await server.close();
      await key.close();
    },
  };
}
