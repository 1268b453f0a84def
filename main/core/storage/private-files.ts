/**
 * KySo's data folder holds the user's pairings (which sites may ask to sign), settings, the audit log and the local
 * TLS key: other local users must not read or change them. Every folder KySo owns is 0700 and every file it writes
 * 0600, including folders and files left wider by an older version or a copied profile (tightened at start).
 * On Windows the POSIX mode bits mean almost nothing (the profile folder's ACL protects the data), so nothing is
 * tightened there.
 */
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, type Stats } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const POSIX = process.platform !== "win32";

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Creates `dir` (and missing parents) as 0700, and narrows it to 0700 if it already existed wider. */
export function ensurePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!POSIX) return;
  const stats = lstatSync(dir);
  // A symlinked data folder is the user's choice: chmod would follow it, so leave the target alone.
  if (stats.isDirectory() && (stats.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Narrows an existing regular file to 0600; a missing file or a symlink (chmod follows links) is left alone. */
export function tightenFileSync(file: string): void {
  if (!POSIX) return;
  const stats = lstatOrUndefined(file);
  if (stats?.isFile() && (stats.mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE);
}

/** A folder of KySo's own (the TLS folder): the folder 0700, every regular file in it 0600. */
export function tightenPrivateTreeSync(dir: string): void {
  const stats = lstatOrUndefined(dir);
  if (!stats?.isDirectory()) return;
  ensurePrivateDirSync(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) tightenPrivateTreeSync(join(dir, entry.name));
    else if (entry.isFile()) tightenFileSync(join(dir, entry.name));
  }
}

/**
 * The files KySo writes in the data folder, by name. The folder is also Electron's userData, whose Chromium files
 * are Chromium's business: only KySo's own are touched.
 */
export function isKysoDataFile(name: string): boolean {
  // remote-secrets.bin: remote-signing tokens, encrypted by the OS (main/electron/safe-storage-secret-store.ts).
  return name === "settings.json" || name === "pairings.json" || name === "remote-secrets.bin" || name === "trust-bundle.json" || /^audit[.-]/.test(name);
}

export const TLS_FOLDER = "tls";
/** Evidence of each signature's certificate check (main/core/evidence/evidence-store.ts). */
export const EVIDENCE_FOLDER = "evidence";
/** The user's stamp images per certificate (main/core/stamps/stamp-image-store.ts). */
export const STAMP_IMAGES_FOLDER = "stamp-images";

/** At start: the data folder 0700, KySo's files in it 0600, the TLS, evidence and stamp-image folders 0700 with 0600 files. */
export function securePrivateDataSync(dataDir: string): void {
  ensurePrivateDirSync(dataDir);
  if (!POSIX) return;
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile() && isKysoDataFile(entry.name)) tightenFileSync(join(dataDir, entry.name));
  }
  tightenPrivateTreeSync(join(dataDir, TLS_FOLDER));
  tightenPrivateTreeSync(join(dataDir, EVIDENCE_FOLDER));
  tightenPrivateTreeSync(join(dataDir, STAMP_IMAGES_FOLDER));
}

/** The file-system steps of `writePrivateFileAtomic`, injectable so a test can crash between any two of them. */
export interface AtomicWriteSteps {
  open: typeof open;
  rename: typeof rename;
  /** fsync of the folder, so the rename itself survives a power cut. */
  syncDir(dir: string): Promise<void>;
}

export const REAL_STEPS: AtomicWriteSteps = {
  open,
  rename,
  async syncDir(dir) {
    if (!POSIX) return; // Windows cannot open a folder for fsync; NTFS journals the rename.
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
};

/**
 * Replaces `file` with `data` so a crash at any point leaves either the old content or the new, never a mix or a
 * truncated file: write a 0600 temp file in the same folder, fsync it, rename over the target, fsync the folder.
 */
export async function writePrivateFileAtomic(file: string, data: string | Uint8Array, steps: AtomicWriteSteps = REAL_STEPS): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  let renamed = false;
  try {
    const handle = await steps.open(temp, "wx", PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await steps.rename(temp, file);
    renamed = true;
    await steps.syncDir(dir);
  } finally {
    if (!renamed) await rm(temp, { force: true }).catch(() => undefined);
  }
}
