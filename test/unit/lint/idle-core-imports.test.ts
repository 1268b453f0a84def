/**
 * Issue 10: the core's thread never holds the document formats' libraries until something asks for them. Documents
 * are read and signed in the bounded workers, so what kyso-core.ts imports statically must not reach pdf-lib,
 * fontkit, xadesjs, xmldsigjs or xmldom (together ~30 MiB of an idle app's RSS, test/bench/idle-core.ts). The
 * static import graph is read from esbuild's metafile; dynamic `import()` edges are the lazy ones and are skipped.
 */
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HEAVY = ["@cantoo/pdf-lib", "@cantoo/fontkit", "xadesjs", "xmldsigjs", "@xmldom/xmldom"];

/** Every path reached from `entry` through static imports, with the importer that first reached it. */
function staticGraph(metafile: Metafile, entry: string): Map<string, string | undefined> {
  const reached = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of metafile.inputs[file]?.imports ?? []) {
      if (edge.kind === "dynamic-import" || reached.has(edge.path)) continue;
      reached.set(edge.path, file);
      if (metafile.inputs[edge.path]) queue.push(edge.path);
    }
  }
  return reached;
}

function chain(graph: Map<string, string | undefined>, target: string): string {
  const path = [target];
  for (let at = graph.get(target); at !== undefined; at = graph.get(at)) path.push(at);
  return path.reverse().join(" → ");
}

describe("the idle core's static imports", () => {
  it("kyso-core.ts does not load the document formats' libraries in the core's thread", async () => {
    const result = await build({
      entryPoints: ["main/core/kyso-core.ts"],
      absWorkingDir: ROOT,
      bundle: true,
      write: false,
      splitting: true,
      format: "esm",
      platform: "node",
      packages: "external",
      outdir: "out",
      metafile: true,
      logLevel: "silent",
    });
    const graph = staticGraph(result.metafile, "main/core/kyso-core.ts");
    const loaded = HEAVY.filter((name) => graph.has(name)).map((name) => chain(graph, name));
    expect(loaded).toEqual([]);
    expect(graph.has("ws")).toBe(true); // the graph is real: the bridge's own library is reached
  });
});
