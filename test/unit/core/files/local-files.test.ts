/**
 * Local file signing around the approval: real files in a temporary folder; the signer is a fake at its port
 * (the approval and the token are tested in test/integration/files), returning the input with a marker appended.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomically, type AtomicWriteOps } from "../../../../main/core/files/atomic-write.js";
import { numberedSignedPathFor, signLocalFiles, signedPathFor, type LocalSigner } from "../../../../main/core/files/local-files.js";
import { isKysoError } from "../../../../main/domain/errors/index.js";
import { link, rename } from "node:fs/promises";

const PDF = Buffer.from("%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "latin1");
const MARK = Buffer.from("\n% signed\n", "latin1");
const preset = { name: "appendix" as const, documentNumber: "15/QĐ-UBND" };

let dir: string;
let calls: number;
const signer: LocalSigner = {
  async sign(documents) {
    calls++;
    return documents.map((d) => ({ ok: true as const, document: Buffer.concat([d.bytes, MARK]) }));
  },
};
const deps = (writeOps?: AtomicWriteOps) => ({ signer, language: () => "en" as const, ...(writeOps ? { writeOps } : {}) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-files-"));
  calls = 0;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("signedPathFor", () => {
  it("<name>.pdf (any case) -> <name>.signed.pdf in the same folder; other names get the suffix appended", () => {
    expect(signedPathFor("/a/Quyết định 15.pdf")).toBe("/a/Quyết định 15.signed.pdf");
    expect(signedPathFor("/a/SCAN.PDF")).toBe("/a/SCAN.signed.pdf");
    expect(signedPathFor("/a/noext")).toBe("/a/noext.signed.pdf");
  });
});

describe("signLocalFiles", () => {
  it("writes <name>.signed.pdf next to the original and leaves no temporary file", async () => {
    const path = join(dir, "to-trinh.pdf");
    await writeFile(path, PDF);
    const [result] = await signLocalFiles({ paths: [path], preset }, deps());
    expect(result).toEqual({ path, ok: true, output: join(dir, "to-trinh.signed.pdf") });
    expect(await readFile(join(dir, "to-trinh.signed.pdf"))).toEqual(Buffer.concat([PDF, MARK]));
    expect(await readFile(path)).toEqual(PDF);
    expect((await readdir(dir)).sort()).toEqual(["to-trinh.pdf", "to-trinh.signed.pdf"]);
  });

  it("an existing signed file: file_exists before any approval; overwrite: true replaces it", async () => {
    const path = join(dir, "a.pdf");
    await writeFile(path, PDF);
    await writeFile(join(dir, "a.signed.pdf"), "old");
    await expect(signLocalFiles({ paths: [path], preset }, deps())).rejects.toSatisfy((e) => isKysoError(e, "file_exists") && e.details?.output === join(dir, "a.signed.pdf"));
    expect(calls).toBe(0);
    expect(await readFile(join(dir, "a.signed.pdf"), "utf8")).toBe("old");
    await signLocalFiles({ paths: [path], preset, overwrite: true }, deps());
    expect(await readFile(join(dir, "a.signed.pdf"))).toEqual(Buffer.concat([PDF, MARK]));
  });

  it("typed refusals before the approval: missing -> file_unreadable, a folder -> file_unreadable, not a PDF -> file_not_pdf, relative -> invalid_params", async () => {
    await writeFile(join(dir, "note.pdf"), "hello, not a pdf");
    await mkdir(join(dir, "folder.pdf"));
    await expect(signLocalFiles({ paths: [join(dir, "missing.pdf")], preset }, deps())).rejects.toSatisfy((e) => isKysoError(e, "file_unreadable"));
    await expect(signLocalFiles({ paths: [join(dir, "folder.pdf")], preset }, deps())).rejects.toSatisfy((e) => isKysoError(e, "file_unreadable"));
    await expect(signLocalFiles({ paths: [join(dir, "note.pdf")], preset }, deps())).rejects.toSatisfy((e) => isKysoError(e, "file_not_pdf"));
    await expect(signLocalFiles({ paths: ["relative.pdf"], preset }, deps())).rejects.toSatisfy((e) => isKysoError(e, "invalid_params"));
    expect(calls).toBe(0);
  });

  it("atomic: a failure at the final step leaves neither the signed file nor a temporary file", async () => {
    const path = join(dir, "b.pdf");
    await writeFile(path, PDF);
    const failing: AtomicWriteOps = {
      link: async () => Promise.reject(Object.assign(new Error("disk gone"), { code: "EIO" })),
      rename: async () => Promise.reject(Object.assign(new Error("disk gone"), { code: "EIO" })),
    };
    const [result] = await signLocalFiles({ paths: [path], preset }, deps(failing));
    expect(result).toMatchObject({ path, ok: false, error: { code: "file_not_writable" } });
    expect(await readdir(dir)).toEqual(["b.pdf"]);
    // The same with overwrite (rename path) over an existing file: the old file is untouched.
    await writeFile(join(dir, "b.signed.pdf"), "old");
    const [again] = await signLocalFiles({ paths: [path], preset, overwrite: true }, deps(failing));
    expect(again?.ok).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(["b.pdf", "b.signed.pdf"]);
    expect(await readFile(join(dir, "b.signed.pdf"), "utf8")).toBe("old");
  });

  it("a signer that fails (the user rejects) writes nothing", async () => {
    const path = join(dir, "c.pdf");
    await writeFile(path, PDF);
    const rejecting: LocalSigner = { sign: async () => Promise.reject(new Error("user_rejected")) };
    await expect(signLocalFiles({ paths: [path], preset }, { signer: rejecting, language: () => "en" })).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["c.pdf"]);
  });
});

describe("signLocalFiles: existing signed copies and per-file refusals", () => {
  it("ask (default): file_exists before any approval, listing every existing signed copy", async () => {
    for (const n of ["a", "b", "c"]) await writeFile(join(dir, `${n}.pdf`), PDF);
    await writeFile(join(dir, "a.signed.pdf"), "old");
    await writeFile(join(dir, "c.signed.pdf"), "old");
    const paths = ["a", "b", "c"].map((n) => join(dir, `${n}.pdf`));
    await expect(signLocalFiles({ paths, preset }, deps())).rejects.toSatisfy(
      (e) => isKysoError(e, "file_exists") && JSON.stringify(e.details?.outputs) === JSON.stringify([join(dir, "a.signed.pdf"), join(dir, "c.signed.pdf")]),
    );
    expect(calls).toBe(0);
  });

  it("keepBoth: <name>.signed (2).pdf, then (3); the existing copies are untouched and a fresh name stays plain", async () => {
    await writeFile(join(dir, "a.pdf"), PDF);
    await writeFile(join(dir, "b.pdf"), PDF);
    await writeFile(join(dir, "a.signed.pdf"), "old");
    const paths = [join(dir, "a.pdf"), join(dir, "b.pdf")];
    const first = await signLocalFiles({ paths, preset, existing: "keepBoth" }, deps());
    expect(first).toEqual([
      { path: paths[0], ok: true, output: join(dir, "a.signed (2).pdf") },
      { path: paths[1], ok: true, output: join(dir, "b.signed.pdf") },
    ]);
    const second = await signLocalFiles({ paths: [paths[0]!], preset, existing: "keepBoth" }, deps());
    expect(second).toEqual([{ path: paths[0], ok: true, output: join(dir, "a.signed (3).pdf") }]);
    expect(await readFile(join(dir, "a.signed.pdf"), "utf8")).toBe("old");
    expect(await readFile(join(dir, "a.signed (2).pdf"))).toEqual(Buffer.concat([PDF, MARK]));
    expect(numberedSignedPathFor("/x/SCAN.PDF", 2)).toBe("/x/SCAN.signed (2).pdf");
  });

  it("keepBoth: a name taken between the check and the write moves on to the next number (never replaced)", async () => {
    await writeFile(join(dir, "r.pdf"), PDF);
    const racing: AtomicWriteOps = {
      link: async (from, to) => {
        if (to.endsWith("r.signed.pdf")) await writeFile(to, "someone else's");
        return link(from, to);
      },
      rename,
    };
    const [result] = await signLocalFiles({ paths: [join(dir, "r.pdf")], preset, existing: "keepBoth" }, deps(racing));
    expect(result).toEqual({ path: join(dir, "r.pdf"), ok: true, output: join(dir, "r.signed (2).pdf") });
    expect(await readFile(join(dir, "r.signed.pdf"), "utf8")).toBe("someone else's");
  });

  it("skip: files with a signed copy are left out and reported skipped; all skipped -> no approval, nothing written", async () => {
    await writeFile(join(dir, "a.pdf"), PDF);
    await writeFile(join(dir, "b.pdf"), PDF);
    await writeFile(join(dir, "a.signed.pdf"), "old");
    const paths = [join(dir, "a.pdf"), join(dir, "b.pdf")];
    const results = await signLocalFiles({ paths, preset, existing: "skip" }, deps());
    expect(results[0]).toMatchObject({ path: paths[0], ok: false, skipped: true, error: { code: "file_exists" } });
    expect(results[1]).toEqual({ path: paths[1], ok: true, output: join(dir, "b.signed.pdf") });
    expect(calls).toBe(1);
    const before = (await readdir(dir)).sort();
    const again = await signLocalFiles({ paths, preset, existing: "skip" }, deps());
    expect(again.map((r) => !r.ok && r.skipped)).toEqual([true, true]);
    expect(calls).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(before);
    expect(await readFile(join(dir, "a.signed.pdf"), "utf8")).toBe("old");
  });

  it("a non-PDF or missing file among several is reported for that file; the others are signed in one approval", async () => {
    await writeFile(join(dir, "good.pdf"), PDF);
    await writeFile(join(dir, "note.txt"), "hello");
    const paths = [join(dir, "good.pdf"), join(dir, "note.txt"), join(dir, "gone.pdf")];
    const results = await signLocalFiles({ paths, preset }, deps());
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "file_not_pdf", "file_unreadable"]);
    expect(calls).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(["good.pdf", "good.signed.pdf", "note.txt"]);
    // None signable: per-file results, no approval.
    const none = await signLocalFiles({ paths: paths.slice(1), preset }, deps());
    expect(none.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["file_not_pdf", "file_unreadable"]);
    expect(calls).toBe(1);
  });
});

describe("writeFileAtomically", () => {
  it("without hard links (FAT, exFAT): falls back to check-then-rename and still refuses an existing name", async () => {
    const noLinks: AtomicWriteOps = { link: async () => Promise.reject(Object.assign(new Error("no links"), { code: "EPERM" })), rename };
    await writeFileAtomically(join(dir, "x.pdf"), PDF, { overwrite: false, ops: noLinks });
    expect(await readFile(join(dir, "x.pdf"))).toEqual(PDF);
    await expect(writeFileAtomically(join(dir, "x.pdf"), MARK, { overwrite: false, ops: noLinks })).rejects.toSatisfy((e) => isKysoError(e, "file_exists"));
    expect(await readdir(dir)).toEqual(["x.pdf"]);
  });

  it("a name created between the check and the write is not replaced (the hard link refuses it)", async () => {
    const racing: AtomicWriteOps = {
      link: async (from, to) => {
        await writeFile(to, "someone else's");
        return link(from, to);
      },
      rename,
    };
    await expect(writeFileAtomically(join(dir, "y.pdf"), PDF, { overwrite: false, ops: racing })).rejects.toSatisfy((e) => isKysoError(e, "file_exists"));
    expect(await readFile(join(dir, "y.pdf"), "utf8")).toBe("someone else's");
    expect(await readdir(dir)).toEqual(["y.pdf"]);
  });
});
