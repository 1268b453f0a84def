/**
 * X.509 certificate objects on a token, read without login (certificates are public objects).
 */
import pkcs11js from "pkcs11js";
import type { Handle, Pkcs11Module } from "./core.js";
import { ATTRIBUTE_BUFFER, findObjects, readAttribute } from "./session.js";

export interface CertificateObject {
  readonly handle: Handle;
  /** CKA_ID, lower-case hex ("" when absent). */
  readonly id: string;
  readonly label: string;
  readonly der: Buffer;
}

export function findCertificates(module: Pkcs11Module, session: Handle): CertificateObject[] {
  const handles = findObjects(module, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  const certificates: CertificateObject[] = [];
  for (const handle of handles) {
    const der = readAttribute(module, session, handle, pkcs11js.CKA_VALUE, ATTRIBUTE_BUFFER.certificateValue);
    // An X.509 object without a value is a broken token entry, not a reason to hide the others.
    if (!der || der.length === 0) continue;
    certificates.push({
      handle,
      id: readAttribute(module, session, handle, pkcs11js.CKA_ID, ATTRIBUTE_BUFFER.id)?.toString("hex") ?? "",
      label: readAttribute(module, session, handle, pkcs11js.CKA_LABEL, ATTRIBUTE_BUFFER.label)?.toString("utf8") ?? "",
      der,
    });
  }
  return certificates;
}
