/**
 * The signed trust-bundle update path (issue 13 §1): a bundle from the policy's file or https URL is used only when
 * signed by a publisher key the policy names; a bad signature, an unknown key, a rollback or an expired bundle is
 * refused with its reason (diagnostics) and the bundle in use stays. Keys are generated here (node:crypto, and
 * openssl for the documented RSA-PSS command); the https server runs on 127.0.0.1 with a certificate made here.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PROXY } from "../../../main/core/certificates/revocation/index.js";
import { TRUST_BUNDLE_FILE, TrustBundleStore, type TrustBundleConfig } from "../../../main/core/certificates/trust/index.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { openssl } from "../../../sandbox/demo-tokens/openssl-pki.js";
import { envelope, keyIdOf, signedEnvelope, tampered, type BundleContent } from "../../fixtures/trust-bundle.js";

let dir: string;
let anchorPem: string;
let otherPem: string;
const NOW = new Date("2026-12-01T00:00:00Z");
const publisher = generateKeyPairSync("ec", { namedCurve: "P-256" });
const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
const pem = (key: KeyObject): string => key.export({ type: "spki", format: "pem" }).toString();

const content = (version: number, extra: Partial<BundleContent> = {}): BundleContent => ({
  version,
  issuedAt: new Date(NOW.getTime() - (10 - version) * 86_400_000).toISOString(),
  expiresAt: "2027-06-01T00:00:00Z",
  anchors: [anchorPem],
  ...extra,
});
const signed = (c: BundleContent, pair = publisher): Uint8Array => signedEnvelope(c, pair.privateKey, pair.publicKey);

let sequence = 0;
async function store(config: Partial<TrustBundleConfig> & { publisherKeys?: string[] }, dataDir?: string, extra: { ca?: string } = {}): Promise<{ store: TrustBundleStore; dataDir: string }> {
  const data = dataDir ?? join(dir, `data-${(sequence += 1)}`);
  await mkdir(data, { recursive: true });
  return { store: new TrustBundleStore({ dataDir: data, config: { publisherKeys: [pem(publisher.publicKey)], ...config }, now: () => NOW, proxy: NO_PROXY, ...extra }), dataDir: data };
}

async function dropped(bytes: Uint8Array): Promise<string> {
  const file = join(dir, `bundle-${(sequence += 1)}.json`);
  await writeFile(file, bytes);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-bundle-"));
  const ca = async (name: string): Promise<string> => {
    await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(dir, `${name}.key`), "-subj", `/CN=${name}`,
      "-days", "365", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", join(dir, `${name}.pem`)]);
    return readFile(join(dir, `${name}.pem`), "utf8");
  };
  anchorPem = await ca("Bundle Test Root");
  otherPem = await ca("Smuggled Root");
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("trust bundle from the policy's file", () => {
  it("a bundle signed by the policy's key is used, stored, and re-verified at the next start", async () => {
    const { store: s, dataDir } = await store({ file: await dropped(signed(content(2))) });
    const status = await s.refresh();
    expect(status).toMatchObject({ configured: true, inUse: { version: 2, anchors: 1, intermediates: 0 }, problems: [] });
    expect(s.current()?.anchors).toEqual([anchorPem]);
    // Next start, the file gone: the stored copy is in force.
    const again = await store({}, dataDir);
    expect((await again.store.refresh()).inUse?.version).toBe(2);
    // The admin removed the key from the policy: the stored copy no longer counts.
    const rekeyed = await store({ publisherKeys: [pem(stranger.publicKey)] }, dataDir);
    expect(await rekeyed.store.refresh()).toMatchObject({ problems: [{ source: "stored", reason: "unknown-key" }] });
    expect(rekeyed.store.current()).toBeUndefined();
  });

  it("refuses a bad signature, an unknown key, a rollback and an expired bundle, each with its reason, and keeps the bundle in use", async () => {
    const good = signed(content(3));
    const cases: [Uint8Array, string][] = [
      [tampered(good, otherPem), "bad-signature"],
      [signed(content(4), stranger), "unknown-key"],
      [signed(content(2)), "rollback"],
      [signed(content(5, { expiresAt: "2026-11-30T00:00:00Z" })), "expired"],
      [new Uint8Array(Buffer.from("{not json")), "malformed"],
    ];
    for (const [bytes, reason] of cases) {
      const other = await store({ file: await dropped(bytes) });
      // Version 3 in use (stored in the data folder), then the policy's file offers the bad one.
      await writeFile(join(other.dataDir, TRUST_BUNDLE_FILE), good);
      const status = await other.store.refresh();
      expect(status.problems.map((p) => [p.source, p.reason]), reason).toEqual([["file", reason]]);
      expect(status.inUse?.version, reason).toBe(3);
      expect(other.store.current()?.anchors, reason).toEqual([anchorPem]);
    }
  });

  it("a newer bundle replaces the one in use; the same one again changes nothing", async () => {
    const file = await dropped(signed(content(1)));
    const { store: s } = await store({ file });
    let changes = 0;
    s.onChange(() => void (changes += 1));
    await s.refresh();
    await writeFile(file, signed(content(6)));
    expect((await s.refresh()).inUse?.version).toBe(6);
    expect((await s.refresh()).problems).toEqual([]);
    expect(changes).toBe(2);
  });

  it("verifies the documented openssl command: RSA-PSS SHA-256, 32-byte salt, over the payload bytes", async () => {
    const key = join(dir, "publisher-rsa.key");
    await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]);
    const publicPem = await openssl(["pkey", "-in", key, "-pubout"]);
    const payloadFile = join(dir, "payload.json");
    const payload = Buffer.from(JSON.stringify(content(7)));
    await writeFile(payloadFile, payload);
    const signature = join(dir, "payload.sig");
    await openssl(["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sign", key, "-out", signature, payloadFile]);
    const bytes = envelope(payload, new Uint8Array(await readFile(signature)), keyIdOf(createPublicKey(publicPem)));
    const { store: s } = await store({ file: await dropped(bytes), publisherKeys: [publicPem] });
    expect((await s.refresh()).inUse?.version).toBe(7);
  });

  it("the policy takes only an https URL and at least one publisher key", () => {
    const key = pem(publisher.publicKey);
    expect(policySchema.safeParse({ trustBundle: { url: "http://127.0.0.1/bundle.json", publisherKeys: [key] } }).success).toBe(false);
    expect(policySchema.safeParse({ trustBundle: { url: "https://pki.example.gov.vn/bundle.json", publisherKeys: [] } }).success).toBe(false);
    expect(policySchema.parse({ trustBundle: { url: "https://pki.example.gov.vn/bundle.json", publisherKeys: [key] } }).trustBundle?.refreshHours).toBe(24);
  });
});

describe("trust bundle from the policy's https URL (a server on 127.0.0.1)", () => {
  let server: Server;
  let body: Uint8Array = new Uint8Array();
  let served = 0;
  let url: string;
  let serverCert: string;
  beforeAll(async () => {
    const key = join(dir, "https.key");
    const cert = join(dir, "https.pem");
    await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-subj", "/CN=127.0.0.1",
      "-days", "2", "-addext", "subjectAltName=IP:127.0.0.1", "-out", cert]);
    serverCert = await readFile(cert, "utf8");
    server = createServer({ key: await readFile(key), cert: serverCert }, (_request, response) => {
      served += 1;
      response.writeHead(200, { "Content-Type": "application/json" }).end(Buffer.from(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/bundle.json`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it("fetches, verifies and uses the bundle; an older one served later is refused as a rollback", async () => {
    body = signed(content(4));
    const { store: s } = await store({ url }, undefined, { ca: serverCert });
    expect(await s.refresh()).toMatchObject({ inUse: { version: 4 }, problems: [] });
    body = signed(content(3));
    expect(await s.refresh()).toMatchObject({ inUse: { version: 4 }, problems: [{ source: "url", reason: "rollback" }] });
    body = tampered(signed(content(9)), otherPem);
    expect(await s.refresh()).toMatchObject({ inUse: { version: 4 }, problems: [{ source: "url", reason: "bad-signature" }] });
  });

  it("a server the system does not trust is not fetched from (TLS refused): fetch-failed, nothing used", async () => {
    body = signed(content(4));
    const before = served;
    const { store: s } = await store({ url });
    expect(await s.refresh()).toMatchObject({ problems: [{ source: "url", reason: "fetch-failed" }] });
    expect(s.current()).toBeUndefined();
    expect(served).toBe(before);
  });

  it("the start reads the file only; the URL is fetched when asked (in the background in the app)", async () => {
    body = signed(content(4));
    const before = served;
    const { store: s } = await store({ url }, undefined, { ca: serverCert });
    expect((await s.refresh({ fetch: false })).inUse).toBeUndefined();
    expect(served).toBe(before);
  });
});
