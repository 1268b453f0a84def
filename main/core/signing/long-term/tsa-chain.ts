/**
 * The TSA's certificate chain as its RFC 3161 token carries it (certReq is always set): the certificate named by
 * the SignerInfo first, then each issuer found by name among the token's certificates. Used before the approval
 * (the probe in gather.ts) and after the PIN (the real timestamp must come from the same TSA key).
 */
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { KysoError } from "../../../domain/errors/index.js";

const der = (value: { toSchema(): asn1js.AsnType }): Buffer => Buffer.from(value.toSchema().toBER());

export function timestampChain(token: Uint8Array): Uint8Array[] {
  let signedData: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(token);
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (error) {
    throw new KysoError("timestamp_failed", `unreadable timestamp token: ${String(error)}`);
  }
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = signedData.signerInfos[0]?.sid;
  const signer =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find((c) => der(c.issuer).equals(der(sid.issuer)) && c.serialNumber.isEqual(sid.serialNumber))
      : certificates.find((c) => keyIdentifier(c)?.equals(Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView)));
  if (!signer) throw new KysoError("timestamp_failed", "the timestamp token does not carry the TSA's certificate");
  const chain = [signer];
  for (let current = signer; chain.length <= certificates.length; ) {
    if (der(current.subject).equals(der(current.issuer))) break;
    const issuer = certificates.find((c) => !chain.includes(c) && der(c.subject).equals(der(current.issuer)));
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain.map((c) => new Uint8Array(c.toSchema().toBER()));
}

/** The subjectKeyIdentifier extension's value (a SignerInfo may name its certificate by it). */
function keyIdentifier(certificate: pkijs.Certificate): Buffer | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === "2.5.29.14");
  if (!extension) return undefined;
  const parsed = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView);
  return parsed.result instanceof asn1js.OctetString ? Buffer.from(parsed.result.valueBlock.valueHexView) : undefined;
}
