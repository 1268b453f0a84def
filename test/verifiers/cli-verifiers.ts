import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI_TIMEOUT_MS = 60_000;

export interface CliResult {
  readonly ok: boolean;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool with an argument array (never a shell string); a non-zero exit is a result, not an exception. */
export function runTool(cmd: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: CLI_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      // A missing binary or a timeout is a broken test environment, which must not look like "invalid".
      if (typeof code !== "number") reject(new Error(`${cmd} did not run: ${error?.message ?? ""}`));
      else resolve({ ok: code === 0, code, stdout, stderr });
    });
  });
}

export interface OpensslCmsVerifyOptions {
  readonly signature: string;
  /** The signed content of a detached signature. */
  readonly content?: string;
  readonly caFile: string;
  /** Extra intermediate certificates not carried in the signature. */
  readonly untrusted?: string;
  /** The signature encapsulates its content: returns it so the caller can compare. */
  readonly attached?: boolean;
  /** Check the signature only, not the certificate chain. */
  readonly noVerifyChain?: boolean;
}

export interface OpensslCmsVerifyResult {
  readonly ok: boolean;
  readonly stderr: string;
  /** The encapsulated content, for attached signatures that verified. */
  readonly content?: Buffer;
}

/**
 * `openssl cms -verify -binary -inform DER`: without -binary, LF-only content fails canonicalisation; -purpose any
 * because signing certificates carry no S/MIME EKU. OpenSSL accepts unsorted signed attributes and ignores
 * signingCertificateV2, so pair it with the Java verifier.
 */
export async function opensslCmsVerify(opts: OpensslCmsVerifyOptions): Promise<OpensslCmsVerifyResult> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-cms-"));
  try {
    const out = join(dir, "content.bin");
    const args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", opts.signature, "-purpose", "any",
      "-CAfile", opts.caFile, "-out", out];
    if (opts.content !== undefined && !opts.attached) args.push("-content", opts.content);
    if (opts.untrusted !== undefined) args.push("-certfile", opts.untrusted);
    if (opts.noVerifyChain) args.push("-noverify");
    const r = await runTool("openssl", args);
    let content: Buffer | undefined;
    if (r.ok && opts.attached) {
      content = await readFile(out);
      if (opts.content !== undefined && !content.equals(await readFile(opts.content))) {
        return { ok: false, stderr: `${r.stderr}\nencapsulated content differs from ${opts.content}`, content };
      }
    }
    return content === undefined ? { ok: r.ok, stderr: r.stderr } : { ok: r.ok, stderr: r.stderr, content };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type OpensslTsVerifyOptions = {
  readonly caFile: string;
  /** The TSA certificate when the token does not carry it. */
  readonly untrusted?: string;
} & ({ readonly data: string } | { readonly digest: string }) &
  ({ readonly response: string } | { readonly token: string });

/** `openssl ts -verify`: `data` is the file that was timestamped, `digest` its hash in hex. */
export async function opensslTsVerify(opts: OpensslTsVerifyOptions): Promise<CliResult> {
  const args = ["ts", "-verify", "-CAfile", opts.caFile];
  if ("data" in opts) args.push("-data", opts.data);
  else args.push("-digest", opts.digest);
  if ("token" in opts) args.push("-in", opts.token, "-token_in");
  else args.push("-in", opts.response);
  if (opts.untrusted !== undefined) args.push("-untrusted", opts.untrusted);
  return runTool("openssl", args);
}

export interface PdfsigSignature {
  readonly index: number;
  /** Only the "Signature is Valid" line: poppler's trust line flips between runs. */
  readonly valid: boolean;
  readonly signerName?: string;
  readonly subFilter?: string;
  readonly totalDocumentSigned: boolean;
  readonly lines: readonly string[];
}

export interface PdfsigResult {
  readonly signatures: readonly PdfsigSignature[];
  readonly stdout: string;
  readonly stderr: string;
}

/** `pdfsig -nocert`: signature checks only, so no NSS trust setup and no network. */
export async function pdfsigVerify(file: string): Promise<PdfsigResult> {
  const r = await runTool("pdfsig", ["-nocert", "-no-ocsp", file]);
  if (!r.ok && !/does not contain any signatures/.test(r.stdout + r.stderr)) {
    throw new Error(`pdfsig failed (exit ${r.code}): ${r.stderr}`);
  }
  const signatures: PdfsigSignature[] = [];
  for (const block of r.stdout.split(/^Signature #/m).slice(1)) {
    const lines = block.split("\n").map((line) => line.replace(/^\s*-\s*/, "").trim()).filter(Boolean);
    const field = (name: string): string | undefined =>
      lines.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1).trim();
    const signerName = field("Signer Certificate Common Name");
    const subFilter = field("Signature Type");
    signatures.push({
      index: Number.parseInt(block, 10),
      valid: lines.some((line) => /Signature Validation: Signature is Valid/.test(line)),
      totalDocumentSigned: lines.includes("Total document signed"),
      lines,
      ...(signerName === undefined ? {} : { signerName }),
      ...(subFilter === undefined ? {} : { subFilter }),
    });
  }
  return { signatures, stdout: r.stdout, stderr: r.stderr };
}

/** `qpdf --check`: exit 0 clean, 3 warnings only, 2 errors. */
export async function qpdfCheck(file: string): Promise<CliResult & { readonly warnings: boolean }> {
  const r = await runTool("qpdf", ["--check", file]);
  return { ...r, warnings: r.code === 3 };
}

export interface XmlsecVerifyOptions {
  /**
   * ID attributes as `"Attr [namespace:]Element"`, e.g. `"Id http://kekhaithue.gdt.gov.vn/TKhaiThue:HSoKhaiThue"`:
   * no DTD declares them, and without them xmlsec1 cannot resolve URI="#...".
   */
  readonly idAttrs?: readonly string[];
  readonly trustedPem: string;
  readonly untrustedPem?: readonly string[];
  /** Defaults to "empty,same-doc": KySo never signs external references. */
  readonly enabledReferenceUris?: string;
}

/** `xmlsec1 --verify` (libxml2 + OpenSSL). It accepts a Reference without URI; the Java verifier does not. */
export async function xmlsecVerify(file: string, opts: XmlsecVerifyOptions): Promise<CliResult> {
  const args = ["--verify", "--trusted-pem", opts.trustedPem,
    "--enabled-reference-uris", opts.enabledReferenceUris ?? "empty,same-doc"];
  for (const pem of opts.untrustedPem ?? []) args.push("--untrusted-pem", pem);
  for (const spec of opts.idAttrs ?? []) {
    const space = spec.indexOf(" ");
    if (space <= 0) throw new Error(`idAttrs entry must be "Attr [ns:]Element": ${spec}`);
    args.push(`--id-attr:${spec.slice(0, space)}`, spec.slice(space + 1));
  }
  args.push(file);
  return runTool("xmlsec1", args);
}
