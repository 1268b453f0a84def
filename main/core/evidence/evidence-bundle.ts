/**
 * The evidence of one audit record as one JSON file, for a dispute: the audit line, each check record it names,
 * and every object those records name, as base64 DER (and PEM for certificates, so `openssl x509` reads them
 * as they are). JSON because it needs no dependency to write and any tool can open it; `docs/evidence.md`
 * shows how to take the OCSP response or CRL out and check it with openssl.
 */
import type { AuditEntryView } from "../app-api/views.js";
import type { EvidenceCheckRecord, EvidenceId, EvidenceStore } from "./evidence-store.js";

export type EvidenceObjectType = "certificate" | "ocsp-response" | "crl";

export interface EvidenceBundleObject {
  readonly id: EvidenceId;
  readonly type: EvidenceObjectType;
  /** DER, base64. */
  readonly der: string;
  /** Certificates only. */
  readonly pem?: string;
}

export interface EvidenceBundle {
  readonly format: "kyso-evidence-bundle";
  readonly version: 1;
  readonly exportedAt: string;
  readonly auditRecord: AuditEntryView;
  readonly checks: readonly (EvidenceCheckRecord & { readonly id: EvidenceId })[];
  readonly objects: readonly EvidenceBundleObject[];
  /** Ids named but not in the store: rotated out (size cap), or altered on disk (their bytes no longer match). */
  readonly missing: readonly { readonly id: EvidenceId; readonly reason: "rotated-out" | "altered" }[];
}

function pem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

export async function buildEvidenceBundle(store: EvidenceStore, auditRecord: AuditEntryView, exportedAt: Date): Promise<EvidenceBundle> {
  const checks: (EvidenceCheckRecord & { id: EvidenceId })[] = [];
  const objects = new Map<EvidenceId, EvidenceBundleObject>();
  const missing = new Map<EvidenceId, "rotated-out" | "altered">();
  const note = (id: EvidenceId, state: "missing" | "altered"): void => void missing.set(id, state === "missing" ? "rotated-out" : "altered");
  for (const id of auditRecord.evidence ?? []) {
    const found = await store.read(id);
    if (found.state !== "ok" || found.kind !== "json") {
      note(id, found.state === "ok" ? "missing" : found.state);
      continue;
    }
    const record = JSON.parse(Buffer.from(found.bytes).toString("utf8")) as EvidenceCheckRecord;
    checks.push({ id, ...record });
    const wanted: [EvidenceId, EvidenceObjectType][] = [
      [record.certificate, "certificate"],
      ...record.chain.map((item): [EvidenceId, EvidenceObjectType] => [item, "certificate"]),
      ...record.ocspResponses.map((item): [EvidenceId, EvidenceObjectType] => [item, "ocsp-response"]),
      ...record.crls.map((item): [EvidenceId, EvidenceObjectType] => [item, "crl"]),
      ...(record.intermediates ?? []).flatMap((item): [EvidenceId, EvidenceObjectType][] => [
        [item.certificate, "certificate"],
        ...item.ocspResponses.map((id): [EvidenceId, EvidenceObjectType] => [id, "ocsp-response"]),
        ...item.crls.map((id): [EvidenceId, EvidenceObjectType] => [id, "crl"]),
      ]),
    ];
    for (const [objectId, type] of wanted) {
      if (objects.has(objectId) || missing.has(objectId)) continue;
      const object = await store.read(objectId);
      if (object.state !== "ok" || object.kind !== "der") {
        note(objectId, object.state === "ok" ? "missing" : object.state);
        continue;
      }
      const der = Buffer.from(object.bytes).toString("base64");
      objects.set(objectId, { id: objectId, type, der, ...(type === "certificate" ? { pem: pem(object.bytes) } : {}) });
    }
  }
  return {
    format: "kyso-evidence-bundle",
    version: 1,
    exportedAt: exportedAt.toISOString(),
    auditRecord,
    checks,
    objects: [...objects.values()],
    missing: [...missing].map(([id, reason]) => ({ id, reason })),
  };
}

/** A file name for the bundle: the record's time and id, nothing from the page. */
export function evidenceFileName(auditRecord: AuditEntryView): string {
  const time = auditRecord.time.slice(0, 19).replace(/[^0-9T]/g, "");
  const id = (auditRecord.id ?? "record").replace(/[^0-9A-Za-z-]/g, "").slice(0, 12);
  return `kyso-evidence-${time}Z-${id}.json`;
}
