/**
 * The one place that owns a loaded PKCS#11 module (style habit 7: wrap the foreign system once, then one file per
 * operation). Everything else in native/pkcs11 receives a `Pkcs11Module` and never touches `load`/`C_Initialize`.
 *
 * A module is loaded and initialised once per process and never finalised while the process lives: vendor modules
 * misbehave on repeated C_Finalize/C_Initialize and some deadlock while unloading (shared/notes/vietnam.md), so
 * the token host process is the unit of "unload", and killing it is how a module is let go.
 */
import pkcs11js from "pkcs11js";

export type Handle = Buffer;

/** Raised when the file is not a usable PKCS#11 library; `reason` is what the diagnostics page shows. */
export class ModuleLoadError extends Error {
  constructor(
    readonly reason: ModuleLoadFailure,
    message: string,
  ) {
    super(message);
    this.name = "ModuleLoadError";
  }
}

export type ModuleLoadFailure = "not_found" | "wrong_architecture" | "not_pkcs11" | "load_failed" | "initialize_failed";

export interface ModuleInfo {
  readonly manufacturer: string;
  readonly description: string;
  readonly cryptokiVersion: string;
  readonly libraryVersion: string;
}

export class Pkcs11Module {
  readonly p11: pkcs11js.PKCS11;
  readonly path: string;

  private constructor(p11: pkcs11js.PKCS11, path: string) {
    this.p11 = p11;
    this.path = path;
  }

  /**
   * Loads and initialises the module. CKF_OS_LOCKING_OK is required: SoftHSM corrupts its heap when two sessions
   * sign at once without it (shared/notes/machine.md), and vendor modules expect it from multi-threaded callers.
   */
  static open(path: string): Pkcs11Module {
    const p11 = new pkcs11js.PKCS11();
    try {
      p11.load(path);
    } catch (error) {
      throw new ModuleLoadError(classifyLoadError(error), errorMessage(error));
    }
    try {
      p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (error) {
      // Another part of the same process initialised it first: usable as is.
      if ((error as { code?: number }).code !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw new ModuleLoadError("initialize_failed", `C_Initialize: ${errorMessage(error)}`);
      }
    }
    return new Pkcs11Module(p11, path);
  }

  info(): ModuleInfo {
    const info = this.p11.C_GetInfo();
    return {
      manufacturer: trimField(info.manufacturerID),
      description: trimField(info.libraryDescription),
      cryptokiVersion: `${info.cryptokiVersion.major}.${info.cryptokiVersion.minor}`,
      libraryVersion: `${info.libraryVersion.major}.${info.libraryVersion.minor}`,
    };
  }
}

/** CK_UTF8CHAR fields are blank-padded and some drivers also NUL-pad them. */
export function trimField(value: string): string {
  return value.replace(/[\s\0]+$/u, "");
}

function classifyLoadError(error: unknown): ModuleLoadFailure {
  const message = errorMessage(error);
  if (/No such file|cannot open shared object file: No such|ENOENT|not found/i.test(message)) return "not_found";
  if (/wrong ELF class|ELF class|incompatible architecture|mach-o|not a valid Win32|%1 is not/i.test(message)) return "wrong_architecture";
  if (/C_GetFunctionList|undefined symbol|invalid ELF header|file too short|not a dynamic/i.test(message)) return "not_pkcs11";
  return "load_failed";
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { pkcs11js };
