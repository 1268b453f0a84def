/**
 * Where "Sign files" gets its paths: the shell's dialogs (a fake at the port) and dropped paths, over real folders.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseLocalFiles, expandDroppedPaths, listPdfFolder, type FileDialogs } from "../../../../main/core/files/file-dialogs.js";
import { MAX_LOCAL_FILES } from "../../../../main/core/files/files-sign-params.js";
import { isKysoError } from "../../../../main/domain/errors/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-dialogs-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const dialogs = (files: readonly string[], folder?: string): FileDialogs => ({ chooseFiles: async () => files, chooseFolder: async () => folder });

describe("listPdfFolder", () => {
  it("the PDFs directly in the folder, by name (numbers in order), not subfolders, not KySo's signed copies", async () => {
    for (const name of ["QĐ 10.pdf", "QĐ 9.PDF", "a.signed.pdf", "a.signed (2).pdf", "note.txt", ".hidden.pdf"]) await writeFile(join(dir, name), "%PDF-");
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "deep.pdf"), "%PDF-");
    await mkdir(join(dir, "folder.pdf"));
    await symlink(join(dir, "QĐ 10.pdf"), join(dir, "link.pdf"));
    const listed = await listPdfFolder(dir);
    expect(listed.paths).toEqual([join(dir, "link.pdf"), join(dir, "QĐ 9.PDF"), join(dir, "QĐ 10.pdf")]);
    expect(listed).toMatchObject({ omitted: 0, ignored: 4, folder: dir });
  });

  it(`capped at ${MAX_LOCAL_FILES}: the rest counted as omitted`, async () => {
    for (let i = 1; i <= MAX_LOCAL_FILES + 7; i++) await writeFile(join(dir, `doc-${i}.pdf`), "%PDF-");
    const listed = await listPdfFolder(dir);
    expect(listed.paths).toHaveLength(MAX_LOCAL_FILES);
    expect(listed.paths[0]).toBe(join(dir, "doc-1.pdf"));
    expect(listed.paths.at(-1)).toBe(join(dir, `doc-${MAX_LOCAL_FILES}.pdf`));
    expect(listed.omitted).toBe(7);
  });

  it("a missing folder is file_unreadable; a relative one invalid_params", async () => {
    await expect(listPdfFolder(join(dir, "gone"))).rejects.toSatisfy((e) => isKysoError(e, "file_unreadable"));
    await expect(listPdfFolder("relative")).rejects.toSatisfy((e) => isKysoError(e, "invalid_params"));
  });
});

describe("chooseLocalFiles", () => {
  it("files: the dialog's paths, duplicates once, capped; cancelled: none", async () => {
    const many = Array.from({ length: MAX_LOCAL_FILES + 2 }, (_, i) => join(dir, `${i}.pdf`));
    expect(await chooseLocalFiles(dialogs([join(dir, "a.pdf"), join(dir, "a.pdf")]), "files")).toEqual({ paths: [join(dir, "a.pdf")], omitted: 0, ignored: 0 });
    expect((await chooseLocalFiles(dialogs(many), "files")).omitted).toBe(2);
    expect(await chooseLocalFiles(dialogs([]), "files")).toEqual({ paths: [], omitted: 0, ignored: 0 });
    expect(await chooseLocalFiles(dialogs([]), "folder")).toEqual({ paths: [], omitted: 0, ignored: 0 });
  });

  it("folder: its PDF files", async () => {
    await writeFile(join(dir, "x.pdf"), "%PDF-");
    expect(await chooseLocalFiles(dialogs([], dir), "folder")).toEqual({ paths: [join(dir, "x.pdf")], omitted: 0, ignored: 0, folder: dir });
  });
});

describe("expandDroppedPaths", () => {
  it("a dropped folder becomes its PDFs; a dropped file stays (a non-PDF is reported later by files.sign, per file)", async () => {
    await mkdir(join(dir, "in"));
    await writeFile(join(dir, "in", "one.pdf"), "%PDF-");
    await writeFile(join(dir, "in", "skip.docx"), "x");
    await writeFile(join(dir, "note.txt"), "x");
    const expanded = await expandDroppedPaths([join(dir, "in"), join(dir, "note.txt"), join(dir, "in", "one.pdf")]);
    expect(expanded).toEqual({ paths: [join(dir, "in", "one.pdf"), join(dir, "note.txt")], omitted: 0, ignored: 1 });
    await expect(expandDroppedPaths(["relative.pdf"])).rejects.toSatisfy((e) => isKysoError(e, "invalid_params"));
  });
});
