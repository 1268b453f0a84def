/**
 * Seeded mutation fuzzer for the four XML formats (issue 9). Seeds are the fixture documents; each case applies
 * one to three hostile edits (xml-mutations), picks a format, and runs the bridge's own port: describe(), then,
 * when describe() accepted it, sign() with a real SoftHSM key (personB: RSA-2048, MST 8001234567, so the e-invoice
 * seed's seller matches). Findings:
 *  - hang: describe() or sign() slower than hangMs;
 *  - untyped-error: anything thrown that is not a KysoError;
 *  - failed-after-approval: describe() accepted, sign() failed (other than the certificate's tax code, which only
 *    the integrator's dry run with the chosen certificate can check before the approval);
 *  - summary-outside-signed-node: the approval named another node, or showed a value not inside the node the
 *    output's signature references (xml-oracle, independent of KySo's resolution);
 *  - verifier-rejected: every verifyEvery-th signed output through xmlsec1.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SigningFormat } from "../../main/core/app-info.js";
import { isKysoError, KysoError } from "../../main/domain/errors/index.js";
import type { SigningPortItem } from "../../main/core/signing/signing-port.js";
import { fuzzPort } from "./fuzz-port.js";
import { FIXTURE_DIR_ENV, fixtureDir } from "../fixtures/index.js";
import { openFixtureSigners, type FixtureSigner } from "../helpers/fixture-signer.js";
import type { Finding, FuzzOptions, FuzzReport } from "./fuzz-report.js";
import { createPrng, type Prng } from "./prng.js";
import { BYTE_MUTATIONS, MUTATIONS } from "./xml-mutations.js";
import { coveredNode, summaryOutsideSignedNode, verifyWithXmlsec } from "./xml-oracle.js";

const DOCS = join(import.meta.dirname, "../fixtures/documents");
const FORMATS = ["xades", "xmldsig", "vn-tax", "vn-einvoice"] as const;
type XmlFormat = (typeof FORMATS)[number];
const SIGNER = "personB";
const SIGNER_MST = "8001234567";
const SIGNING_TIME = new Date("2025-04-20T03:04:05Z");

interface Seed {
  readonly name: string;
  readonly xml: string;
  readonly format: XmlFormat;
}

function loadSeeds(): Seed[] {
  return readdirSync(DOCS)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .map((name) => {
      const xml = readFileSync(join(DOCS, name), "utf8");
      const format: XmlFormat = xml.includes("<HDon") ? "vn-einvoice" : xml.includes("HSoThueDTu") ? "vn-tax" : "xmldsig";
      // The e-invoice seller and the tax declaration's taxpayer must be the signing certificate's company.
      return { name, xml: format === "vn-einvoice" || format === "vn-tax" ? xml.replaceAll("0101234567", SIGNER_MST) : xml, format };
    });
}

export interface XmlCase {
  readonly seed: string;
  readonly format: XmlFormat;
  readonly mutations: readonly string[];
  readonly document: Uint8Array;
}

/** Case `index` of `seed`: the same on every machine (one PRNG per case, so a case replays alone). */
export function xmlCase(seed: number, index: number, seeds: readonly Seed[] = loadSeeds()): XmlCase {
  const prng: Prng = createPrng((seed * 1_000_003 + index) >>> 0);
  const base = prng.pick(seeds);
  const format = prng.chance(0.6) ? base.format : prng.pick(FORMATS);
  let xml = base.xml;
  const names: string[] = [];
  for (let k = prng.range(1, 3); k > 0; k--) {
    const mutation = prng.pick(MUTATIONS);
    names.push(mutation.name);
    xml = mutation.apply(xml, prng);
  }
  let bytes: Uint8Array = new TextEncoder().encode(xml);
  if (prng.chance(0.12)) {
    const kind = prng.pick(["truncate", "flip", "loneSurrogate"] as const);
    names.push(kind);
    bytes = BYTE_MUTATIONS[kind](bytes, prng);
  }
  return { seed: base.name, format, mutations: names, document: bytes };
}

