/**
 * RFC 3161 client for CAdES/PAdES B-T: timestamps the signature value. Every failure (network, HTTP, a malformed
 * or rejected response, a wrong imprint or nonce) is `timestamp_failed`: a B-T request never silently becomes B-B.
 */
import { randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { HASH_OID, type HashAlgorithm } from "../../../domain/hash-algorithm.js";
import { KysoError } from "../../../domain/errors/index.js";
import { digest } from "../hashing.js";
import { DEFAULT_TSA_TIMEOUT_MS, MAX_TSA_RESPONSE_BYTES } from "../limits.js";
import type { TimestampAuthority } from "../types.js";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_TST_INFO = "1.2.840.113549.1.9.16.1.4";

export interface TimestampToken {
  /** DER ContentInfo, exactly as the TSA sent it. */
  readonly token: Uint8Array;
  readonly genTime: Date;
}

/** RFC 3161 §2.4.1 TimeStampReq, v1, with the nonce and certReq (the token must carry the TSA's certificate). */
export function buildTimestampRequest(hashAlgorithm: HashAlgorithm, imprint: Uint8Array, nonce: Uint8Array): Uint8Array {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      // Parameters absent, as RFC 5754 §2 asks for SHA-2 AlgorithmIdentifiers.
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hashAlgorithm] }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  return new Uint8Array(request.toSchema().toBER());
}

const fail = (detail: string, cause?: unknown): KysoError =>
  new KysoError("timestamp_failed", detail, undefined, cause === undefined ? undefined : { cause });

/** Timestamps `data` (the signature value): imprint = hash(data). */
export async function requestTimestamp(
  tsa: TimestampAuthority | undefined,
  hashAlgorithm: HashAlgorithm,
  data: Uint8Array,
  fetchImpl: typeof fetch = fetch,
): Promise<TimestampToken> {
  return requestTimestampForImprint(tsa, hashAlgorithm, digest(hashAlgorithm, data), fetchImpl);
}

/** Timestamps a digest already computed (PAdES document timestamps hash the byte ranges while streaming). */
export async function requestTimestampForImprint(
  tsa: TimestampAuthority | undefined,
  hashAlgorithm: HashAlgorithm,
  imprint: Uint8Array,
  fetchImpl: typeof fetch = fetch,
): Promise<TimestampToken> {
  if (!tsa) throw fail("no timestamp authority is configured");
  // A positive 64-bit nonce: the top bit cleared keeps the INTEGER unsigned without a padding byte.
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0]! & 0x7f) | 0x01;
  const body = buildTimestampRequest(hashAlgorithm, imprint, nonce);
  let response: Uint8Array;
  try {
    const reply = await fetchImpl(tsa.url, {
      method: "POST",
      headers: { "Content-Type": "application/timestamp-query", Accept: "application/timestamp-reply" },
      body,
      signal: AbortSignal.timeout(tsa.timeoutMs ?? DEFAULT_TSA_TIMEOUT_MS),
      redirect: "error",
    });
    if (!reply.ok) throw fail(`TSA answered HTTP ${reply.status}`);
    const declared = Number(reply.headers.get("content-length") ?? "0");
    if (declared > MAX_TSA_RESPONSE_BYTES) throw fail("TSA response too large");
    response = new Uint8Array(await reply.arrayBuffer());
    if (response.length > MAX_TSA_RESPONSE_BYTES) throw fail("TSA response too large");
  } catch (error) {
    throw error instanceof KysoError ? error : fail(`TSA not reachable: ${String(error)}`, error);
  }
  return checkResponse(response, hashAlgorithm, imprint, nonce);
}

/** Status granted(0) or grantedWithMods(1), a SignedData token over a TSTInfo with our imprint and nonce. */
export function checkResponse(response: Uint8Array, hashAlgorithm: HashAlgorithm, imprint: Uint8Array, nonce: Uint8Array): TimestampToken {
  try {
    const parsed = asn1js.fromBER(response);
    if (parsed.offset === -1 || parsed.offset !== response.length) throw fail("TimeStampResp is not one DER value");
    const resp = new pkijs.TimeStampResp({ schema: parsed.result });
    const status = resp.status.status;
    if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) throw fail(`TSA refused (status ${status})`);
    if (!resp.timeStampToken) throw fail("granted without a token");
    // The token is embedded exactly as the TSA encoded it (a re-encoding could break the TSA's own signature).
    const tokenElement = (parsed.result as asn1js.Sequence).valueBlock.value[1];
    if (!tokenElement) throw fail("granted without a token");
    const token = new Uint8Array(tokenElement.valueBeforeDecodeView);
    const contentInfo = resp.timeStampToken;
    if (contentInfo.contentType !== OID_SIGNED_DATA) throw fail("token is not SignedData");
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    if (signedData.encapContentInfo.eContentType !== OID_TST_INFO || !signedData.encapContentInfo.eContent) throw fail("token holds no TSTInfo");
    const tstInfo = pkijs.TSTInfo.fromBER(signedData.encapContentInfo.eContent.getValue());
    if (tstInfo.messageImprint.hashAlgorithm.algorithmId !== HASH_OID[hashAlgorithm]) throw fail("imprint algorithm differs");
    if (!Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView).equals(imprint)) throw fail("imprint differs");
    const gotNonce = tstInfo.nonce ? Buffer.from(tstInfo.nonce.valueBlock.valueHexView) : undefined;
    if (!gotNonce || !stripZeros(gotNonce).equals(stripZeros(Buffer.from(nonce)))) throw fail("nonce differs (replayed response?)");
    return { token, genTime: tstInfo.genTime };
  } catch (error) {
    throw error instanceof KysoError ? error : fail(`malformed TSA response: ${String(error)}`, error);
  }
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

