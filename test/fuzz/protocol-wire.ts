/**
 * A raw WebSocket client for the protocol fuzzer: it writes the HTTP upgrade and the frames byte for byte as the
 * case says (duplicate or missing headers, unmasked or reserved-bit frames, wrong lengths, fragments, one byte per
 * write), which no WebSocket library lets a caller do. It reads what the server sends back: the HTTP status, then
 * server frames (unmasked), answering pings and close frames as a browser would.
 */
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

export const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** Default true. */
  readonly fin?: boolean;
  /** RSV1-3 bits (0-7); must be 0 without extensions. */
  readonly rsv?: number;
  /** 4 mask bytes; null sends the frame unmasked (a protocol error from a client). */
  readonly mask: Uint8Array | null;
  /** Declared 64-bit length instead of the real one (only the 127 form), to lie about the size. */
  readonly declaredLength?: bigint;
}

export function encodeFrame(spec: FrameSpec): Buffer {
  const length = spec.payload.length;
  const header: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
  const maskBit = spec.mask ? 0x80 : 0;
  let extended: Buffer;
  if (spec.declaredLength !== undefined) {
    header.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(spec.declaredLength);
  } else if (length < 126) {
    header.push(maskBit | length);
    extended = Buffer.alloc(0);
  } else if (length < 0x10000) {
    header.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(length);
  } else {
    header.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
  }
  const body = Buffer.from(spec.payload);
  if (spec.mask) for (let i = 0; i < body.length; i++) body[i]! ^= spec.mask[i % 4]!;
  return Buffer.concat([Buffer.from(header), extended, spec.mask ? Buffer.from(spec.mask) : Buffer.alloc(0), body]);
}

export interface RawConnectOptions {
  readonly scheme: "ws" | "wss";
  readonly port: number;
  /** CA of the local certificate, for wss. */
  readonly ca?: string;
}

export interface ReceivedMessage {
  readonly kind: "text" | "binary";
  readonly data: Buffer;
}

export interface RawConnection {
  /** The HTTP status of the answer to the upgrade; undefined when the socket closed before any status line. */
  readonly status: Promise<number | undefined>;
  /** Text and binary messages from the server, in order. */
  readonly messages: ReceivedMessage[];
  /** Resolves when `messages.length` reaches `count` (or the socket closed: then false). */
  waitForMessages(count: number): Promise<boolean>;
  readonly closed: Promise<void>;
  readonly isClosed: boolean;
  /** Close code in the server's close frame, if one came. */
  readonly closeCode: number | undefined;
  write(bytes: Uint8Array): Promise<void>;
  /** One byte per write, each awaited: a slow client, without sleeping. */
  writeSlowly(bytes: Uint8Array): Promise<void>;
  /** Sends a close frame (1000) and waits for the socket to close. */
  closeGracefully(mask: Uint8Array): Promise<void>;
  /** FIN without a close frame. */
  end(): void;
  /** Abrupt close (RST-like). */
  destroy(): void;
}

export function openRaw(options: RawConnectOptions): RawConnection {
  const socket: Socket =
    options.scheme === "wss"
      ? tlsConnect({ host: "127.0.0.1", port: options.port, ...(options.ca ? { ca: options.ca } : {}), servername: "localhost" })
      : netConnect({ host: "127.0.0.1", port: options.port });
  socket.setNoDelay(true);
  const messages: ReceivedMessage[] = [];
  const waiters: { count: number; resolve: (ok: boolean) => void }[] = [];
  let head: Buffer | undefined = Buffer.alloc(0);
  let buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentOpcode = 0;
  let isClosed = false;
  let closeCode: number | undefined;
  let sentClose = false;
  let resolveStatus: (status: number | undefined) => void = () => undefined;
  const status = new Promise<number | undefined>((resolve) => (resolveStatus = resolve));
  const closed = new Promise<void>((resolve) =>
    socket.on("close", () => {
      isClosed = true;
      resolveStatus(undefined);
      for (const w of waiters.splice(0)) w.resolve(false);
      resolve();
    }),
  );
  socket.on("error", () => socket.destroy());

  const wake = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (messages.length >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve(true);
    }
  };
  const sendControl = (opcode: number, payload: Buffer): void => {
    if (!socket.writable) return;
    socket.write(encodeFrame({ opcode, payload, mask: Buffer.from([0x11, 0x22, 0x33, 0x44]) }));
  };
  const onFrame = (fin: boolean, opcode: number, payload: Buffer): void => {
    if (opcode === OP.ping) return sendControl(OP.pong, payload);
    if (opcode === OP.pong) return;
    if (opcode === OP.close) {
      closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      if (!sentClose) {
        sentClose = true;
        sendControl(OP.close, payload.subarray(0, 2));
      }
      socket.end();
      return;
    }
    if (opcode !== OP.continuation) fragmentOpcode = opcode;
    fragments.push(payload);
    if (!fin) return;
    messages.push({ kind: fragmentOpcode === OP.binary ? "binary" : "text", data: Buffer.concat(fragments) });
    fragments = [];
    wake();
  };
  const parseFrames = (): void => {
    for (;;) {
      if (buffer.length < 2) return;
      const fin = (buffer[0]! & 0x80) !== 0;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if ((buffer[1]! & 0x80) !== 0) offset += 4; // a server never masks; tolerate it rather than desync
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      onFrame(fin, opcode, Buffer.from(payload));
    }
  };
  socket.on("data", (chunk: Buffer) => {
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const statusLine = head.subarray(0, head.indexOf("\r\n")).toString("latin1");
      const code = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      resolveStatus(Number.isFinite(code) ? code : undefined);
      const rest = head.subarray(end + 4);
      head = undefined;
      if (code !== 101) return;
      buffer = Buffer.from(rest);
    } else {
      buffer = Buffer.concat([buffer, chunk]);
    }
    parseFrames();
  });

  const write = (bytes: Uint8Array): Promise<void> =>
    new Promise((resolve) => {
      if (!socket.writable) return resolve();
      socket.write(bytes, () => resolve());
    });

  return {
    status,
    messages,
    waitForMessages(count) {
      if (messages.length >= count) return Promise.resolve(true);
      if (isClosed) return Promise.resolve(false);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    closed,
    get isClosed() {
      return isClosed;
    },
    get closeCode() {
      return closeCode;
    },
    write,
    async writeSlowly(bytes) {
      for (let i = 0; i < bytes.length && socket.writable; i++) await write(bytes.subarray(i, i + 1));
    },
    async closeGracefully(mask) {
      if (!sentClose && socket.writable) {
        sentClose = true;
        socket.write(encodeFrame({ opcode: OP.close, payload: Buffer.from([0x03, 0xe8]), mask }));
      }
      await closed;
    },
    end: () => socket.end(),
    destroy: () => socket.destroy(),
  };
}
