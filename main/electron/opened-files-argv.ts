/**
 * The PDFs in a launch's argv: the "Sign with KySo" verb and desktop action pass `--sign-files <paths…>`, "Open
 * with KySo" passes the paths alone (Linux `%U` may give `file://` URLs). Only paths ending in .pdf count; the
 * core keeps only regular files (files/opened-files.ts). Switches and kyso:// links are not files.
 */
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenedFilesAction } from "../core/files/opened-files.js";

export const SIGN_FILES_ARG = "--sign-files";

export function filesFromArgv(argv: readonly string[], workingDirectory: string): { readonly paths: string[]; readonly action: OpenedFilesAction } {
  const paths: string[] = [];
  // argv[0] is the executable (and argv[1] the app folder in development): never a document.
  for (const arg of argv.slice(1)) {
    if (arg.startsWith("-") || !/\.pdf$/i.test(arg)) continue;
    if (/^file:\/\//i.test(arg)) {
      try {
        paths.push(fileURLToPath(arg));
      } catch {
        // a file:// URL naming another host is not a local file
      }
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) continue;
    paths.push(isAbsolute(arg) ? arg : resolve(workingDirectory, arg));
  }
  return { paths, action: argv.includes(SIGN_FILES_ARG) ? "sign" : "open" };
}
