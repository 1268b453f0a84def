/**
 * Writes a file next to others without ever leaving half of it behind and without replacing a file the user did
 * not agree to replace: the bytes go to a temporary file in the same folder (same file system, so the final step
 * is a rename), flushed to disk, then
 * - `overwrite: false`: hard-linked to the final name, which fails with EEXIST if that name exists (atomic check
 *   and create), then the temporary name is removed; on file systems without hard links (FAT, exFAT USB sticks,
 *   some network shares) an existence check followed by a rename, the only form there is;
 * - `overwrite: true`: renamed over the final name (atomic replacement on POSIX and NTFS).
 * On any failure the temporary file is removed and the final name is untouched.
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { access, link, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { KysoError } from "../../domain/errors/index.js";

/** The file system steps that can fail between the write and the final name: tests inject failures here. */
export interface AtomicWriteOps {
  readonly link: (from: string, to: string) => Promise<void>;
  readonly rename: (from: string, to: string) => Promise<void>;
}

const REAL_OPS: AtomicWriteOps = { link, rename };

/** Hard links not supported by the target's file system (the rename fallback applies). */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.kyso-part`);
}

export async function writeFileAtomically(path: string, bytes: Uint8Array, options: { readonly overwrite: boolean; readonly ops?: AtomicWriteOps }): Promise<void> {
  const ops = options.ops ?? REAL_OPS;
  const temporary = temporaryPathFor(path);
  try {
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite) {
      await ops.rename(temporary, path);
      return;
    }
    try {
      await ops.link(temporary, path);
    } catch (error) {
      if (codeOf(error) === "EEXIST") throw exists(path);
      if (!NO_LINKS.has(codeOf(error) ?? "")) throw error;
      if (await present(path)) throw exists(path);
      await ops.rename(temporary, path);
    }
  } finally {
    // After a link both names exist, after a rename only the final one, after a failure only the temporary one:
    // whichever, the temporary name goes.
    await rm(temporary, { force: true });
  }
}

async function present(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function exists(path: string): KysoError {
  return new KysoError("file_exists", `${path} exists`, { output: path });
}
