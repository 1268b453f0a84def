/**
 * The HTTP upgrade requests of the protocol fuzzer: a well-formed one (what a browser sends), and broken ones
 * with missing, duplicated or wrong Host, Origin, Sec-WebSocket-Key, Sec-WebSocket-Version, Upgrade and
 * Connection headers, odd request lines and bodies. Each broken request says whether the bridge MUST refuse it
 * (docs/threat-model.md, "Reaching the bridge") or may do either.
 */
import type { Prng } from "./prng.js";

export const PORTAL_ORIGIN = "https://portal.example.gov.vn";
export const UNKNOWN_ORIGINS: readonly string[] = [
  "https://unknown-0.example",
  "https://unknown-1.example.vn",
  "https://xn--k-so-tra.vn",
  "https://unknown-3.example:8443",
  "https://192.0.2.7",
  "https://[2001:db8::1]",
];

/**
 * Origins the handshake must refuse (checkHandshake + parseOrigin): with a bare 403 those no browser sends, with an
 * accepted upgrade closed at once with 4001 a page's own origin KySo refuses (`null`, `http://`).
 */
const MALFORMED_ORIGINS: readonly string[] = [
  "null",
  "https://portal.example.gov.vn/",
  "https://portal.example.gov.vn/path",
  "HTTPS://PORTAL.EXAMPLE.GOV.VN",
  "https://Portal.example.gov.vn",
  "https://portal.example.gov.vn:443",
  "http://portal.example.gov.vn",
  "https://user@portal.example.gov.vn",
  "https://user:pw@portal.example.gov.vn",
  "https://portal.example.gov.vn?x=1",
  "https://portal.example.gov.vn#x",
  "https://",
  "https://[::1",
  "file://",
  "chrome-extension://abcdefghijklmnop",
  "ws://127.0.0.1",
  "https://ký-số.vn",
  "https://portal.example.gov.vn, https://unknown-0.example",
  "https://portal.example.gov.vn:99999",
  `https://${"a".repeat(3000)}.vn`,
  "*",
  "https://portal.example.gov.vn\\@evil.example",
];

export interface UpgradeRequest {
  /** Request line, `{port}` replaced by the listener's port. */
  readonly line: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Bytes after the head (a body, or garbage the server takes as frames). */
  readonly body?: string;
  readonly slow: boolean;
  /** Write only this many bytes of the head and then destroy the socket; -1: the whole head, then destroy. */
  readonly cutAt?: number;
}

export type OriginKind = "portal" | "unknown" | "malformed" | "missing";

export interface Step {
  readonly bytes: Buffer;
  readonly slow: boolean;
  /** Answers the complete messages of this step deserve (0 for notifications, control frames, first fragments). */
  readonly answers: number;
  /** The server must close the connection after this step (protocol error, oversize, invalid UTF-8, close). */
  readonly closes: boolean;
}

export interface ConnectionPlan {
  readonly scheme: "ws" | "wss";
  readonly originKind: OriginKind;
  readonly origin: string | undefined;
  readonly request: UpgradeRequest;
  /** `open`: a well-formed upgrade (101 unless over a connection limit); `refused`: must not be 101. */
  readonly expect: "open" | "refused" | "either";
  readonly steps: readonly Step[];
  /** `destroy-now`: abrupt close right after the last write, answers or not. */
  readonly ending: "close" | "end" | "destroy" | "destroy-now";
  /** Every text sent, to tell an echo of the page's own input from a leak in an error message. */
  readonly sentText: string;
  /** id → method of every JSON object sent, to know which method an answer is for. */
  readonly requests: readonly SentRequest[];
}

export interface SentRequest {
  readonly id: unknown;
  readonly method: unknown;
}

export function upgradeRequest(prng: Prng, origin: string | undefined): UpgradeRequest {
  const host = prng.pick(["127.0.0.1:{port}", "127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"]);
  return {
    line: "GET / HTTP/1.1",
    headers: [
      ["Host", host],
      ["Upgrade", "websocket"],
      ["Connection", "Upgrade"],
      ["Sec-WebSocket-Key", Buffer.from(prng.bytes(16)).toString("base64")],
      ["Sec-WebSocket-Version", "13"],
      ...(origin !== undefined ? [["Origin", origin] as const] : []),
    ],
    slow: false,
  };
}

