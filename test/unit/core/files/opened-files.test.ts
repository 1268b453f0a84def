import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenedFiles, type OpenedFiles } from "../../../../main/core/files/opened-files.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-opened-"));
  await writeFile(join(dir, "a.pdf"), "%PDF-1.7");
  await writeFile(join(dir, "b.pdf"), "%PDF-1.7");
  await mkdir(join(dir, "folder.pdf"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("createOpenedFiles", () => {
  it("announces only absolute regular .pdf files; the files add up until the page takes them, once", () => {
    const events: OpenedFiles[] = [];
    const store = createOpenedFiles((opened) => events.push(opened));
    expect(store.open(["relative.pdf", join(dir, "folder.pdf"), join(dir, "missing.pdf")], "open")).toBeUndefined();
    store.open([join(dir, "a.pdf")], "sign");
    store.open([join(dir, "b.pdf"), join(dir, "a.pdf")], "sign");
    expect(events.map((e) => e.paths)).toEqual([[join(dir, "a.pdf")], [join(dir, "b.pdf"), join(dir, "a.pdf")]]);
    expect(store.take()).toEqual({ paths: [join(dir, "a.pdf"), join(dir, "b.pdf")], action: "sign" });
    expect(store.take()).toBeUndefined();
  });
});
