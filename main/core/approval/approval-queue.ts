/**
 * Pending approvals: every `sign`, `signBatch` and `pair` waits here until the user decides in the app.
 * One approval is shown at a time, in arrival order; the others wait as `queued`. Ids come from the CSPRNG
 * (a page must not guess another page's approval). The user's decision is the only way forward: this is the
 * approval gate, and every signing path goes through `open()`.
 */
import { randomBytes } from "node:crypto";
import type { ApprovalState, ApprovalView, SignatureView } from "../app-api/approval-view.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { PinStatus } from "../../domain/token.js";
import { KysoError, toKysoError, type Language } from "../../domain/errors/kyso-error.js";
import type { ApprovalRequest, CandidatesUpdate, SignApprovalRequest } from "./approval-request.js";
import { checkDecision, type ApprovalDecision } from "./approval-decision.js";
import { askForFile, cancel, fail, fileChosen, finish, isFinished, isOpen, itemFinished, phoneUpdated, pinRejected, queued, show, startSigning } from "./approval-state.js";

interface Entry {
  readonly id: string;
  request: ApprovalRequest;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  state: ApprovalState;
  timer: NodeJS.Timeout | undefined;
  /** While signing: cancels a remote account's wait for the phone. */
  abort?: AbortController;
  /** While the remote step asks for an OTP: where `provideOtp` delivers it. */
  otp?: (value: string) => void;
  /** A stamp placement being checked (`placeStamp`): the decision waits for it, so the PIN never signs a stale place. */
  placing?: Promise<unknown>;
  resolve(): void;
  reject(error: KysoError): void;
}

export interface ApprovalQueueOptions {
  readonly timeoutMs: number;
  readonly now?: () => Date;
  readonly language?: () => Language;
  readonly onChange?: (views: readonly ApprovalView[]) => void;
}

export interface ApprovalQueue {
  /** Resolves when approved and executed; rejects with `user_rejected`, `timeout` or the execution's error. */
  open(request: ApprovalRequest): { readonly id: string; readonly done: Promise<void> };
  /** `start`, then waits for the execution: rejects only with `start`'s refusals. */
  approve(id: string, choice: ApprovalDecision): Promise<void>;
  /**
   * The user's decision, checked at once: throws the typed refusal (`not_found`, `invalid_params` for a wrong
   * state, `certificate_not_found`) synchronously, before anything starts. Otherwise the approval has moved on
   * (pair granted, or signing started) and `running` settles when the execution is over; it never rejects, because
   * a failure after the start is the approval's state (`failed`, or `entering-pin` after a wrong PIN).
   */
  start(id: string, choice: ApprovalDecision): { readonly running: Promise<void> };
  reject(id: string): void;
  /** The OTP the remote step asked for; `invalid_params` unless this approval is asking for one now. */
  provideOtp(id: string, otp: string): void;
  /**
   * Replaces an open sign approval's candidates (sign-session.ts, after the per-candidate checks ran for them);
   * ignored once the approval is no longer open.
   */
  updateCandidates(id: string, update: CandidatesUpdate): void;
  /**
   * The user's click (or arrow key) on the preview: item `index`'s leader or seal image centred on `at` (PDF points).
   * `not_found`; `invalid_params` (not open for a decision, not a placeable item, another placement still being
   * checked); the request's own refusal (`stamp_off_page`). On success the item's signature view is replaced.
   */
  placeStamp(id: string, index: number, at: { readonly page: number; readonly x: number; readonly y: number }): Promise<SignatureView>;
  withdraw(connectionId: string): void;
  list(): readonly ApprovalView[];
  document(id: string, index: number): { mediaType: string; bytes: Uint8Array };
  /**
   * The file the user chose for a file approval: `not_found`, `invalid_params` (not a file approval, or not waiting
   * for one), `document_too_large` (the approval stays open for another choice). The bytes are not read here.
   */
  provideFile(id: string, file: { readonly fileName: string; readonly bytes: Buffer }): void;
  close(): void;
}

/** 128 bits from the CSPRNG, URL-safe. */
export function newApprovalId(): string {
  return randomBytes(16).toString("base64url");
}

