/**
 * The font of the text presets. Decree 30/2020 asks for Times New Roman; KySo bundles no Times-metric font with
 * Vietnamese coverage (Liberation Serif / Tinos would be; neither is a dependency), so the text presets use
 * DejaVu Serif from the same freely licensed package as the default stamp's DejaVu Sans: a serif with full
 * Vietnamese coverage, about 10% wider than Times (docs/presets.md says so).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";

let serif: Promise<Uint8Array> | undefined;
let measurer: Promise<(text: string, size: number) => number> | undefined;

export function dejaVuSerif(): Promise<Uint8Array> {
  serif ??= (async () => {
    const pkg = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json");
    return new Uint8Array(await readFile(join(dirname(pkg), "ttf", "DejaVuSerif.ttf")));
  })();
  return serif;
}

/** Advance width of `text` at `size` points in the preset font (the same shaping pdf-lib's embedder uses). */
export function presetTextWidth(): Promise<(text: string, size: number) => number> {
  measurer ??= (async () => {
    const font = fontkit.create(Buffer.from(await dejaVuSerif())) as unknown as {
      unitsPerEm: number;
      layout(text: string): { advanceWidth: number };
    };
    return (text: string, size: number) => (font.layout(text).advanceWidth / font.unitsPerEm) * size;
  })();
  return measurer;
}
