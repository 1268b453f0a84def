/**
 * Issue 11, "one message catalogue": main/core returns keys and raw values, never sentences. This scans the string
 * literals (and template literal text) of every main/core/**\/*.ts file, comments excluded, for
 *  - a Vietnamese letter: Vietnamese UI text belongs in main/domain/messages (or the error catalogue);
 *  - an English sentence (a capitalised literal of three words or more): the same for English UI text.
 * KysoError details and log texts are lower-case fragments by convention ("page 3 does not exist") and are not
 * shown to users as sentences (the UI shows the catalogue's message for the code).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const CORE = join(ROOT, "main/core");

/** Vietnamese letters with diacritics (lower and upper case), and đ/Đ. */
const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
/** A capitalised word followed by at least two more words: how a UI sentence starts ("The file does not exist"). */
const ENGLISH_SENTENCE = /^[A-Z][a-z']+(\s+\S+){2,}/;

/**
 * What may stay, file → exact literals, each with its reason. Keep it short: a new entry needs a reason that the
 * text is data or protocol, not words a user reads in the UI.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // The published subject DN of the government root: certificate data, compared with what certificates carry.
  "main/core/certificates/trust/national-roots.ts": ["CN=RootCA chuyên dùng Chính phủ G2, O=Ban Cơ yếu Chính phủ, C=VN"],
  // The dry run's stand-in signer name: sized like a real Vietnamese name so the stamp's font subset and layout are
  // exercised before the approval; never shown, never written into a signed file.
  "main/core/signing/pdf/describe-pdf.ts": ["Nguyễn Thị Thu Hường (kiểm tra trước)"],
  // The first line of the .reg file format itself (regedit refuses a file without it): file data, not words.
  "main/core/policy/browser-policies.ts": ["Windows Registry Editor Version 5.00"],
  // An exception for the administrator's log when the policy file does not validate (the UI shows policy_invalid).
  "main/core/policy/load-policy.ts": ["Invalid policy file "],
};

function* typescriptFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* typescriptFiles(path);
    else if (name.endsWith(".ts")) yield path;
  }
}

/** Every string literal's text, comments and identifiers excluded. */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `file: "literal"` for each literal that reads as UI text and is not allowed. */
function uiTextIn(dir: string): string[] {
  const problems: string[] = [];
  for (const file of typescriptFiles(dir)) {
    const name = relative(ROOT, file).split("\\").join("/");
    const allowed = new Set(ALLOWED[name] ?? []);
    for (const text of literals(file)) {
      if (allowed.has(text)) continue;
      if (VIETNAMESE.test(text) || ENGLISH_SENTENCE.test(text)) problems.push(`${name}: ${JSON.stringify(text)}`);
    }
  }
  return problems;
}

describe("main/core holds no user-facing sentence (issue 11)", () => {
  it("no Vietnamese letter and no English sentence in a string literal outside the allowlist", () => {
    expect(uiTextIn(CORE)).toEqual([]);
  });

  it("every allowlisted literal still exists (a stale entry would hide nothing but mislead)", () => {
    for (const [file, texts] of Object.entries(ALLOWED)) {
      const present = new Set(literals(join(ROOT, file)));
      for (const text of texts) expect([file, text, present.has(text)]).toEqual([file, text, true]);
    }
  });

  it("the scan sees what it must refuse: a Vietnamese label and an English sentence in code, not in comments", () => {
    const probe = (code: string): boolean => {
      const source = ts.createSourceFile("probe.ts", code, ts.ScriptTarget.Latest, true);
      let hit = false;
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node)) hit ||= VIETNAMESE.test(node.text) || ENGLISH_SENTENCE.test(node.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      return hit;
    };
    expect(probe('const label = "Mã số thuế";')).toBe(true);
    expect(probe("const reason = `The file does not exist: ${path}`;")).toBe(true);
    expect(probe('// Mã số thuế: a comment\nconst key = "taxCode";')).toBe(false);
    expect(probe('throw new KysoError("invalid_params", `page ${n} does not exist`);')).toBe(false);
  });
});