export function createApprovalQueue(options: ApprovalQueueOptions): ApprovalQueue {
  const now = options.now ?? (() => new Date());
  const language = options.language ?? (() => "en" as const);
  const entries: Entry[] = [];

  const viewOf = (entry: Entry): ApprovalView => {
    const base = {
      id: entry.id,
      origin: entry.request.origin,
      createdAt: entry.createdAt.toISOString(),
      expiresAt: entry.expiresAt.toISOString(),
      state: entry.state,
    };
    if (entry.request.kind === "pair") return { kind: "pair", ...base };
    if (entry.request.kind === "file") return { kind: "file", ...base, display: entry.request.display, maxBytes: entry.request.maxBytes };
    const { batch, items, display, candidates, preselectedCertificateId, tokenWait } = entry.request;
    return {
      kind: "sign",
      ...base,
      batch,
      items,
      candidates,
      ...(preselectedCertificateId ? { preselectedCertificateId } : {}),
      ...(tokenWait ? { tokenWait } : {}),
      ...(display ? { display } : {}),
    };
  };

  const list = (): ApprovalView[] => entries.map(viewOf);
  const changed = (): void => options.onChange?.(list());
  /** Non-zero while open() runs: a decision its notification provokes waits for it to return (runSigning). */
  let opening = 0;

  /** Removes finished entries and shows the next one in line. */
  function advance(): void {
    for (let i = entries.length - 1; i >= 0; i--) if (isFinished(entries[i]!.state)) entries.splice(i, 1);
    const head = entries[0];
    if (head && head.state.kind === "queued") head.state = head.request.kind === "file" ? askForFile(head.state) : show(head.state);
    changed();
  }

  function settle(entry: Entry, error?: KysoError): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (error) entry.reject(error);
    else entry.resolve();
    // The UI sees the final state (done, failed, cancelled) once before the approval leaves the list.
    changed();
    advance();
  }

  function find(id: string): Entry {
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw new KysoError("not_found", "no such approval");
    return entry;
  }

  function cancelEntry(entry: Entry, reason: "rejected" | "timeout" | "withdrawn"): void {
    if (!isOpen(entry.state)) return;
    entry.state = cancel(entry.state, reason);
    settle(entry, new KysoError(reason === "rejected" ? "user_rejected" : "timeout", `approval ${reason}`, { reason }));
  }

  /** Runs the signing the user approved; every outcome, failure included, ends as the approval's state. */
  async function runSigning(entry: Entry, request: SignApprovalRequest, certificate: CertificateInfo, pin: Buffer | null, excludedItems: ReadonlySet<number>): Promise<void> {
    const certificateId = certificate.id;
    const abort = new AbortController();
    entry.abort = abort;
    try {
      // A listener may decide inside the notification open() sends (an automatic approver, a test): the request's
      // owner must have open()'s answer and its watchers in place before its execute runs. One microtask is enough:
      // open() is synchronous, so it has returned by then. (Outside open(), execute starts at once, as callers expect.)
      if (opening > 0) await Promise.resolve();
      const askOtp = (): Promise<string> =>
        new Promise<string>((resolve, reject) => {
          if (abort.signal.aborted) return reject(new KysoError("user_rejected", "cancelled while asking for the OTP"));
          entry.otp = (value) => {
            entry.otp = undefined;
            resolve(value);
          };
          abort.signal.addEventListener("abort", () => {
            entry.otp = undefined;
            reject(new KysoError("user_rejected", "cancelled while asking for the OTP"));
          }, { once: true });
        });
      await request.execute({ certificateId, pin, excludedItems, signal: abort.signal, askOtp }, (result) => {
        if (entry.state.kind !== "signing") return;
        entry.state = itemFinished(entry.state, result);
        changed();
      }, (step) => {
        if (entry.state.kind !== "signing") return;
        if (step) entry.state = phoneUpdated(entry.state, step);
        else if (entry.state.phone) {
          const { phone: _over, ...signing } = entry.state;
          entry.state = signing;
        }
        changed();
      });
    } catch (thrown) {
      // Cancelled on the phone step: whatever the provider call ended with, the user's answer is a rejection.
      const error = abort.signal.aborted ? new KysoError("user_rejected", "cancelled while waiting for the phone", { reason: "rejected" }) : toKysoError(thrown);
      if (error.code === "pin_incorrect" || error.code === "pin_length_invalid") {
        // A wrong PIN keeps the approval open, with the tries left; never retried automatically.
        const token = request.tokens.find((t) => t.id === certificate.tokenId);
        const pinStatus = (error.details?.pinStatus as PinStatus | undefined) ?? token?.pinStatus ?? "ok";
        entry.state = pinRejected(entry.state, pinStatus, error.toPayload(language()), token?.protectedAuthenticationPath ?? false);
        const remaining = entry.expiresAt.getTime() - now().getTime();
        entry.timer = setTimeout(() => cancelEntry(entry, "timeout"), Math.max(remaining, 30_000));
        entry.timer.unref?.();
        changed();
        return;
      }
      entry.state = fail(entry.state, error.toPayload(language()));
      settle(entry, error);
      return;
    } finally {
      pin?.fill(0);
      entry.abort = undefined;
      entry.otp = undefined;
    }
    entry.state = finish(entry.state);
    settle(entry);
  }

  function start(id: string, choice: ApprovalDecision): { readonly running: Promise<void> } {
    const entry = entries.find((e) => e.id === id);
    if (!entry) {
      choice.pin?.fill(0);
      throw new KysoError("not_found", "no such approval");
    }
    const { state, request } = entry;
    if (state.kind !== "choosing-certificate" && state.kind !== "entering-pin") {
      choice.pin?.fill(0);
      throw new KysoError("invalid_params", `approval is ${state.kind}, not waiting for a decision`);
    }
    if (entry.placing) {
      choice.pin?.fill(0);
      throw new KysoError("invalid_params", "the stamp's new place is still being checked");
    }
    if (request.kind === "file") {
      choice.pin?.fill(0);
      throw new KysoError("invalid_params", "a file approval is answered with a file");
    }
    if (request.kind === "pair") {
      choice.pin?.fill(0);
      entry.state = finish(state);
      settle(entry);
      return { running: Promise.resolve() };
    }
    let decided: ReturnType<typeof checkDecision>;
    try {
      decided = checkDecision(request, choice);
    } catch (error) {
      choice.pin?.fill(0);
      throw error;
    }
    const { certificate, excludedItems } = decided;
    if (entry.timer) clearTimeout(entry.timer); // the user decided: the token's own timeouts apply from here
    entry.timer = undefined;
    entry.state = startSigning(state, certificate.id, request.items.length);
    changed();
    return { running: runSigning(entry, request, certificate, choice.pin, excludedItems) };
  }

  return {
    open(request) {
      const createdAt = now();
      let resolve!: () => void;
      let reject!: (error: KysoError) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const entry: Entry = {
        id: newApprovalId(),
        request,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + options.timeoutMs),
        state: queued(),
        timer: undefined,
        resolve,
        reject,
      };
      entry.timer = setTimeout(() => cancelEntry(entry, "timeout"), options.timeoutMs);
      entry.timer.unref?.();
      entries.push(entry);
      opening++;
      try {
        advance();
      } finally {
        opening--;
      }
      return { id: entry.id, done };
    },

    async approve(id, choice) {
      await start(id, choice).running;
    },

    start,

    reject(id) {
      const entry = find(id);
      if (entry.state.kind === "signing" && entry.state.phone && entry.abort) {
        // The phone step can be cancelled (a token's C_Sign cannot): the wait ends, the portal gets user_rejected.
        entry.abort.abort();
        return;
      }
      if (!isOpen(entry.state)) throw new KysoError("invalid_params", `approval is ${entry.state.kind}`);
      cancelEntry(entry, "rejected");
    },

    provideOtp(id, otp) {
      const entry = find(id);
      if (!entry.otp) throw new KysoError("invalid_params", "this approval is not asking for an OTP");
      entry.otp(otp);
    },

    updateCandidates(id, update) {
      const entry = entries.find((e) => e.id === id);
      if (!entry || entry.request.kind !== "sign" || !isOpen(entry.state)) return;
      const { preselectedCertificateId: _p, tokenWait: _w, ...rest } = entry.request;
      entry.request = { ...rest, ...update };
      changed();
    },

    async placeStamp(id, index, at) {
      const entry = find(id);
      const { request } = entry;
      if (request.kind !== "sign" || (entry.state.kind !== "choosing-certificate" && entry.state.kind !== "entering-pin")) {
        throw new KysoError("invalid_params", `approval is ${entry.state.kind}, not waiting for a decision`);
      }
      if (!request.placeStamp || !request.items[index]?.placeable) throw new KysoError("invalid_params", `item ${index} has no stamp the user can place`);
      // One placement at a time: the window sends the next click once the core answered the last one.
      if (entry.placing) throw new KysoError("invalid_params", "the stamp's previous place is still being checked");
      const placing = request.placeStamp(index, at);
      entry.placing = placing;
      try {
        const signature = await placing;
        if (entry.request.kind === "sign" && isOpen(entry.state)) {
          const items = entry.request.items.map((item) => (item.index === index ? { ...item, signature } : item));
          entry.request = { ...entry.request, items };
          changed();
        }
        return signature;
      } finally {
        entry.placing = undefined;
      }
    },

    withdraw(connectionId) {
      for (const entry of [...entries]) if (entry.request.connectionId === connectionId) cancelEntry(entry, "withdrawn");
    },

    list,

    document(id, index) {
      const entry = find(id);
      const document = entry.request.kind === "sign" ? entry.request.documents[index] : undefined;
      if (!document) throw new KysoError("not_found", "no document at this index");
      return document;
    },

    provideFile(id, file) {
      const entry = find(id);
      const { request } = entry;
      if (request.kind !== "file" || entry.state.kind !== "needs-file") throw new KysoError("invalid_params", `approval is not waiting for a file`);
      if (file.bytes.length > request.maxBytes) throw new KysoError("document_too_large", `the file is larger than ${request.maxBytes} bytes`, { maxBytes: request.maxBytes });
      entry.state = fileChosen(entry.state);
      request.receive(file);
      settle(entry);
    },

    close() {
      for (const entry of [...entries]) cancelEntry(entry, "withdrawn");
    },
  };
}