export function renderRequest(request: UpgradeRequest, port: number): Buffer {
  const fill = (text: string): string => text.replaceAll("{port}", String(port)).replaceAll("{port+1}", String(port + 1));
  const head = [fill(request.line), ...request.headers.map(([name, value]) => `${name}: ${fill(value)}`)].join("\r\n");
  return Buffer.from(`${head}\r\n\r\n${request.body ?? ""}`, "latin1");
}

type Headers = (readonly [string, string])[];
type Mutation = {
  headers: Headers;
  line?: string;
  body?: string;
  expect: ConnectionPlan["expect"];
  origin?: string;
  what: string;
  /** The header whose absence makes this mutation's refusal. */
  removed?: string;
  /** A header this mutation put back after an earlier one removed it: that earlier refusal no longer stands. */
  restored?: string;
};

const without = (headers: Headers, name: string): Headers => headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
const replace = (headers: Headers, name: string, value: string): Headers => headers.map(([n, v]) => (n.toLowerCase() === name.toLowerCase() ? [n, value] : [n, v]));

function mutate(prng: Prng, headers: Headers): Mutation {
  switch (prng.int(14)) {
    case 0:
      return { headers: without(headers, "Host"), expect: "refused", what: "no Host" };
    case 1: {
      const host = prng.pick(["evil.example:{port}", "127.0.0.1:{port+1}", "127.0.0.1", "127.0.0.1.:{port}", "2130706433:{port}", "0x7f.0.0.1:{port}", "127.1:{port}", "localhost.:{port}", "[::ffff:127.0.0.1]:{port}", ""]);
      return { headers: replace(headers, "Host", host), expect: "refused", what: `Host ${host}` };
    }
    case 2:
      // Node keeps the first Host of several: a valid first one may pass, an invalid first one must not.
      return prng.chance(0.5)
        ? { headers: [...headers, ["Host", "evil.example:{port}"]], expect: "either", what: "second Host" }
        : { headers: [["Host", "evil.example:{port}"], ...without(headers, "Host"), ["Host", "127.0.0.1:{port}"]], expect: "either", what: "evil Host first" };
    case 3:
      return { headers: without(headers, "Origin"), expect: "refused", what: "no Origin", origin: undefined, removed: "Origin" };
    case 4: {
      const origin = prng.pick(MALFORMED_ORIGINS);
      return { headers: replace(headers, "Origin", origin), expect: "refused", what: `Origin ${origin.slice(0, 60)}`, origin };
    }
    case 5: {
      const added = prng.pick([PORTAL_ORIGIN, UNKNOWN_ORIGINS[0]!]);
      // After "no Origin" this is the only Origin, not a second one: the request is judged by that origin
      // (seed 176321 case 1539 expected a refusal of a valid single portal Origin).
      if (!headers.some(([n]) => n.toLowerCase() === "origin")) {
        return { headers: [...headers, ["Origin", added]], expect: "either", what: "Origin put back", origin: added, restored: "Origin" };
      }
      return { headers: [...headers, ["Origin", added]], expect: "refused", what: "two Origins" };
    }
    case 6: {
      const key = prng.pick<string | undefined>([undefined, "", "abc", "x".repeat(24), "AAAAAAAAAAAAAAAAAAAAAA", Buffer.alloc(17).toString("base64"), "!!!!!!!!!!!!!!!!!!!!!!=="]);
      const changed = key === undefined ? without(headers, "Sec-WebSocket-Key") : replace(headers, "Sec-WebSocket-Key", key);
      return { headers: changed, expect: "refused", what: `Sec-WebSocket-Key ${JSON.stringify(key)}` };
    }
    case 7: {
      const version = prng.pick<string | undefined>([undefined, "", "12", "14", "13, 8", "abc", "0013"]);
      const changed = version === undefined ? without(headers, "Sec-WebSocket-Version") : replace(headers, "Sec-WebSocket-Version", version);
      // ws reads the version as a number: "0013" is 13.
      return { headers: changed, expect: version === "0013" ? "either" : "refused", what: `Sec-WebSocket-Version ${JSON.stringify(version)}` };
    }
    case 8: {
      const upgrade = prng.pick<string | undefined>([undefined, "h2c", "websocket2", "WebSocket"]);
      const changed = upgrade === undefined ? without(headers, "Upgrade") : replace(headers, "Upgrade", upgrade);
      return { headers: changed, expect: upgrade === "WebSocket" ? "either" : "refused", what: `Upgrade ${JSON.stringify(upgrade)}` };
    }
    case 9: {
      const connection = prng.pick<string | undefined>([undefined, "keep-alive", "close", "keep-alive, Upgrade"]);
      const changed = connection === undefined ? without(headers, "Connection") : replace(headers, "Connection", connection);
      return { headers: changed, expect: connection === "keep-alive, Upgrade" ? "either" : "refused", what: `Connection ${JSON.stringify(connection)}` };
    }
    case 10: {
      const line = prng.pick(["POST / HTTP/1.1", "PUT / HTTP/1.1", "GET /x HTTP/1.1", "GET /../ HTTP/1.1", "GET * HTTP/1.1", "GET / HTTP/1.0", "GET /?a=b HTTP/1.1", "GET http://127.0.0.1:{port}/ HTTP/1.1", "GET / HTTP/2.0", "BREW / HTCPCP/1.0"]);
      const must = line.startsWith("POST") || line.startsWith("PUT") || line.startsWith("GET /x") || line.startsWith("BREW");
      return { headers, line, expect: must ? "refused" : "either", what: `request line ${line}` };
    }
    case 11: {
      const extra = prng.pick<[string, string]>([
        ["Sec-WebSocket-Protocol", "a, a"],
        ["Sec-WebSocket-Protocol", ",,,"],
        ["Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=99"],
        ["Content-Length", "5"],
        ["Transfer-Encoding", "chunked"],
        ["X-Forwarded-For", "203.0.113.9"],
      ]);
      return { headers: [...headers, extra], expect: "either", what: `extra ${extra.join(": ")}`, ...(extra[0] === "Content-Length" ? { body: "hello" } : {}) };
    }
    case 12:
      return prng.chance(0.5)
        ? { headers: [...headers, ["X-Big", "x".repeat(prng.range(9000, 20_000))]], expect: "either", what: "huge header" }
        : { headers: [...headers, ["Bad Header", "x"]], expect: "refused", what: "header name with a space" };
    default:
      // Every header duplicated: two keys, two versions, two upgrades.
      return { headers: [...headers, ...headers.filter(([n]) => n !== "Host")], expect: "refused", what: "every header twice" };
  }
}

