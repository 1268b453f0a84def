/**
 * English words of the `kyso` command (main/cli/, docs/cli.md): kept apart from en.ts only to keep each file short;
 * merged into the one catalogue by en.ts.
 */
export const cliEn = {
  "cli.usage":
    "Usage:\n  kyso certs [--json]\n  kyso sign --preset <leader|seal|appendix|copy> --cert <id|fingerprint> [--document-number <no>] [--copy-kind <sao-y|sao-luc|trich-sao>] [--organisation <name>] [--image <file>] [--seal-diameter <mm>] [--level <B-B|B-T|B-LT|B-LTA>] [--overwrite | --keep-both | --skip-existing] [--pin-stdin] [--json] <files or folders…>\n  kyso verify <file> [--json]\n\nKySo must be running. Exit codes: 0 done, 1 some files failed, 2 usage, 3 KySo not running, 4 declined in KySo, 5 refused by policy, 6 certificate not found, 7 other error, 8 signatures not yet determinable (verify) (docs/cli.md).",
  "cli.usageError": "{problem}. Run kyso --help for the usage.",
  "cli.notRunning": "KySo is not running (or not for this user). Start KySo and run the command again.",
  "cli.waitingApproval": "Approve the signing of {count, plural, one {# file} other {# files}} in the KySo window…",
  "cli.signingUnattended": "Signing {count, plural, one {# file} other {# files}} without approval (allowed by the machine policy)…",
  "cli.signed": "Signed: {output}",
  "cli.fileFailed": "Not signed: {path}: {message}",
  "cli.summary": "{ok} signed, {skipped} skipped, {failed} not signed.",
  "cli.skipped": "Skipped (its signed copy exists): {path}",
  "cli.existingRefused":
    "Nothing was signed: {count, plural, one {# signed copy exists} other {# signed copies exist}} already:\n  {files}\nRun again with --overwrite (replace), --keep-both (write <name>.signed (2).pdf) or --skip-existing (leave those files out).",
  "cli.existingFlagsExclusive": "Use only one of --overwrite, --keep-both, --skip-existing (given: {flags})",
  "cli.certs.none": "No certificate found. Plug in your USB token and try again.",
  "cli.certs.valid": "valid",
  "cli.certs.invalid": "not usable",
  "cli.certs.unattended": "may sign without approval (machine policy)",
  "cli.verify.signatures": "{count, plural, one {# signature} other {# signatures}}",
  "cli.noPdf": "No PDF file among: {paths}",
  "cli.pinStdinEmpty": "--pin-stdin was given but standard input holds no PIN.",
  "cli.error": "Error: {message}",
} as const;
