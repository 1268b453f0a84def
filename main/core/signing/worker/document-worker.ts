/**
 * The document worker: the only place where KySo parses a page's document (PDF structure, XML, CMS content).
 * It runs in a worker thread with a memory cap, under a CPU budget the core enforces by terminating it
 * (document-workers.ts). It holds no key and no PIN: when a format needs a signature it asks the core for one
 * (`sign-digest`), and the core asks the token.
 */
import { readlinkSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import type { DigestSigningRequest, SignatureValue, Signer } from "../../../domain/signer.js";
import { KysoError, fromPayload, toKysoError, transferable } from "../../../domain/errors/kyso-error.js";
import { prepareItem } from "../prepare.js";
import { sign } from "../sign.js";
import type { RevocationResult } from "../../certificates/revocation/index.js";
import type { RevocationLookupService } from "../../verify/revocation-evidence.js";
import { verifyDocument } from "../../verify/verify-document.js";
import { signTogether } from "../batch-together.js";
import type { BatchItemOutcome, FromWorker, ToWorker } from "./messages.js";
import { handOverOutput } from "./transfer.js";

const port = parentPort;
if (!port) throw new Error("document-worker must run in a worker thread");

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const waiting = new Map<number, { resolve(value: SignatureValue): void; reject(error: KysoError): void }>();
const batchWaiting = new Map<number, { resolve(values: SignatureValue[]): void; reject(error: KysoError): void }>();
let nextCall = 0;
const revocationWaiting = new Map<number, { resolve(value: RevocationResult): void; reject(error: KysoError): void }>();

/** Online revocation is the core's network and cache: the worker asks for it and its CPU budget pauses meanwhile. */
function proxyRevocation(task: number): RevocationLookupService {
  return {
    check(certificate, issuer) {
      const call = nextCall++;
      return new Promise((resolve, reject) => {
        revocationWaiting.set(call, { resolve, reject });
        post({ type: "revocation-check", task, call, certificate, ...(issuer ? { issuer } : {}) });
      });
    },
  };
}

async function runVerify(message: Extract<ToWorker, { type: "verify" }>): Promise<void> {
  try {
    const { online, now, ...options } = message.options;
    const value = await verifyDocument(message.document, { ...options, ...(now !== undefined ? { now: new Date(now) } : {}), ...(online ? { online: proxyRevocation(message.task) } : {}) });
    post({ type: "verified", task: message.task, value });
  } catch (thrown) {
    const error = toKysoError(thrown);
    // A received document KySo cannot read is document_invalid for the user, never `internal`.
    post({ type: "failed", task: message.task, error: transferable(error.code === "internal" ? new KysoError("document_invalid", error.message) : error) });
  }
}

function proxySigner(task: number, identity: Extract<ToWorker, { type: "sign" }>["signer"]): Signer {
  return {
    certificate: identity.certificate,
    chain: identity.chain,
    keyAlgorithm: identity.keyAlgorithm,
    signDigest(request: DigestSigningRequest): Promise<SignatureValue> {
      const call = nextCall++;
      return new Promise((resolve, reject) => {
        waiting.set(call, { resolve, reject });
        post({ type: "sign-digest", task, call, request });
      });
    },
  };
}

/** The TSA is the network, not the document: its wait must not count against the document's CPU budget. */
function pausingFetch(task: number): typeof fetch {
  return async (...args) => {
    post({ type: "pause", task });
    try {
      return await fetch(...args);
    } finally {
      post({ type: "resume", task });
    }
  };
}

/** A batch under one confirmation: every item's format runs here at once, their digests leave in one message. */
async function runBatch(message: Extract<ToWorker, { type: "sign-batch" }>): Promise<void> {
  const signDigests = (requests: readonly DigestSigningRequest[]): Promise<SignatureValue[]> => {
    const call = nextCall++;
    return new Promise((resolve, reject) => {
      batchWaiting.set(call, { resolve, reject });
      post({ type: "sign-digests", task: message.task, call, requests });
    });
  };
  const outcomes = await signTogether(message.inputs.length, message.signer, signDigests, async (index, signer) => {
    const longTerm = message.longTerm[index];
    const result = await sign(message.inputs[index]!, signer, {
      signingTime: new Date(message.signingTime),
      ...(message.timestampAuthority ? { timestampAuthority: message.timestampAuthority } : {}),
      ...(longTerm ? { longTerm } : {}),
      fetch: pausingFetch(message.task),
    });
    return result.kind === "signature" ? { kind: result.kind, signature: result.signature } : { kind: result.kind, document: result.document };
  });
  // Every signed document moves to the core without a copy on its event loop (transfer.ts).
  const transfer: ArrayBuffer[] = [];
  const value: BatchItemOutcome[] = outcomes.map((o) =>
    o.status === "fulfilled" ? { ok: true, value: handOverOutput(o.value, transfer) } : { ok: false, error: transferable(toKysoError(o.reason)) },
  );
  post({ type: "signed-batch", task: message.task, value }, transfer);
}

async function run(message: Extract<ToWorker, { type: "prepare" | "sign" }>): Promise<void> {
  try {
    if (message.type === "prepare") {
      const value = await prepareItem(message.input, message.candidates, { timestampAuthority: message.timestampAuthority, ...(message.longTerm ? { longTerm: message.longTerm } : {}) });
      post({ type: "prepared", task: message.task, value });
      return;
    }
    const result = await sign(message.input, proxySigner(message.task, message.signer), {
      signingTime: new Date(message.signingTime),
      ...(message.timestampAuthority ? { timestampAuthority: message.timestampAuthority } : {}),
      ...(message.longTerm ? { longTerm: message.longTerm } : {}),
      fetch: pausingFetch(message.task),
    });
    // The signed document can be hundreds of MB: its memory moves to the core, no copy there (transfer.ts).
    const transfer: ArrayBuffer[] = [];
    const value = handOverOutput(result.kind === "signature" ? { kind: result.kind, signature: result.signature } : { kind: result.kind, document: result.document }, transfer);
    post({ type: "signed", task: message.task, value }, transfer);
  } catch (thrown) {
    const error = toKysoError(thrown);
    // Reading a page's document must never surface as `internal`: for the user it is a document KySo cannot read.
    const typed = message.type === "prepare" && error.code === "internal" ? new KysoError("document_invalid", error.message) : error;
    post({ type: "failed", task: message.task, error: transferable(typed) });
  }
}

port.on("message", (message: ToWorker) => {
  if (message.type === "revocation-answer") {
    const pending = revocationWaiting.get(message.call);
    revocationWaiting.delete(message.call);
    if (!pending) return;
    if (message.value) pending.resolve(message.value);
    else pending.reject(fromPayload(message.error ?? { code: "internal", message: "no revocation answer", retriable: false }));
    return;
  }
  if (message.type === "verify") {
    void runVerify(message);
    return;
  }
  if (message.type === "signed-digests") {
    const pending = batchWaiting.get(message.call);
    batchWaiting.delete(message.call);
    if (!pending) return;
    if (message.values) pending.resolve(message.values.map((v) => ({ value: v.value, raw: v.raw })));
    else pending.reject(fromPayload(message.error ?? { code: "internal", message: "no signatures", retriable: false }));
    return;
  }
  if (message.type === "sign-batch") {
    void runBatch(message);
    return;
  }
  if (message.type === "signed-digest") {
    const pending = waiting.get(message.call);
    waiting.delete(message.call);
    if (!pending) return;
    if (message.value) pending.resolve(message.value);
    else pending.reject(fromPayload(message.error ?? { code: "internal", message: "no signature", retriable: false }));
    return;
  }
  void run(message);
});

// The core charges this thread's own CPU time where the platform tells it (Linux), not the machine's load.
try {
  post({ type: "thread", statPath: `/proc/${readlinkSync("/proc/thread-self")}/stat` });
} catch {
  // no /proc: the core falls back to wall time
}
post({ type: "ready" });
