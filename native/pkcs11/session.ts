/**
 * Sessions and object attributes: the small helpers every operation file shares.
 */
import pkcs11js from "pkcs11js";
import type { Handle, Pkcs11Module } from "./core.js";

/**
 * A read-only serial session. Enumeration and signing both use read-only sessions: some VNPT modules reject
 * read-write sessions while enumerating (shared/notes/vietnam.md), and signing never writes to the token.
 */
export function openReadOnlySession(module: Pkcs11Module, slot: Handle): Handle {
  return module.p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
}

/** Closing is best effort: after an unplug the handle is already gone and the error says nothing new. */
export function closeSessionQuietly(module: Pkcs11Module, session: Handle): void {
  try {
    module.p11.C_CloseSession(session);
  } catch {
    // CKR_SESSION_HANDLE_INVALID / CKR_DEVICE_REMOVED after an unplug: nothing left to close.
  }
}

/** All objects matching `template`, in batches, always finalising the search. */
export function findObjects(module: Pkcs11Module, session: Handle, template: pkcs11js.Template): Handle[] {
  const found: Handle[] = [];
  module.p11.C_FindObjectsInit(session, template);
  try {
    for (;;) {
      const batch = module.p11.C_FindObjects(session, 32);
      found.push(...batch);
      if (batch.length < 32) break;
    }
  } finally {
    module.p11.C_FindObjectsFinal(session);
  }
  return found;
}

/** Buffer sizes for attribute reads; generous so one read is enough (see readAttribute). */
export const ATTRIBUTE_BUFFER = {
  certificateValue: 16 * 1024,
  label: 1024,
  id: 256,
  modulus: 1024,
  ecPoint: 512,
  ecParams: 128,
  ulong: 8,
  bool: 1,
} as const;

/**
 * Reads one attribute. pkcs11js always calls C_GetAttributeValue twice (size query, then value), passing our
 * template to the first call. Handing it a pre-sized buffer turns the first call into a real read, so drivers
 * whose size query answers 0 (shared/notes/vietnam.md) still return the value; the second call then repeats the
 * read at the exact length. Returns undefined when the object has no such attribute or keeps it secret.
 */
export function readAttribute(
  module: Pkcs11Module,
  session: Handle,
  object: Handle,
  type: number,
  bufferBytes: number,
): Buffer | undefined {
  try {
    const [attribute] = module.p11.C_GetAttributeValue(session, object, [{ type, value: Buffer.alloc(bufferBytes) }]);
    return attribute?.value;
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === pkcs11js.CKR_ATTRIBUTE_TYPE_INVALID || code === pkcs11js.CKR_ATTRIBUTE_SENSITIVE) return undefined;
    throw error;
  }
}

/** CK_ULONG is 4 bytes on Windows and 8 on LP64; both little-endian on every platform KySo ships for. */
export function readUlong(value: Buffer | undefined): number | undefined {
  if (!value || value.length < 4) return undefined;
  return value.readUInt32LE(0);
}

export function readBool(value: Buffer | undefined): boolean {
  return value !== undefined && value.length > 0 && value[0] !== 0;
}
