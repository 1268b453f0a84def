/**
 * Key objects: public keys (visible before login on every token seen) and private keys (visible after login, or
 * before it on tokens that mark them public). Only what pairing and signing need is read: CKA_ID, the key type,
 * the public part (RSA modulus, EC point) and CKA_ALWAYS_AUTHENTICATE.
 */
import pkcs11js from "pkcs11js";
import type { Handle, Pkcs11Module } from "./core.js";
import { ATTRIBUTE_BUFFER, findObjects, readAttribute, readBool, readUlong } from "./session.js";

export type KeyObjectClass = "public" | "private";

export interface KeyObject {
  readonly handle: Handle;
  readonly objectClass: KeyObjectClass;
  /** CKA_ID, lower-case hex ("" when absent). */
  readonly id: string;
  readonly keyType: "rsa" | "ec" | "other";
  /** RSA modulus, big-endian, without leading zero bytes. */
  readonly modulus?: Buffer;
  /** CKA_EC_POINT as the driver returns it: the DER OCTET STRING of `04 || x || y`, or the bare point. */
  readonly ecPoint?: Buffer;
  readonly alwaysAuthenticate: boolean;
}

export function findKeys(module: Pkcs11Module, session: Handle, objectClass: KeyObjectClass): KeyObject[] {
  const handles = findObjects(module, session, [
    { type: pkcs11js.CKA_CLASS, value: objectClass === "public" ? pkcs11js.CKO_PUBLIC_KEY : pkcs11js.CKO_PRIVATE_KEY },
  ]);
  return handles.map((handle) => readKey(module, session, handle, objectClass));
}

/** Private keys with a given CKA_ID (after login). */
export function findPrivateKeysById(module: Pkcs11Module, session: Handle, id: string): KeyObject[] {
  const handles = findObjects(module, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_ID, value: Buffer.from(id, "hex") },
  ]);
  return handles.map((handle) => readKey(module, session, handle, "private"));
}

function readKey(module: Pkcs11Module, session: Handle, handle: Handle, objectClass: KeyObjectClass): KeyObject {
  const type = readUlong(readAttribute(module, session, handle, pkcs11js.CKA_KEY_TYPE, ATTRIBUTE_BUFFER.ulong));
  const keyType = type === pkcs11js.CKK_RSA ? "rsa" : type === pkcs11js.CKK_EC ? "ec" : "other";
  const id = readAttribute(module, session, handle, pkcs11js.CKA_ID, ATTRIBUTE_BUFFER.id)?.toString("hex") ?? "";
  const modulus = keyType === "rsa" ? readAttribute(module, session, handle, pkcs11js.CKA_MODULUS, ATTRIBUTE_BUFFER.modulus) : undefined;
  // CKA_EC_POINT belongs to public keys; some drivers also put it on the private key.
  const ecPoint = keyType === "ec" ? readAttribute(module, session, handle, pkcs11js.CKA_EC_POINT, ATTRIBUTE_BUFFER.ecPoint) : undefined;
  const alwaysAuthenticate =
    objectClass === "private" && readBool(readAttribute(module, session, handle, pkcs11js.CKA_ALWAYS_AUTHENTICATE, ATTRIBUTE_BUFFER.bool));
  return {
    handle,
    objectClass,
    id,
    keyType,
    ...(modulus ? { modulus: stripLeadingZeros(modulus) } : {}),
    ...(ecPoint ? { ecPoint } : {}),
    alwaysAuthenticate,
  };
}

export function stripLeadingZeros(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  return value.subarray(start);
}

