/**
 * Every regular file under a data folder, as latin1 text: the "no secret in any file" checks search it. Sockets
 * (the CLI channel's `cli.sock`) and other special files are not files anyone reads back, and cannot be opened.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export async function dataFolderTexts(dir: string): Promise<string[]> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) texts.push(...(await dataFolderTexts(path)));
    else if (entry.isFile()) texts.push((await readFile(path)).toString("latin1"));
  }
  return texts;
}
