/** Test certificates made in memory with WebCrypto, so the parser tests need no fixture run. */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface MadeCertificate {
  readonly der: Uint8Array;
  readonly certificate: x509.X509Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
}

export async function makeCertificate(options: {
  readonly subject: x509.JsonName;
  readonly issuer?: MadeCertificate;
  readonly serialNumber?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly keyUsage?: x509.KeyUsageFlags;
  readonly ca?: boolean;
}): Promise<MadeCertificate> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true)];
  if (options.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(options.keyUsage, true));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: options.serialNumber ?? "0102",
    subject: new x509.Name(options.subject).toString(),
    issuer: options.issuer ? options.issuer.certificate.subject : new x509.Name(options.subject).toString(),
    notBefore: options.notBefore ?? new Date(Date.now() - 86_400_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * 86_400_000),
    signingKey: options.issuer ? options.issuer.keys.privateKey : keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC,
    extensions,
  });
  return { der: new Uint8Array(certificate.rawData), certificate, keys };
}
