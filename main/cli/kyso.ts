#!/usr/bin/env node
/**
 * `kyso`: signing and verifying from scripts through the running KySo app (docs/cli.md). The command holds no key
 * and no policy: it asks the app over the user-only channel (main/core/cli-channel/), and the app applies the same
 * approval and machine policy as for a portal. A PIN is read only from stdin (`--pin-stdin`), never from argv or
 * the environment, where other processes could read it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { resolve, join } from "node:path";
import { parseArgs } from "node:util";
import type { LocalFileResult } from "../core/files/files-sign-params.js";
import { CLI_MAX_FILES_PER_CALL, type CliResults, type CliSignParams } from "../core/cli-channel/protocol.js";
import type { Language } from "../domain/errors/kyso-error.js";
import { message, type MessageKey } from "../domain/messages/index.js";
import { AppNotRunning, AppRefused, appDataDir, connectToApp, type ChannelClient } from "./channel-client.js";
import { EXIT, exitCodeFor, type ExitCode } from "./exit-codes.js";

class UsageError extends Error {}

const dataDir = appDataDir();
const language = cliLanguage();
const t = (key: MessageKey, params?: Readonly<Record<string, string | number>>): string => message(language, key, params);

/** LANG (or LC_ALL / LC_MESSAGES) when set to a language, else the app's own setting, else Vietnamese. */
function cliLanguage(): Language {
  const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "";
  if (/^vi/i.test(locale)) return "vi";
  if (/^[a-z]{2}/i.test(locale) && !/^(C|POSIX)\b/.test(locale)) return "en";
  try {
    const settings = JSON.parse(readFileSync(join(dataDir, "settings.json"), "utf8")) as { language?: unknown };
    return settings.language === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  preset: { type: "string" },
  cert: { type: "string" },
  "document-number": { type: "string" },
  "copy-kind": { type: "string" },
  organisation: { type: "string" },
  image: { type: "string" },
  "seal-diameter": { type: "string" },
  level: { type: "string" },
  overwrite: { type: "boolean" },
  "keep-both": { type: "boolean" },
  "skip-existing": { type: "boolean" },
  "pin-stdin": { type: "boolean" },
  unattended: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function print(json: boolean, value: unknown, human: () => void): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else human();
}

/** The PDFs named: files as given, folders' own `*.pdf` (not recursive, not the `*.signed.pdf` KySo wrote). */
function expandFiles(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(arg);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      // A missing file is the app's to report (file_unreadable), with the path.
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const inside = readdirSync(path)
      .filter((name) => /\.pdf$/i.test(name) && !/\.signed\.pdf$/i.test(name))
      .sort()
      .map((name) => join(path, name));
    if (inside.length === 0) throw new UsageError(t("cli.noPdf", { paths: path }));
    files.push(...inside);
  }
  return [...new Set(files)];
}

function presetOf(values: Values): Record<string, unknown> {
  if (!values.preset) throw new UsageError("--preset");
  const seal = values["seal-diameter"] === undefined ? undefined : Number(values["seal-diameter"]);
  return {
    name: values.preset,
    ...(values["document-number"] !== undefined ? { documentNumber: values["document-number"] } : {}),
    ...(values["copy-kind"] !== undefined ? { copyKind: values["copy-kind"] } : {}),
    ...(values.organisation !== undefined ? { organisation: values.organisation } : {}),
    ...(values.image !== undefined ? { image: readFileSync(resolve(values.image)).toString("base64") } : {}),
    ...(seal !== undefined ? { sealDiameterMm: seal } : {}),
  };
}

/** The PIN: the first line of stdin, without its line ending. */
async function readPin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const pin = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  if (pin === "") throw new UsageError(t("cli.pinStdinEmpty"));
  return pin;
}

async function certs(client: ChannelClient, json: boolean): Promise<ExitCode> {
  const listed = (await client.call("certs", {})) as CliResults["certs"];
  print(json, { certificates: listed }, () => {
    if (listed.length === 0) process.stderr.write(`${t("cli.certs.none")}\n`);
    for (const c of listed) {
      const notes = [c.valid ? t("cli.certs.valid") : `${t("cli.certs.invalid")} (${c.problems.join(", ")})`, ...(c.unattended ? [t("cli.certs.unattended")] : [])];
      process.stdout.write(`${c.fingerprintSha256}  ${c.subject}\n    ${c.id}\n    ${c.issuer}, ${c.notBefore.slice(0, 10)} – ${c.notAfter.slice(0, 10)}; ${notes.join("; ")}\n`);
    }
  });
  return EXIT.ok;
}

/** What to do where `<name>.signed.pdf` exists: at most one of the three flags; none refuses the call. */
function existingOf(values: Values): CliSignParams["existing"] {
  const chosen = (
    [
      ["--overwrite", "overwrite"],
      ["--keep-both", "keepBoth"],
      ["--skip-existing", "skip"],
    ] as const
  ).filter(([flag]) => values[flag.slice(2) as "overwrite" | "keep-both" | "skip-existing"] === true);
  if (chosen.length > 1) throw new UsageError(t("cli.existingFlagsExclusive", { flags: chosen.map(([flag]) => flag).join(", ") }));
  return chosen[0]?.[1];
}

/** The signed copies that made the app refuse the call (`file_exists`), as its details list them. */
function existingOutputs(details: Readonly<Record<string, unknown>> | undefined): string[] {
  const outputs = details?.outputs ?? (details?.output === undefined ? [] : [details.output]);
  return Array.isArray(outputs) ? outputs.filter((o): o is string => typeof o === "string") : [];
}

