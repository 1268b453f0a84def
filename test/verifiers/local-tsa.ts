import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** RFC 3161 queries are a few hundred bytes; anything bigger is a broken client. */
const MAX_QUERY_BYTES = 64 * 1024;
/** Under the 2.999 example arc, so no real policy is ever claimed. */
export const TSA_POLICY_OID = "2.999.3161.1";

/**
 * ok: a real token. http-error: HTTP 500. garbage: HTTP 200 with the right content type and random bytes.
 * rejected: a well-formed TimeStampResp with status rejection and no token. slow: a real token after `slowMs`.
 */
export type TsaMode = "ok" | "http-error" | "garbage" | "rejected" | "slow";

export interface LocalTsa {
  readonly url: string;
  /** Root that issued the TSA certificate: the trust anchor for `openssl ts -verify -CAfile`. */
  readonly caCertPath: string;
  readonly tsaCertPath: string;
  setMode(mode: TsaMode, opts?: { slowMs?: number }): void;
  /** Requests received so far, whatever the mode. */
  requestCount(): number;
  close(): Promise<void>;
}

interface TsaPki {
  readonly caCert: string;
  readonly tsaCert: string;
  readonly tsaKey: string;
}

/** TimeStampResp { status PKIStatusInfo { status rejection(2) } } without a token. */
const REJECTION = Buffer.from("30053003020102", "hex");

async function openssl(args: readonly string[], cwd?: string): Promise<void> {
  await run("openssl", args, { cwd, timeout: 30_000 });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * A root plus a TSA certificate with the critical timeStamping EKU RFC 3161 requires. Made in a scratch folder and
 * renamed into place, so parallel test processes sharing `dir` never see half a PKI.
 */
async function ensurePki(dir: string): Promise<TsaPki> {
  const pkiDir = join(dir, "tsa-pki");
  const pki = { caCert: join(pkiDir, "ca.pem"), tsaCert: join(pkiDir, "tsa.pem"), tsaKey: join(pkiDir, "tsa.key") };
  if (await exists(pki.tsaKey)) return pki;
  await mkdir(dir, { recursive: true });
  const scratch = await mkdtemp(join(dir, ".tsa-pki-"));
  try {
    const days = ["-days", "3650"];
    await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", ...days,
      "-subj", "/C=VN/O=KySo Test/CN=KySo Test TSA Root", "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign"], scratch);
    await openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
      "-subj", "/C=VN/O=KySo Test/CN=KySo Test TSA"], scratch);
    await writeFile(join(scratch, "tsa.ext"), [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,nonRepudiation",
      "extendedKeyUsage=critical,timeStamping",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
      "",
    ].join("\n"));
    await openssl(["x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial",
      `0x${randomBytes(8).toString("hex")}`, "-sha256", ...days, "-extfile", "tsa.ext", "-out", "tsa.pem"], scratch);
    await rename(scratch, pkiDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return pki;
}

/** `ess_cert_id_alg = sha256` makes openssl write ESSCertIDv2, which CAdES validators expect. */
function tsaConfig(pki: TsaPki, serialFile: string): string {
  return `
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
serial = ${serialFile}
crypto_device = builtin
signer_cert = ${pki.tsaCert}
certs = ${pki.caCert}
signer_key = ${pki.tsaKey}
signer_digest = sha256
default_policy = ${TSA_POLICY_OID}
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 0
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

/**
 * Starts an RFC 3161 TSA on 127.0.0.1 backed by `openssl ts -reply`. Each instance has its own serial file and
 * answers one request at a time, because openssl reads, increments and rewrites that file without locking.
 */
export async function startLocalTsa(dir: string): Promise<LocalTsa> {
  const pki = await ensurePki(dir);
  const work = await mkdtemp(join(dir, ".tsa-run-"));
  const serialFile = join(work, "serial");
  const configFile = join(work, "tsa.cnf");
  await writeFile(serialFile, `${randomBytes(4).toString("hex")}01\n`);
  await writeFile(configFile, tsaConfig(pki, serialFile));

  let mode: TsaMode = "ok";
  let slowMs = 10_000;
  let requests = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const timers = new Set<NodeJS.Timeout>();

  const stamp = async (query: Buffer): Promise<Buffer> => {
    const name = randomBytes(8).toString("hex");
    const queryFile = join(work, `${name}.tsq`);
    const replyFile = join(work, `${name}.tsr`);
    try {
      await writeFile(queryFile, query);
      await openssl(["ts", "-reply", "-config", configFile, "-queryfile", queryFile, "-inkey", pki.tsaKey,
        "-signer", pki.tsaCert, "-out", replyFile]);
      return await readFile(replyFile);
    } finally {
      await rm(queryFile, { force: true });
      await rm(replyFile, { force: true });
    }
  };
  const serialized = (query: Buffer): Promise<Buffer> => {
    const result = queue.then(() => stamp(query));
    queue = result.catch(() => undefined);
    return result;
  };
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests += 1;
    if (req.method !== "POST") return void res.writeHead(405, { Allow: "POST" }).end();
    if (req.headers["content-type"] !== "application/timestamp-query") return void res.writeHead(415).end();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_QUERY_BYTES) return void res.writeHead(413).end();
      chunks.push(chunk);
    }
    const reply = (body: Buffer): void =>
      void res.writeHead(200, { "Content-Type": "application/timestamp-reply", "Content-Length": body.length }).end(body);
    switch (mode) {
      case "http-error":
        return void res.writeHead(500, { "Content-Type": "text/plain" }).end("TSA unavailable");
      case "garbage":
        return reply(randomBytes(64));
      case "rejected":
        return reply(REJECTION);
      case "slow":
        await delay(slowMs);
        return reply(await serialized(Buffer.concat(chunks)));
      case "ok":
        return reply(await serialized(Buffer.concat(chunks)));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`openssl ts -reply failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caCertPath: pki.caCert,
    tsaCertPath: pki.tsaCert,
    setMode(next, opts) {
      mode = next;
      if (opts?.slowMs !== undefined) slowMs = opts.slowMs;
    },
    requestCount: () => requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      await rm(work, { recursive: true, force: true });
    },
  };
}
