/**
 * The local control channel between the `kyso` command (main/cli/) and the running app (docs/cli.md): one JSON
 * object per line each way over a Unix domain socket (a named pipe on Windows) that only the OS user can open.
 * Both sides import this file: the schemas are the contract, validated at the app's door (style habit 3).
 *
 * Every request carries `auth`, the secret the app writes at start to `cli.token` in its data folder (0600): the
 * socket's own permissions are the first wall, the secret the second (a Windows named pipe's default ACL lets other
 * local users open it read-only; they cannot read the token file in this user's profile).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { PadesLevelSchema, PresetSchema } from "../signing/request.js";
import { MAX_LOCAL_FILES } from "../files/files-sign-params.js";
import type { ErrorPayload } from "../../domain/errors/kyso-error.js";
import type { LocalFileResult } from "../files/files-sign-params.js";
import type { VerificationReport } from "../../domain/wire/verify-report.js";

/**
 * Files in one `sign` call: the same cap as the app's own `files.sign` (one approval lists at most this many).
 * The CLI splits a longer list into several calls (one approval each).
 */
export const CLI_MAX_FILES_PER_CALL = MAX_LOCAL_FILES;
/**
 * Longest request line: 100 paths of 4 KiB plus a preset's stamp image (a few MiB of base64) fit; anything longer
 * closes the connection before it is parsed.
 */
export const CLI_MAX_LINE_BYTES = 8 * 1024 * 1024;
/** What the approval and the audit log show as the requester of a CLI signing (not a URL: no page can claim it). */
export const CLI_ORIGIN = "KySo CLI (local user)";
/** The same, when the machine policy let the run sign without an approval (`unattendedSigning`). */
export const CLI_UNATTENDED_ORIGIN = "KySo CLI (unattended, machine policy)";

export const CLI_TOKEN_FILE = "cli.token";
const CLI_SOCKET_FILE = "cli.sock";

/**
 * Where the app listens for its data folder: `<dataDir>/cli.sock` (the folder is 0700, the socket 0600), or on
 * Windows a pipe whose name is derived from the data folder (one per user profile).
 */
export function cliChannelPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === "win32") return `\\\\.\\pipe\\kyso-cli-${createHash("sha256").update(dataDir.toLowerCase()).digest("hex").slice(0, 24)}`;
  return join(dataDir, CLI_SOCKET_FILE);
}

const auth = z.string().regex(/^[0-9a-f]{64}$/);
const absolutePath = z.string().min(1).max(4096);
/** A certificate id from `kyso certs` or its SHA-256 fingerprint (hex, colons and case ignored). */
const certificateRef = z.string().min(1).max(200);

export const CliSignParamsSchema = z.strictObject({
  paths: z.array(absolutePath).min(1).max(CLI_MAX_FILES_PER_CALL),
  preset: PresetSchema,
  level: PadesLevelSchema.optional(),
  certificate: certificateRef,
  overwrite: z.boolean().optional(),
  /**
   * Where `<name>.signed.pdf` exists (files-sign-params.ts): absent, the call is refused with `file_exists` listing
   * them (details.outputs); `keepBoth` writes `<name>.signed (2).pdf`; `skip` leaves those files out.
   */
  existing: z.enum(["overwrite", "keepBoth", "skip"]).optional(),
  /** Sign without an approval: allowed only when the machine policy lists the certificate (`unattendedSigning`). */
  unattended: z.boolean().optional(),
  /** Only with `unattended` (read by the CLI from stdin, never argv or env); absent: a PIN pad or no PIN. */
  pin: z.string().min(1).max(64).optional(),
}).refine((p) => !(p.overwrite === true && p.existing !== undefined && p.existing !== "overwrite"), { message: "overwrite: true contradicts existing" });
export type CliSignParams = z.output<typeof CliSignParamsSchema>;

export const CliRequestSchema = z.discriminatedUnion("method", [
  z.strictObject({ id: z.number().int().min(0), auth, method: z.literal("certs"), params: z.strictObject({}).optional() }),
  z.strictObject({ id: z.number().int().min(0), auth, method: z.literal("sign"), params: CliSignParamsSchema }),
  z.strictObject({ id: z.number().int().min(0), auth, method: z.literal("verify"), params: z.strictObject({ path: absolutePath }) }),
]);
export type CliRequest = z.output<typeof CliRequestSchema>;
export type CliMethod = CliRequest["method"];

/** One line of `kyso certs --json` (docs/cli.md). */
export interface CliCertificate {
  readonly id: string;
  readonly fingerprintSha256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly valid: boolean;
  readonly problems: readonly string[];
  /** The certificate's label on the token (CKA_LABEL). */
  readonly label?: string;
  /** The machine policy lets this certificate sign without an approval (`unattendedSigning`). */
  readonly unattended: boolean;
}

export interface CliResults {
  certs: readonly CliCertificate[];
  sign: { readonly unattended: boolean; readonly files: readonly LocalFileResult[] };
  verify: { readonly path: string; readonly report: VerificationReport };
}

export type CliResponse = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: ErrorPayload };
