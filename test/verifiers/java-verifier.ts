import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const JAVA_SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), "java");
export const JAVA_BUILD_DIR = join(JAVA_SOURCE_DIR, "build");

/**
 * Debian's jars. Santuario 2.1 logs through slf4j, so slf4j-api and the no-op binding ride along (without them
 * it fails with NoClassDefFoundError on the first XML check).
 */
export const JAVA_VERIFIER_JARS: readonly string[] = [
  "bcprov.jar",
  "bcpkix.jar",
  "bcutil.jar",
  "pdfbox2.jar",
  "fontbox2.jar",
  "xmlsec.jar",
  "commons-logging.jar",
  "slf4j-api.jar",
  "slf4j-nop.jar",
].map((jar) => join("/usr/share/java", jar));

const JAVA_TIMEOUT_MS = 60_000;
/** Short-lived JVM: C1 only and serial GC start faster than the defaults. */
const JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Djava.awt.headless=true"];

export type JavaVerifierKind = "cms" | "pdf" | "xml";

/** One checked signature (a SignerInfo for cms, a signature dictionary for pdf, a ds:Signature for xml). */
export interface JavaSignatureReport {
  readonly errors: readonly string[];
  readonly [detail: string]: unknown;
}

export interface JavaVerifyReport {
  readonly valid: boolean;
  readonly kind: JavaVerifierKind;
  readonly file: string;
  /** pdf and xml only: how many signatures the document holds. */
  readonly count?: number;
  readonly signatures: readonly JavaSignatureReport[];
  readonly errors: readonly string[];
  readonly [detail: string]: unknown;
}

export interface JavaVerifyResult {
  /** The verifier's exit code was 0: every check passed. */
  readonly ok: boolean;
  readonly report: JavaVerifyReport;
}

let current: Promise<string> | undefined;

/**
 * Compiles the Java sources when they changed. The output folder is named after a hash of the sources, so
 * several vitest worker processes can build at once: each compiles into a private folder and renames it into
 * place, and a loser of that race simply uses the winner's identical classes.
 */
export async function ensureJavaVerifier(): Promise<void> {
  await classesDir();
}

async function classesDir(): Promise<string> {
  current ??= compileIfStale().catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

async function compileIfStale(): Promise<string> {
  const sources = (await readdir(JAVA_SOURCE_DIR)).filter((name) => name.endsWith(".java")).sort();
  const hash = createHash("sha256");
  for (const name of sources) {
    hash.update(name).update("\0").update(await readFile(join(JAVA_SOURCE_DIR, name))).update("\0");
  }
  const target = join(JAVA_BUILD_DIR, hash.digest("hex").slice(0, 16));
  if (await exists(join(target, "KysoVerify.class"))) return target;
  await mkdir(JAVA_BUILD_DIR, { recursive: true });
  const scratch = join(JAVA_BUILD_DIR, `.tmp-${randomBytes(6).toString("hex")}`);
  try {
    await run(
      "javac",
      ["-encoding", "UTF-8", "-Xlint:-path", "-d", scratch, "-cp", JAVA_VERIFIER_JARS.join(":"),
        ...sources.map((name) => join(JAVA_SOURCE_DIR, name))],
      { timeout: 120_000, maxBuffer: 4 << 20 },
    );
    await rename(scratch, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `KysoVerify <kind> <file> [...args]`. Resolves for exit 0 (valid) and 1 (invalid); rejects on a usage
 * error (exit 2), a timeout or output that is not the expected JSON, so a broken harness never reads as
 * "the signature is invalid".
 */
export async function verifyWithJava(
  kind: JavaVerifierKind,
  file: string,
  args: readonly string[] = [],
): Promise<JavaVerifyResult> {
  const classes = await classesDir();
  const cp = [classes, ...JAVA_VERIFIER_JARS].join(":");
  const argv = [...JVM_FLAGS, "-cp", cp, "KysoVerify", kind, file, ...args];
  let stdout: string;
  let code = 0;
  try {
    ({ stdout } = await run("java", argv, { timeout: JAVA_TIMEOUT_MS, maxBuffer: 16 << 20 }));
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string; killed?: boolean };
    if (failed.code !== 1 || typeof failed.stdout !== "string") {
      throw new Error(`KysoVerify ${kind} failed (exit ${String(failed.code)}): ${failed.stderr ?? ""}`.trim());
    }
    stdout = failed.stdout;
    code = 1;
  }
  let report: JavaVerifyReport;
  try {
    report = JSON.parse(stdout) as JavaVerifyReport;
  } catch {
    throw new Error(`KysoVerify ${kind} printed no JSON: ${stdout.slice(0, 500)}`);
  }
  if (report.valid !== (code === 0)) throw new Error(`KysoVerify ${kind}: exit code and "valid" disagree`);
  return { ok: code === 0, report };
}

/** Every error in a report, top level first, each signature's prefixed with its index: handy in assertions. */
export function allErrors(report: JavaVerifyReport): string[] {
  return [...report.errors, ...report.signatures.flatMap((s, i) => s.errors.map((e) => `#${i}: ${e}`))];
}
