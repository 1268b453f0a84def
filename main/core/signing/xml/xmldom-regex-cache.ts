/**
 * xmldom 0.9's parser builds its end-tag regular expression anew for every end tag (`g.reg('^', g.QName_group,
 * g.S_OPT, '$')` in lib/sax.js): it joins the sources of its Unicode name classes (several KB of pattern) into a
 * fresh RegExp each time. On a 4 MB e-invoice that was 1.2 s of the 3.2 s of two parses (issue 10, CPU profile);
 * the result depends only on the arguments, which are the grammar's own constant RegExps and short literals.
 *
 * So `reg` is memoised on the identity of its arguments: same arguments, same pattern and flags, same RegExp
 * object. Sharing it is safe because these expressions carry no `g`/`y` flag (no `lastIndex` state): `exec` on
 * them is a pure function of the input. Calls with other arguments (page text can never reach them) go to the
 * original, and the cache is capped, so nothing a document contains can grow it. If xmldom's layout changes
 * (no lib/grammar.js or no `reg`), nothing is installed and parsing is only slower.
 */
import { createRequire } from "node:module";

type Reg = (this: unknown, ...parts: unknown[]) => RegExp;

const MAX_ENTRIES = 64;
const MAX_LITERAL_CHARS = 8;

let installed = false;

/** Counts for the test: memoised hits and calls that went to xmldom's own `reg`. */
export const xmldomRegexCacheStats = { hits: 0, misses: 0, installed: false };

export function installXmldomRegexCache(): void {
  if (installed) return;
  installed = true;
  let grammar: { reg?: Reg };
  try {
    grammar = createRequire(import.meta.url)("@xmldom/xmldom/lib/grammar.js") as { reg?: Reg };
  } catch {
    return;
  }
  const original = grammar.reg;
  if (typeof original !== "function") return;
  const ids = new WeakMap<RegExp, number>();
  let nextId = 0;
  const cache = new Map<string, RegExp>();
  grammar.reg = function memoisedReg(this: unknown, ...parts: unknown[]): RegExp {
    let key = this === undefined ? "u" : "t";
    for (const part of parts) {
      if (part instanceof RegExp && !part.global && !part.sticky) {
        let id = ids.get(part);
        if (id === undefined) ids.set(part, (id = nextId++));
        key += `|r${id}`;
      } else if (typeof part === "string" && part.length <= MAX_LITERAL_CHARS) {
        key += `|s${part.length}:${part}`;
      } else {
        xmldomRegexCacheStats.misses++;
        return original.apply(this, parts);
      }
    }
    const cached = cache.get(key);
    if (cached) {
      xmldomRegexCacheStats.hits++;
      return cached;
    }
    xmldomRegexCacheStats.misses++;
    const made = original.apply(this, parts);
    if (!made.global && !made.sticky && cache.size < MAX_ENTRIES) cache.set(key, made);
    return made;
  };
  xmldomRegexCacheStats.installed = true;
}
