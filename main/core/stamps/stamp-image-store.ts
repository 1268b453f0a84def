/**
 * The user's stamp images, per certificate (Decree 30/2020 presets, docs/presets.md): the handwritten signature
 * (leader preset) and the organisation's seal with its real diameter (seal preset). Kept in the data folder, one
 * 0600 JSON file per certificate named by its SHA-256 fingerprint; never sent over the bridge: the signing port
 * reads them for the certificate that signs (signing-port.ts `stampImage`).
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { SEAL_DIAMETER_MM } from "../../domain/stamp-presets.js";
import { KysoError } from "../../domain/errors/index.js";
import { STAMP_IMAGES_FOLDER, ensurePrivateDirSync, writePrivateFileAtomic } from "../storage/private-files.js";
import { checkStampPng } from "./png-check.js";
import { STAMP_IMAGE_KINDS, type StampImageKind } from "../../domain/stamp-images.js";

export const FINGERPRINT = /^[0-9a-f]{64}$/;

export interface StoredStampImage {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Seal only: the real diameter in mm. */
  readonly diameterMm?: number;
}

export type StampImages = { readonly [K in StampImageKind]?: StoredStampImage };

const Entry = z.strictObject({ base64: z.string().max(2 * 1024 * 1024), diameterMm: z.number().min(SEAL_DIAMETER_MM.min).max(SEAL_DIAMETER_MM.max).optional() });
const FileSchema = z.strictObject({ signature: Entry.optional(), seal: Entry.optional() });

export interface StampImageStore {
  get(fingerprint: string): Promise<StampImages>;
  set(fingerprint: string, kind: StampImageKind, png: Uint8Array, diameterMm?: number): Promise<StampImages>;
  remove(fingerprint: string, kind: StampImageKind): Promise<StampImages>;
}

function checkFingerprint(fingerprint: string): string {
  const lower = fingerprint.toLowerCase();
  if (!FINGERPRINT.test(lower)) throw new KysoError("invalid_params", "a certificate fingerprint is 64 hex digits");
  return lower;
}

export function createStampImageStore(dataDir: string): StampImageStore {
  const dir = join(dataDir, STAMP_IMAGES_FOLDER);
  const fileOf = (fingerprint: string): string => join(dir, `${checkFingerprint(fingerprint)}.json`);

  async function readRaw(fingerprint: string): Promise<z.infer<typeof FileSchema>> {
    let text: string;
    try {
      text = await readFile(fileOf(fingerprint), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    // A damaged or hand-edited file is ignored rather than trusted: the user uploads the image again.
    const parsed = FileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  }

  function decode(raw: z.infer<typeof FileSchema>): StampImages {
    const out: Partial<Record<StampImageKind, StoredStampImage>> = {};
    for (const kind of STAMP_IMAGE_KINDS) {
      const entry = raw[kind];
      if (!entry) continue;
      const png = Buffer.from(entry.base64, "base64");
      try {
        const { width, height } = checkStampPng(png);
        if (kind === "seal" && entry.diameterMm === undefined) continue;
        out[kind] = { png, width, height, ...(entry.diameterMm !== undefined ? { diameterMm: entry.diameterMm } : {}) };
      } catch {
        // Re-checked on every read: a file changed behind KySo's back never reaches a signature.
      }
    }
    return out;
  }

  async function write(fingerprint: string, raw: z.infer<typeof FileSchema>): Promise<void> {
    if (!raw.signature && !raw.seal) {
      await rm(fileOf(fingerprint), { force: true });
      return;
    }
    ensurePrivateDirSync(dir);
    await writePrivateFileAtomic(fileOf(fingerprint), `${JSON.stringify(raw)}\n`);
  }

  return {
    async get(fingerprint) {
      return decode(await readRaw(fingerprint));
    },
    async set(fingerprint, kind, png, diameterMm) {
      checkStampPng(png);
      if (kind === "seal" && diameterMm === undefined) throw new KysoError("invalid_params", "a seal needs its real diameter in mm");
      if (diameterMm !== undefined && (diameterMm < SEAL_DIAMETER_MM.min || diameterMm > SEAL_DIAMETER_MM.max)) {
        throw new KysoError("invalid_params", `a seal's diameter is ${SEAL_DIAMETER_MM.min}-${SEAL_DIAMETER_MM.max} mm`);
      }
      const raw = await readRaw(fingerprint);
      const entry = { base64: Buffer.from(png).toString("base64"), ...(kind === "seal" ? { diameterMm } : {}) };
      const next = { ...raw, [kind]: entry };
      await write(fingerprint, next);
      return decode(next);
    },
    async remove(fingerprint, kind) {
      const raw = await readRaw(fingerprint);
      const { [kind]: _gone, ...rest } = raw;
      await write(fingerprint, rest);
      return decode(rest);
    },
  };
}
