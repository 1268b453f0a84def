/**
 * The fixture CAs' CRLs served where the fixture certificates say they are (sandbox/demo-tokens/token-spec.ts
 * REVOCATION_ENDPOINTS), for the e2e suites whose signing or verification checks revocation.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { loadManifest } from "../../fixtures/index.js";

/** Where the fixture certificates say their CA's CRL is. */
const CRL_PORT = 18881;

export async function serveCrls(): Promise<Server> {
  const manifest = await loadManifest();
  const crls: Record<string, Buffer> = {
    "/crl/public.crl": await readFile(manifest.pki.crl.public.der),
    "/crl/gov.crl": await readFile(manifest.pki.crl.gov.der),
  };
  const server = createServer((request, response) => {
    const body = crls[request.url ?? ""];
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { "Content-Type": "application/pkix-crl" }).end(body);
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(CRL_PORT, "127.0.0.1", () => done());
  });
  return server;
}