/** An upgrade with one or two header mutations; `steps` run when it is (wrongly or rightly) accepted. */
export function upgradeCase(prng: Prng, sent: { steps: readonly Step[]; sentText: string; requests: readonly SentRequest[] }): ConnectionPlan {
  const unknown = prng.chance(0.4);
  const origin = unknown ? prng.pick(UNKNOWN_ORIGINS) : PORTAL_ORIGIN;
  const base = upgradeRequest(prng, origin);
  let mutation = mutate(prng, [...base.headers]);
  let expect = mutation.expect;
  let what = mutation.what;
  let finalOrigin = "origin" in mutation ? mutation.origin : origin;
  if (prng.chance(0.3)) {
    const second = mutate(prng, mutation.headers);
    // Two changes: refused if either one alone must be refused (unless the second request line replaced the
    // first), and the origin is the last one set.
    const firstStands =
      expect === "refused" && !(mutation.line !== undefined && second.line !== undefined) && !(mutation.removed !== undefined && second.restored === mutation.removed);
    expect = firstStands || second.expect === "refused" ? "refused" : "either";
    what = `${what} + ${second.what}`;
    if ("origin" in second) finalOrigin = second.origin;
    mutation = { ...second, line: second.line ?? mutation.line, body: second.body ?? mutation.body };
  }
  const kind = finalOrigin === undefined ? "missing" : finalOrigin === PORTAL_ORIGIN ? "portal" : UNKNOWN_ORIGINS.includes(finalOrigin) ? "unknown" : "malformed";
  return {
    scheme: prng.chance(0.2) ? "wss" : "ws",
    originKind: kind,
    origin: finalOrigin,
    request: {
      line: mutation.line ?? base.line,
      headers: mutation.headers,
      ...(mutation.body !== undefined ? { body: mutation.body } : {}),
      slow: prng.chance(0.1),
    },
    expect,
    // Bytes after the head are read as frames: the server closes on them (1002), so nothing else is owed.
    steps: mutation.body !== undefined ? [] : sent.steps,
    ending: "close",
    sentText: `${sent.sentText}\n${what}`,
    requests: sent.requests,
  };
}
