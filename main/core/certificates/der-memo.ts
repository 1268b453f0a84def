/**
 * Facts read from a certificate's DER, computed once per certificate instead of once per request.
 *
 * A sign request checks every candidate before the approval opens (chain, algorithm, revocation URLs) and keeps the
 * evidence after it; each of those parsed the same few certificates again with asn1js/pkijs/@peculiar/x509 or
 * node:crypto, ~3 ms of the core's thread per request on this machine (docs/performance.md, bridge). Issue 10 asks
 * that parsing happen once per certificate. The functions wrapped here are pure (same DER, same answer) and return
 * values their callers only read, so a bounded least-recently-used map keyed by the DER itself is exact. A DER that
 * fails to parse is not remembered (the next call throws again, as before).
 */
import { X509Certificate } from "node:crypto";

/** A user has a handful of certificates and the trust store some dozens; this bounds a hostile flood of others. */
const CAPACITY = 256;

export function memoByDer<T>(compute: (der: Uint8Array) => T, capacity = CAPACITY): (der: Uint8Array | string) => T {
  const cache = new Map<string, T>();
  return (der) => {
    const key = typeof der === "string" ? der : Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
    if (cache.has(key)) {
      const hit = cache.get(key) as T;
      // Most recently used last: Map keeps insertion order, so the first key is the one to drop.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const value = compute(typeof der === "string" ? new Uint8Array(Buffer.from(der, "base64")) : der);
    cache.set(key, value);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return value;
  };
}

/** node:crypto's parse of a certificate (immutable), shared by chain building and the chain check's names. */
export const parsedX509 = memoByDer((der) => new X509Certificate(der));
