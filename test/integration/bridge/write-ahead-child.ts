/**
 * Child process for write-ahead.test.ts: a real core (real listener, real audit log in argv[2]) with a software
 * RSA signer in place of the token layer, and every approval granted as soon as it is shown. Prints
 * `READY <ws port>` and then runs until it is killed. Run with `node --import tsx`.
 */
import { createHash, generateKeyPairSync, privateEncrypt, constants } from "node:crypto";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { createCore } from "../../../main/core/kyso-core.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import type { TokenService } from "../../../main/core/tokens/token-service.js";

export const CHILD_PORTAL = "https://portal.example.gov.vn";
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const spki = publicKey.export({ type: "spki", format: "der" });
const fingerprint = createHash("sha256").update(spki).digest("hex");
const name = { text: "CN=Software signer", commonName: "Software signer", attributes: [] };
const token: TokenInfo = {
  id: "soft:1",
  label: "software",
  manufacturer: "test",
  model: "software",
  serial: "1",
  moduleId: "soft",
  pinStatus: "ok",
  protectedAuthenticationPath: false,
  loginRequired: true,
};
// Only what the `raw` format and the approval need; the "certificate" is the public key, never parsed by `raw`.
const certificate: CertificateInfo = {
  id: `${fingerprint}:1`,
  tokenId: token.id,
  certificate: spki.toString("base64"),
  chain: [],
  subject: name,
  issuer: name,
  serialNumber: "01",
  notBefore: "2020-01-01T00:00:00.000Z",
  notAfter: "2099-01-01T00:00:00.000Z",
  keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
  keyUsage: ["digitalSignature", "nonRepudiation"],
  extendedKeyUsage: [],
  fingerprintSha256: fingerprint,
  vn: {},
  problems: [],
  valid: true,
  label: "software",
};
const tokens: TokenService = {
  listTokens: async () => [token],
  listCertificates: async () => [certificate],
  openSigner: async () => ({
    certificateId: certificate.id,
    certificate: new Uint8Array(spki),
    chain: [],
    keyAlgorithm: certificate.keyAlgorithm,
    async signDigest({ digest }) {
      const value = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
      return { value, raw: value };
    },
    close: async () => undefined,
  }),
  diagnostics: () => [],
  onEvent: () => () => undefined,
  close: async () => undefined,
};

const core = createCore({
  dataDir: process.argv[2]!,
  policy: policySchema.parse({
    allowedOrigins: [CHILD_PORTAL],
    limits: { requestsPerMinute: 100_000, maxPendingSignsPerOrigin: 8 },
  }),
  tokenService: tokens,
  bridgePorts: { ws: [0], wss: [] },
  language: "en",
});
const approved = new Set<string>();
core.onEvent("approvalsChanged", (views) => {
  for (const view of views) {
    if (view.state.kind !== "choosing-certificate" || approved.has(view.id)) continue;
    approved.add(view.id);
    void core.handlers["approvals.approve"]({ approvalId: view.id, certificateId: certificate.id, pin: "1234" });
  }
});
await core.start();
process.stdout.write(`READY ${core.bridge.ports.ws}\n`);
