/**
 * Typed loader for catalogue.json: which PKCS#11 module files to look for on this OS and which vendor each
 * belongs to. The JSON sits next to this file in the source tree and in dist/ (scripts/build.mjs copies it).
 */
import { readFileSync } from "node:fs";
import { join, win32 } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export type CataloguePlatform = "win32" | "darwin" | "linux";

const filesByOs = z.object({ win32: z.array(z.string()).optional(), darwin: z.array(z.string()).optional(), linux: z.array(z.string()).optional() });

const catalogueSchema = z.object({
  version: z.literal(1),
  directories: z.object({ win32: z.array(z.string()), darwin: z.array(z.string()), linux: z.array(z.string()) }),
  drivers: z.array(z.object({ vendor: z.string().min(1), files: filesByOs })),
  authorities: z
    .object({
      list: z.array(
        z.object({
          name: z.string().min(1),
          issuerMatch: z.array(z.string().min(2)).min(1),
          phone: z.string().regex(/^[0-9 ]{6,20}$/).optional(),
          website: z.url({ protocol: /^https$/ }).optional(),
        }),
      ),
    })
    .default({ list: [] }),
});

export type DriverCatalogue = z.infer<typeof catalogueSchema>;

export interface CatalogueCandidate {
  readonly path: string;
  readonly vendor: string;
}

let cached: DriverCatalogue | undefined;

export function loadDriverCatalogue(): DriverCatalogue {
  cached ??= catalogueSchema.parse(JSON.parse(readFileSync(fileURLToPath(new URL("./catalogue.json", import.meta.url)), "utf8")));
  return cached;
}

export function asCataloguePlatform(platform: NodeJS.Platform): CataloguePlatform | undefined {
  return platform === "win32" || platform === "darwin" || platform === "linux" ? platform : undefined;
}

/**
 * Every (directory × file name) the catalogue lists for `platform`, with `%VAR%` expanded from `env`. Existence is
 * not checked here: discovery keeps only the files that exist.
 */
export function catalogueCandidates(
  platform: CataloguePlatform,
  env: NodeJS.ProcessEnv = process.env,
  catalogue: DriverCatalogue = loadDriverCatalogue(),
): CatalogueCandidate[] {
  const joinPath = platform === "win32" ? win32.join : join;
  const directories = catalogue.directories[platform].map((dir) =>
    dir.replace(/%([A-Za-z_]+)%/g, (_match, name: string) => env[name] ?? (name === "SystemRoot" ? "C:\\Windows" : "")),
  );
  const candidates: CatalogueCandidate[] = [];
  for (const driver of catalogue.drivers) {
    for (const file of driver.files[platform] ?? []) {
      for (const dir of directories) candidates.push({ path: joinPath(dir, file), vendor: driver.vendor });
    }
  }
  return candidates;
}

/** The vendor of a module file by its name, for user- and policy-added paths too. */
export function vendorOf(path: string, catalogue: DriverCatalogue = loadDriverCatalogue()): string | undefined {
  const name = (path.split(/[\\/]/).pop() ?? "").toLowerCase();
  for (const driver of catalogue.drivers) {
    for (const files of Object.values(driver.files)) {
      if (files?.some((file) => file.toLowerCase() === name)) return driver.vendor;
    }
  }
  return undefined;
}

/** The issuing CA's support contact, for the "PIN locked" message (only the CA can unlock a token). */
export interface SupportContact {
  readonly name: string;
  readonly phone?: string;
  readonly website?: string;
}

/**
 * The CA whose name appears in the issuer's O, OU or CN (case-insensitive substring), from the catalogue's
 * `authorities`. A hint for who to call, not an identification of the CA (that is done by building the chain).
 */
export function supportContactFor(
  issuer: { readonly organization?: string; readonly organizationalUnit?: string; readonly commonName?: string },
  catalogue: DriverCatalogue = loadDriverCatalogue(),
): SupportContact | undefined {
  const text = [issuer.organization, issuer.organizationalUnit, issuer.commonName].filter(Boolean).join(" | ").toLocaleLowerCase("vi");
  if (!text) return undefined;
  const authority = catalogue.authorities.list.find((a) => a.issuerMatch.some((m) => text.includes(m.toLocaleLowerCase("vi"))));
  if (!authority) return undefined;
  return { name: authority.name, ...(authority.phone ? { phone: authority.phone } : {}), ...(authority.website ? { website: authority.website } : {}) };
}
