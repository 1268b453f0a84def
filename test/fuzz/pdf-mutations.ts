/**
 * Structure-aware mutations of a PDF for the fuzzer. Each takes the bytes and the seeded PRNG and returns new
 * bytes; the fuzzer chains one to three of them. They aim at what a reader trusts: xref offsets and chains,
 * references, counts, stream lengths and widths, nesting.
 */
import type { Prng } from "./prng.js";

type Mutation = (pdf: Buffer, rng: Prng) => Buffer;

const latin1 = (b: Buffer): string => b.toString("latin1");
const bytes = (s: string): Buffer => Buffer.from(s, "latin1");

const HUGE_NUMBERS = ["0", "-1", "-999999999", "2147483647", "2147483648", "4294967296", "9007199254740993", "99999999999999999999", "1e9", "3.5", "8388608", "65535"];

/** Replaces the n-th (random) match of `pattern` with `replace(match)`. */
function replaceOne(pdf: Buffer, rng: Prng, pattern: RegExp, replace: (match: RegExpExecArray) => string): Buffer {
  const text = latin1(pdf);
  const matches = [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`))];
  if (matches.length === 0) return pdf;
  const m = rng.pick(matches) as RegExpExecArray;
  return bytes(text.slice(0, m.index) + replace(m) + text.slice(m.index + m[0].length));
}

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  truncate: (pdf, rng) => pdf.subarray(0, rng.int(pdf.length)),
  truncateTail: (pdf, rng) => pdf.subarray(0, Math.max(0, pdf.length - rng.range(1, 64))),
  flipBytes: (pdf, rng) => {
    const out = Buffer.from(pdf);
    for (let i = rng.range(1, 8); i > 0; i--) {
      const at = rng.int(out.length);
      out[at] = out[at]! ^ (1 << rng.int(8));
    }
    return out;
  },
  flipTail: (pdf, rng) => {
    // Most of what a reader trusts sits in the last kilobytes (xref, trailer, the newest objects).
    const out = Buffer.from(pdf);
    const from = Math.max(0, out.length - 2048);
    for (let i = rng.range(1, 4); i > 0; i--) out[from + rng.int(out.length - from)] = rng.next() & 0xff;
    return out;
  },
  hugeNumber: (pdf, rng) => replaceOne(pdf, rng, /(?<=[\s[/<>])\d{1,10}(?=[\s\]>/])/, () => rng.pick(HUGE_NUMBERS)),
  hugeKeyedNumber: (pdf, rng) => {
    const key = rng.pick(["Size", "Count", "Length", "N", "First", "Prev", "XRefStm", "Columns", "Predictor"]);
    return replaceOne(pdf, rng, new RegExp(`/${key}\\s+-?\\d+`), () => `/${key} ${rng.pick(HUGE_NUMBERS)}`);
  },
  selfReference: (pdf, rng) => {
    // "N 0 obj ... M 0 R" → the object refers to itself.
    const text = latin1(pdf);
    const objects = [...text.matchAll(/(\d+) 0 obj/g)];
    if (objects.length === 0) return pdf;
    const obj = rng.pick(objects);
    const start = obj.index;
    const end = text.indexOf("endobj", start);
    if (end < 0) return pdf;
    const body = text.slice(start, end).replace(/\d+ 0 R/, `${obj[1]} 0 R`);
    return bytes(text.slice(0, start) + body + text.slice(end));
  },
  kidsCycle: (pdf, rng) => {
    const text = latin1(pdf);
    const objects = [...text.matchAll(/(\d+) 0 obj/g)].map((m) => m[1]!);
    if (objects.length === 0) return pdf;
    return replaceOne(pdf, rng, /\/(Kids|Fields|Annots)\s*\[([^\]]*)\]/, (m) => `/${m[1]} [${m[2]} ${rng.pick(objects)} 0 R ${rng.pick(objects)} 0 R]`);
  },
  parentCycle: (pdf, rng) => replaceOne(pdf, rng, /\/Parent\s+\d+ 0 R/, () => `/Parent ${rng.range(1, 40)} 0 R`),
  prevCycle: (pdf, rng) => {
    const text = latin1(pdf);
    const start = /startxref\s+(\d+)/.exec(text.slice(-64))?.[1] ?? "0";
    const mutated = replaceOne(pdf, rng, /\/Prev\s+\d+/, () => `/Prev ${start}`);
    if (mutated !== pdf) return mutated;
    // No /Prev yet: give the last trailer one that points back at itself.
    return replaceOne(pdf, rng, /trailer\s*<</, () => `trailer\n<< /Prev ${start} `);
  },
  duplicateXref: (pdf) => {
    // Append a copy of the file's tail from the last xref/startxref: a second section with the same content.
    const text = latin1(pdf);
    const at = Math.max(text.lastIndexOf("xref\n0 "), text.lastIndexOf("\nxref"));
    if (at < 0) return pdf;
    const tail = text.slice(at).replace(/startxref\s+\d+/, `startxref\n${pdf.length + 1}`);
    return bytes(`${text}\n${tail.startsWith("\n") ? tail.slice(1) : tail}`);
  },
  appendPrevSection: (pdf, rng) => {
    const text = latin1(pdf);
    const prev = rng.chance(0.5) ? (/startxref\s+(\d+)/.exec(text.slice(-64))?.[1] ?? "0") : String(pdf.length);
    const at = pdf.length;
    return bytes(`${text}xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size ${rng.pick(["4", "99999999", "1"])} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`);
  },
  wTrick: (pdf, rng) => replaceOne(pdf, rng, /\/W\s*\[[^\]]*\]/, () => `/W ${rng.pick(["[0 0 0]", "[1 0 0]", "[9 9 9]", "[1 2]", "[1 8 1]", "[-1 4 1]", "[0 1 0]"])}`),
  indexTrick: (pdf, rng) => {
    const trick = rng.pick(["[0 4000000000]", "[0 -5]", "[5]", "[99999999 10]", "[0 1 0 1 0 1]"]);
    const replaced = replaceOne(pdf, rng, /\/Index\s*\[[^\]]*\]/, () => `/Index ${trick}`);
    return replaced !== pdf ? replaced : replaceOne(pdf, rng, /\/Type\s*\/XRef/, () => `/Type /XRef /Index ${trick}`);
  },
  garbleStartxref: (pdf, rng) => {
    const text = latin1(pdf);
    const choice = rng.int(4);
    if (choice === 0) return bytes(text.replace(/startxref(?![\s\S]*startxref)/, "startxraf"));
    if (choice === 1) return bytes(text.replace(/startxref\s+\d+(?![\s\S]*startxref)/, `startxref\n${rng.pick(HUGE_NUMBERS)}`));
    if (choice === 2) return bytes(text.replace(/startxref\s+(\d+)(?![\s\S]*startxref)/, (_m, n: string) => `startxref\n${Number(n) + rng.range(-20, 20)}`));
    return bytes(text.replace(/startxref[\s\S]*$/, ""));
  },
  deepNesting: (pdf, rng) => {
    const depth = rng.pick([100, 129, 1000, 20000]);
    const open = rng.chance(0.5) ? "[" : "<< /A ";
    const close = open === "[" ? "]" : " >>";
    return replaceOne(pdf, rng, /\/Type\s*\/Catalog/, () => `/Type /Catalog /Deep ${open.repeat(depth)}1${close.repeat(depth)}`);
  },
  unsupportedFilter: (pdf, rng) => replaceOne(pdf, rng, /\/FlateDecode/, () => rng.pick(["/LZWDecode", "/ASCIIHexDecode", "/DCTDecode", "/Crypt"])),
  spliceChunk: (pdf, rng) => {
    const from = rng.int(pdf.length);
    const length = rng.range(1, 256);
    const to = rng.int(pdf.length);
    return Buffer.concat([pdf.subarray(0, to), pdf.subarray(from, from + length), pdf.subarray(to)]);
  },
  encrypt: (pdf, rng) => replaceOne(pdf, rng, /trailer\s*<</, () => "trailer\n<< /Encrypt << /Filter /Standard >> "),
  signatureField: (pdf, rng) =>
    replaceOne(pdf, rng, /\/Type\s*\/Catalog/, () => {
      const forged = rng.chance(0.5) ? "/ByteRange [0 10 20 10] /Contents <308200>" : `/ByteRange [0 ${rng.pick(HUGE_NUMBERS)} 5 5] /Contents <${"00".repeat(rng.range(0, 40))}>`;
      return `/Type /Catalog /AcroForm << /Fields [<< /FT /Sig /T (Forged) /V << /Type /Sig /SubFilter /ETSI.CAdES.detached ${forged} /Name (Forged) >> >>] >>`;
    }),
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One to three mutations; returns the bytes and the names applied (for the finding's detail). */
export function mutate(pdf: Uint8Array, rng: Prng): { bytes: Buffer; applied: string[] } {
  let out: Buffer = Buffer.from(pdf);
  const applied: string[] = [];
  for (let i = rng.range(1, 3); i > 0; i--) {
    const name = rng.pick(MUTATION_NAMES);
    out = MUTATIONS[name]!(out, rng);
    applied.push(name);
  }
  return { bytes: out, applied };
}
