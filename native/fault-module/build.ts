/**
 * Builds the fault-injecting test PKCS#11 module (README.md) with the system C compiler, only when the .so is
 * missing or older than a source. Test-only: the app never loads this module.
 *
 * Script use: `npx tsx native/fault-module/build.ts` prints the path of the built library.
 */
import { execFile } from "node:child_process";
import { access, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const MODULE_DIR = dirname(fileURLToPath(import.meta.url));
const BUILD_DIR = join(MODULE_DIR, "build");
export const FAULT_MODULE_PATH = join(BUILD_DIR, "libkyso-fault-pkcs11.so");

/** From Debian's libp11-kit-dev: a PKCS#11 v2.40 header under a licence we can build against. */
const PKCS11_HEADER = "/usr/include/p11-kit-1/p11-kit/pkcs11.h";

const CFLAGS = ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-fvisibility=hidden"];

async function sourceFiles(): Promise<string[]> {
  const names = await readdir(MODULE_DIR);
  return names.filter((name) => name.endsWith(".c") || name.endsWith(".h")).map((name) => join(MODULE_DIR, name));
}

async function isUpToDate(sources: string[]): Promise<boolean> {
  const built = await stat(FAULT_MODULE_PATH).catch(() => null);
  if (!built) return false;
  // build.ts holds the compiler flags, so a change here rebuilds too.
  const inputs = await Promise.all([...sources, fileURLToPath(import.meta.url)].map((path) => stat(path)));
  return inputs.every((input) => input.mtimeMs <= built.mtimeMs);
}

/** Returns the absolute path of `native/fault-module/build/libkyso-fault-pkcs11.so`, compiling it first if stale. */
export async function buildFaultModule(): Promise<string> {
  const sources = await sourceFiles();
  if (await isUpToDate(sources)) return FAULT_MODULE_PATH;
  await access(PKCS11_HEADER).catch(() => {
    throw new Error(`${PKCS11_HEADER} is missing: install it with \`apt-get install libp11-kit-dev\``);
  });
  await mkdir(BUILD_DIR, { recursive: true });
  // Test files build in parallel processes: each compiles to its own name and renames, which is atomic.
  const temporary = `${FAULT_MODULE_PATH}.${process.pid}.tmp`;
  const cFiles = sources.filter((path) => path.endsWith(".c"));
  try {
    await execFileAsync("cc", [...CFLAGS, `-I${dirname(dirname(PKCS11_HEADER))}`, "-o", temporary, ...cFiles, "-ldl"]);
    await rename(temporary, FAULT_MODULE_PATH);
  } catch (error) {
    await rm(temporary, { force: true });
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`building the fault module failed${stderr ? `:\n${stderr}` : ""}`, { cause: error });
  }
  return FAULT_MODULE_PATH;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildFaultModule().then(
    (path) => console.log(path),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