async function ensureFixtures(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[FIXTURE_DIR_ENV] || existsSync(join(fixtureDir(), "manifest.json"))) return undefined;
  const { makeFixtures } = await import("../fixtures/make-fixtures.js");
  const dir = await mkdtemp(join(tmpdir(), "kyso-fuzz-fixtures-"));
  process.env[FIXTURE_DIR_ENV] = dir;
  await makeFixtures(dir);
  return () => rm(dir, { recursive: true, force: true });
}

function describeError(error: unknown): string {
  return isKysoError(error) ? `${error.code}: ${error.message}` : `${(error as Error)?.name}: ${String((error as Error)?.message ?? error)}`.slice(0, 300);
}

export async function fuzzXml(options: FuzzOptions): Promise<FuzzReport> {
  const hangMs = options.hangMs ?? 3000;
  const verifyEvery = options.verifyEvery ?? 50;
  const from = options.from ?? 0;
  const cleanupFixtures = await ensureFixtures();
  const signers = await openFixtureSigners();
  const dir = await mkdtemp(join(tmpdir(), "kyso-xml-fuzz-"));
  const port = fuzzPort(options.workers);
  await port.ready();
  let loopMaxMs: number | undefined;
  let coreCpuMaxMs: number | undefined;
  const seeds = loadSeeds();
  const findings: Finding[] = [];
  let refused = 0;
  let signed = 0;
  let verified = 0;
  let certificateRefusals = 0;
  let slowestMs = 0;
  try {
    const signer: FixtureSigner = await signers.signer(SIGNER);
    for (let index = from; index < from + options.cases; index++) {
      const c = xmlCase(options.seed, index, seeds);
      const label = `${c.seed} as ${c.format} [${c.mutations.join(", ")}]`;
      const finding = (kind: Finding["kind"], detail: string): void => {
        findings.push({ kind, seed: options.seed, caseIndex: index, detail: `${label}: ${detail}` });
        options.log?.(`finding ${kind} case ${index}: ${label}: ${detail}`);
      };
      const item: SigningPortItem = { format: c.format as SigningFormat, document: c.document, hashAlgorithm: "SHA-256", options: {} };
      const timed = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
          return await run();
        } finally {
          const ms = performance.now() - started;
          slowestMs = Math.max(slowestMs, ms);
          if (ms > hangMs) finding("hang", `${what} took ${ms.toFixed(0)} ms`);
        }
      };
      let description;
      try {
        description = await timed("describe", () => port.describe(item));
      } catch (error) {
        if (error instanceof KysoError) refused++;
        else finding("untyped-error", `describe: ${describeError(error)}`);
        continue;
      }
      let output: Uint8Array | undefined;
      try {
        output = (await timed("sign", () => port.sign(item, signer, { signingTime: SIGNING_TIME }))).document;
      } catch (error) {
        if (isKysoError(error, "tax_code_mismatch")) certificateRefusals++;
        else finding(error instanceof KysoError ? "failed-after-approval" : "untyped-error", `sign after describe accepted: ${describeError(error)}`);
        continue;
      }
      if (!output) {
        finding("failed-after-approval", "sign returned no document");
        continue;
      }
      signed++;
      const covered = coveredNode(output, c.format);
      if (typeof covered === "string") {
        finding("summary-outside-signed-node", covered);
        continue;
      }
      const outside = summaryOutsideSignedNode(description, covered);
      if (outside) finding("summary-outside-signed-node", outside);
      if (verifyEvery > 0 && signed % verifyEvery === 0) {
        const rejected = await verifyWithXmlsec({ dir, rootPem: signer.rootPem, caFile: signer.caFile }, `case-${index}.xml`, output, covered);
        verified++;
        if (rejected) finding("verifier-rejected", rejected);
      }
    }
  } finally {
    loopMaxMs = port.loopMaxMs();
    coreCpuMaxMs = port.coreCpuMaxMs();
    await port.close();
    await rm(dir, { recursive: true, force: true });
    await signers.close();
    await cleanupFixtures?.();
  }
  options.log?.(`${certificateRefusals} cases refused at signing for the certificate's tax code (tax_code_mismatch)`);
  return { target: "xml", seed: options.seed, cases: options.cases, refused, signed, verified, slowestMs, findings, ...(loopMaxMs !== undefined ? { loopMaxMs } : {}), ...(coreCpuMaxMs !== undefined ? { coreCpuMaxMs } : {}) };
}
