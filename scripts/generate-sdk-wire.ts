/**
 * Writes the SDK's copy of the wire module: `sdk/src/protocol.ts` and `sdk/src/verify-report.ts`
 * (main/domain/wire/protocol.ts and verify-report.ts, verbatim under a "generated" header) and
 * `sdk/src/wire-errors.ts` (the catalogue's wire table as a literal).
 *
 * Why a generated copy and not an import: `@kyso/sdk` is published on its own (`npm pack` in sdk/ compiles
 * sdk/src with plain tsc, no bundler), the sandbox serves sdk/src file by file, and a portal may vendor the folder;
 * an import of main/domain would pull KySo's catalogue machinery into every one of those. The copy keeps the
 * package self-contained, and `test/unit/sdk/sdk-wire-generated.test.ts` fails when it is stale, so the domain
 * catalogue stays the one place an error is added.
 *
 *   npx tsx scripts/generate-sdk-wire.ts           # rewrite the two files
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WIRE_ERRORS } from "../main/domain/wire/wire-errors.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const COMMAND = "npx tsx scripts/generate-sdk-wire.ts";

function header(source: string): string {
  return `// GENERATED from ${source}: do not edit here. Edit the source, then run\n// \`${COMMAND}\`; a test fails when this copy is stale.\n`;
}

function renderWireErrors(): string {
  const entries = Object.entries(WIRE_ERRORS);
  const rows = entries.map(
    ([name, row]) =>
      `  ${name}: {\n    code: ${row.code},\n    retriable: ${row.retriable},\n    protocol: ${row.protocol},\n` +
      `    vi: ${JSON.stringify(row.vi)},\n    en: ${JSON.stringify(row.en)},\n  },`,
  );
  const union = (protocol: boolean): string =>
    entries
      .filter(([, row]) => row.protocol === protocol)
      .map(([name]) => `\n  | ${JSON.stringify(name)}`)
      .join("");
  return `${header("main/domain/errors/catalogue.ts (main/domain/wire/wire-errors.ts)")}
/**
 * Every error name a page can receive from KySo, with its JSON-RPC number, whether trying again can help, and
 * the user-facing text in Vietnamese and English.
 */

/** Application error names (stable API: switch on these, never on messages). */
export type ApplicationErrorName =${union(false)};

export type ProtocolErrorName =${union(true)};
export type ErrorName = ApplicationErrorName | ProtocolErrorName;

export interface WireError {
  readonly code: number;
  readonly retriable: boolean;
  /** A JSON-RPC protocol error: the page sent something the bridge cannot take (a bug in the portal). */
  readonly protocol: boolean;
  readonly vi: string;
  readonly en: string;
}

export const WIRE_ERRORS: Readonly<Record<ErrorName, WireError>> = {
${rows.join("\n")}
};

/** JSON-RPC error numbers: the reserved ones for protocol errors, 1xxx for application errors. */
export const ERROR_CODES = Object.fromEntries(Object.entries(WIRE_ERRORS).map(([name, row]) => [name, row.code])) as Readonly<
  Record<ErrorName, number>
>;

export function isErrorName(value: unknown): value is ErrorName {
  return typeof value === "string" && Object.hasOwn(WIRE_ERRORS, value);
}
`;
}

/** Path (from the repository root) → the content it must have. */
export function sdkWireFiles(): Map<string, string> {
  const verbatim = (name: string): string => header(`main/domain/wire/${name}`) + readFileSync(join(ROOT, "main/domain/wire", name), "utf8");
  return new Map([
    ["sdk/src/protocol.ts", verbatim("protocol.ts")],
    ["sdk/src/verify-report.ts", verbatim("verify-report.ts")],
    ["sdk/src/wire-errors.ts", renderWireErrors()],
  ]);
}

export const REGENERATE_COMMAND = COMMAND;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [path, content] of sdkWireFiles()) {
    writeFileSync(join(ROOT, path), content);
    console.log(`wrote ${path}`);
  }
}