async function sign(client: ChannelClient, values: Values, positionals: readonly string[]): Promise<ExitCode> {
  const json = values.json === true;
  if (!values.cert) throw new UsageError("--cert");
  if (positionals.length === 0) throw new UsageError("<files>");
  const existing = existingOf(values);
  const preset = presetOf(values);
  const files = expandFiles(positionals);
  const pin = values["pin-stdin"] ? await readPin() : undefined;
  const unattended = values.unattended === true || pin !== undefined;
  const results: LocalFileResult[] = [];
  let refusal: { code: string; message: string; existing?: string[] } | undefined;
  let exit: ExitCode = EXIT.ok;
  // More than one call's worth: one approval per call of up to CLI_MAX_FILES_PER_CALL files, in order.
  for (let start = 0; start < files.length && !refusal; start += CLI_MAX_FILES_PER_CALL) {
    const paths = files.slice(start, start + CLI_MAX_FILES_PER_CALL);
    if (!json) process.stderr.write(`${t(unattended ? "cli.signingUnattended" : "cli.waitingApproval", { count: paths.length })}\n`);
    try {
      const answer = (await client.call("sign", {
        paths,
        preset,
        certificate: values.cert,
        ...(values.level ? { level: values.level } : {}),
        ...(existing ? { existing } : {}),
        ...(unattended ? { unattended: true } : {}),
        ...(pin !== undefined ? { pin } : {}),
      })) as CliResults["sign"];
      results.push(...answer.files);
    } catch (error) {
      if (!(error instanceof AppRefused)) throw error;
      refusal = { code: error.payload.code, message: error.payload.message };
      // Nothing was signed: the existing copies are listed with the flags that would go on (docs/cli.md).
      if (error.payload.code === "file_exists") refusal.existing = existingOutputs(error.payload.details);
      exit = exitCodeFor(error.payload.code);
    }
  }
  // Skipped at the user's request (--skip-existing): reported, not a failure.
  const skipped = results.filter((r) => !r.ok && r.skipped === true).map((r) => r.path);
  const signed = results.filter((r) => r.ok).length;
  const failed = results.length - signed - skipped.length;
  if (exit === EXIT.ok && failed > 0) exit = EXIT.someFailed;
  print(json, { exitCode: exit, unattended, files: results, skipped, ...(refusal ? { error: refusal } : {}) }, () => {
    for (const r of results) {
      if (r.ok) process.stdout.write(`${t("cli.signed", { output: r.output })}\n`);
      else if (r.skipped) process.stderr.write(`${t("cli.skipped", { path: r.path })}\n`);
      else process.stderr.write(`${t("cli.fileFailed", { path: r.path, message: r.error.message })}\n`);
    }
    if (refusal?.existing) process.stderr.write(`${t("cli.existingRefused", { count: refusal.existing.length, files: refusal.existing.join("\n  ") })}\n`);
    else if (refusal) process.stderr.write(`${t("cli.error", { message: refusal.message })}\n`);
    process.stdout.write(`${t("cli.summary", { ok: signed, skipped: skipped.length, failed: files.length - signed - skipped.length })}\n`);
  });
  return exit;
}

async function verify(client: ChannelClient, json: boolean, positionals: readonly string[]): Promise<ExitCode> {
  if (positionals.length !== 1) throw new UsageError("<file>");
  const answer = (await client.call("verify", { path: resolve(positionals[0]!) })) as CliResults["verify"];
  const indication = answer.report.result.indication;
  const exit = indication === "TOTAL-PASSED" ? EXIT.ok : indication === "INDETERMINATE" && answer.report.signatures.length > 0 ? EXIT.indeterminate : EXIT.someFailed;
  print(json, { exitCode: exit, path: answer.path, indication, signatures: answer.report.signatures.length, report: answer.report }, () => {
    const words = t(`verify.indication.${indication}` as MessageKey);
    process.stdout.write(`${answer.path}: ${words} (${t("cli.verify.signatures", { count: answer.report.signatures.length })})\n`);
  });
  return exit;
}

async function run(argv: readonly string[]): Promise<ExitCode> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === "help") {
    process.stdout.write(`${t("cli.usage")}\n`);
    return command === undefined && !parsed.values.help ? EXIT.usage : EXIT.ok;
  }
  if (!["certs", "sign", "verify"].includes(command)) throw new UsageError(command);
  const client = await connectToApp(dataDir);
  try {
    if (command === "certs") return await certs(client, parsed.values.json === true);
    if (command === "sign") return await sign(client, parsed.values, rest);
    return await verify(client, parsed.values.json === true, rest);
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  let code: ExitCode;
  try {
    code = await run(process.argv.slice(2));
  } catch (error) {
    const [exit, text, errorCode]: [ExitCode, string, string] =
      error instanceof UsageError
        ? [EXIT.usage, t("cli.usageError", { problem: error.message }), "usage"]
        : error instanceof AppNotRunning
          ? [EXIT.notRunning, t("cli.notRunning"), "app_not_running"]
          : error instanceof AppRefused
            ? [exitCodeFor(error.payload.code), t("cli.error", { message: error.payload.message }), error.payload.code]
            : [EXIT.other, t("cli.error", { message: String((error as Error)?.message ?? error) }), "internal"];
    if (json) process.stdout.write(`${JSON.stringify({ exitCode: exit, error: { code: errorCode, message: text } }, null, 2)}\n`);
    process.stderr.write(`${text}\n`);
    code = exit;
  }
  process.exitCode = code;
}

await main();
