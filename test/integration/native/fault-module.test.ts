import { execFile } from "node:child_process";
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pkcs11js from "pkcs11js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildFaultModule } from "../../../native/fault-module/build.js";
import { startFaultChild, type FaultChild } from "./fault-harness.js";

const run = promisify(execFile);
const SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so";
const PIN = "1234";
const CKS_RO_PUBLIC_SESSION = 0;
const CKS_RO_USER_FUNCTIONS = 1;
const CKF_TOKEN_PRESENT = 1; // pkcs11js has it at run time, but not in its types
const SHA256_RSA = { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS };
const DATA = Buffer.from("KySo fault module: Ký số");

let dir: string;
let modulePath: string;
let publicKey: KeyObject;
let fileCount = 0;
const children: FaultChild[] = [];

/** One SoftHSM token per label, in this file's own token directory; "Fault A" gets an RSA key with id 01. */
async function provision(): Promise<void> {
  const env = { ...process.env, SOFTHSM2_CONF: join(dir, "softhsm2.conf") };
  await writeFile(env.SOFTHSM2_CONF, `directories.tokendir = ${join(dir, "tokens")}\n`);
  await run("mkdir", ["-p", join(dir, "tokens")]);
  for (const label of ["Fault A", "Fault B"]) {
    const args = ["--init-token", "--free", "--label", label, "--so-pin", "87654321", "--pin", PIN];
    await run("softhsm2-util", args, { env });
  }
  await run(
    "pkcs11-tool",
    ["--module", SOFTHSM, "--token-label", "Fault A", "--login", "--pin", PIN]
      .concat(["--keypairgen", "--key-type", "rsa:2048", "--id", "01", "--label", "K"]),
    { env },
  );
}

interface Fixture {
  child: FaultChild;
  /** Replaces the control file atomically, so a call never reads it half-written. */
  control(text: string): Promise<void>;
  /** Function names the module logged, one per call. */
  calls(): Promise<string[]>;
}

async function start(control = "", env: Record<string, string> = {}): Promise<Fixture> {
  const id = ++fileCount;
  const controlPath = join(dir, `control-${id}.txt`);
  const logPath = join(dir, `calls-${id}.log`);
  const setControl = async (text: string) => {
    await writeFile(`${controlPath}.tmp`, text);
    await rename(`${controlPath}.tmp`, controlPath);
  };
  await setControl(control);
  const child = await startFaultChild(modulePath, {
    SOFTHSM2_CONF: join(dir, "softhsm2.conf"),
    KYSO_FAULT_CONTROL: controlPath,
    KYSO_FAULT_LOG: logPath,
    ...env,
  });
  children.push(child);
  await child.call("C_Initialize", { flags: pkcs11js.CKF_OS_LOCKING_OK });
  const calls = async () => (await readFile(logPath, "utf8").catch(() => "")).split("\n").filter(Boolean);
  return { child, control: setControl, calls };
}

async function slotOf(child: FaultChild, label: string): Promise<Buffer> {
  for (const slot of await child.call<Buffer[]>("C_GetSlotList", true)) {
    const info = await child.call<{ label: string }>("C_GetTokenInfo", slot);
    if (info.label.trim() === label) return slot;
  }
  throw new Error(`no token ${label}`);
}

async function findKey(child: FaultChild, session: Buffer, cls: number): Promise<Buffer> {
  await child.call("C_FindObjectsInit", session, [
    { type: pkcs11js.CKA_CLASS, value: cls },
    { type: pkcs11js.CKA_ID, value: Buffer.from([1]) },
  ]);
  const [key] = await child.call<Buffer[]>("C_FindObjects", session, 1);
  await child.call("C_FindObjectsFinal", session);
  if (!key) throw new Error("key 01 not found");
  return key;
}

/** Opens a session on "Fault A", optionally logged in, and finds its private key. */
async function openSigner(child: FaultChild, pin: string | null = PIN) {
  const slot = await slotOf(child, "Fault A");
  const session = await child.call<Buffer>("C_OpenSession", slot, pkcs11js.CKF_SERIAL_SESSION);
  if (pin !== null) await child.call("C_Login", session, pkcs11js.CKU_USER, pin);
  const key = await findKey(child, session, pkcs11js.CKO_PRIVATE_KEY);
  return { slot, session, key };
}

async function sign(child: FaultChild, session: Buffer, key: Buffer): Promise<Buffer> {
  await child.call("C_SignInit", session, SHA256_RSA, key);
  return child.call<Buffer>("C_Sign", session, DATA, Buffer.alloc(256));
}

const ckr = (code: number) => expect.objectContaining({ code });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-fault-"));
  [modulePath] = await Promise.all([buildFaultModule(), provision()]);
  const { child } = await start();
  const slot = await slotOf(child, "Fault A");
  const session = await child.call<Buffer>("C_OpenSession", slot, pkcs11js.CKF_SERIAL_SESSION);
  const key = await findKey(child, session, pkcs11js.CKO_PUBLIC_KEY);
  const [n, e] = await child.call<{ value: Buffer }[]>("C_GetAttributeValue", session, key, [
    { type: pkcs11js.CKA_MODULUS },
    { type: pkcs11js.CKA_PUBLIC_EXPONENT },
  ]);
  publicKey = createPublicKey({
    key: { kty: "RSA", n: n!.value.toString("base64url"), e: e!.value.toString("base64url") },
    format: "jwk",
  });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("fault module: passthrough", () => {
  it("no control lines: a signature made through the module verifies with the token's public key", async () => {
    const { child, calls } = await start();
    const { session, key } = await openSigner(child);
    const signature = await sign(child, session, key);
    expect(verify("sha256", DATA, publicKey, signature)).toBe(true);
    expect(await calls()).toEqual(expect.arrayContaining(["C_GetFunctionList", "C_Initialize", "C_Login", "C_Sign"]));
  });

  it("concurrent async signatures on four sessions all verify (delays run in parallel, not under a lock)", async () => {
    const { child } = await start("delay C_Sign 500\n");
    // One login serves every session of the token, so only the first session logs in.
    const signers = [await openSigner(child)];
    for (let i = 0; i < 3; i++) signers.push(await openSigner(child, null));
    for (const { session, key } of signers) await child.call("C_SignInit", session, SHA256_RSA, key);
    const started = Date.now();
    const signatures = await Promise.all(
      signers.map(({ session }) => child.call<Buffer>("C_SignAsync", session, DATA, Buffer.alloc(256))),
    );
    expect(Date.now() - started).toBeLessThan(1600); // one after another would take 2000 ms
    for (const signature of signatures) expect(verify("sha256", DATA, publicKey, signature)).toBe(true);
  });
});

describe("fault module: call rules", () => {
  it("fail C_Login CKR_PIN_INCORRECT: the error comes back and exactly one C_Login is logged", async () => {
    const { child, calls } = await start("fail C_Login CKR_PIN_INCORRECT\n");
    const slot = await slotOf(child, "Fault A");
    const session = await child.call<Buffer>("C_OpenSession", slot, pkcs11js.CKF_SERIAL_SESSION);
    const login = child.call("C_Login", session, pkcs11js.CKU_USER, PIN);
    await expect(login).rejects.toEqual(ckr(pkcs11js.CKR_PIN_INCORRECT));
    expect((await calls()).filter((name) => name === "C_Login")).toHaveLength(1);
    const info = await child.call<{ state: number }>("C_GetSessionInfo", session);
    expect(info.state).toBe(CKS_RO_PUBLIC_SESSION);
  });

  it("fail ... 0x hex once: only the next call fails, and rewriting the file re-arms it", async () => {
    const { child, control } = await start();
    const { session, key } = await openSigner(child);
    await control("fail C_Sign 0x000000E0 once   # CKR_TOKEN_NOT_PRESENT\n");
    await expect(sign(child, session, key)).rejects.toEqual(ckr(pkcs11js.CKR_TOKEN_NOT_PRESENT));
    expect(verify("sha256", DATA, publicKey, await sign(child, session, key))).toBe(true);
    await control("fail C_Sign 0x000000E0 once\n");
    await expect(sign(child, session, key)).rejects.toEqual(ckr(pkcs11js.CKR_TOKEN_NOT_PRESENT));
  });

  it("delay C_Sign 400: the call returns, late", async () => {
    const { child } = await start("delay C_Sign 400\n");
    const { session, key } = await openSigner(child);
    await child.call("C_SignInit", session, SHA256_RSA, key);
    const started = Date.now();
    await child.call("C_Sign", session, DATA, Buffer.alloc(256));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it("hang C_Sign: the child never answers, and can be killed", async () => {
    const { child, calls } = await start("hang C_Sign\n");
    const { session, key } = await openSigner(child);
    await child.call("C_SignInit", session, SHA256_RSA, key);
    expect(await child.callWithin(800, "C_Sign", session, DATA, Buffer.alloc(256))).toBe("timeout");
    expect((await calls()).at(-1)).toBe("C_Sign");
    expect(await child.kill()).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("crash C_Sign: the child dies of SIGABRT and the log still shows the call", async () => {
    const { child, calls } = await start("crash C_Sign\n");
    const { session, key } = await openSigner(child);
    await child.call("C_SignInit", session, SHA256_RSA, key);
    await expect(child.call("C_Sign", session, DATA, Buffer.alloc(256))).rejects.toThrow(/child exited/);
    expect(await child.exited).toEqual({ code: null, signal: "SIGABRT" });
    expect((await calls()).at(-1)).toBe("C_Sign");
  });

  it("a line the module does not understand is reported on stderr, not silently ignored", async () => {
    const { child } = await start("fail C_Lgoin CKR_PIN_INCORRECT\n");
    await child.call("C_GetSlotList", true);
    expect(child.stderr()).toMatch(/control line 1 ignored: unknown function/);
  });
});

describe("fault module: PIN state", () => {
  it("pin-flags count-low final-try: both flags show in C_GetTokenInfo", async () => {
    const { child } = await start("pin-flags count-low final-try\n");
    const info = await child.call<{ flags: number }>("C_GetTokenInfo", await slotOf(child, "Fault A"));
    expect(info.flags & pkcs11js.CKF_USER_PIN_COUNT_LOW).toBeTruthy();
    expect(info.flags & pkcs11js.CKF_USER_PIN_FINAL_TRY).toBeTruthy();
    expect(info.flags & pkcs11js.CKF_USER_PIN_LOCKED).toBeFalsy();
  });

  it("pin-flags locked: the flag shows and C_Login returns CKR_PIN_LOCKED, even with the right PIN", async () => {
    const { child } = await start("pin-flags locked\n");
    const slot = await slotOf(child, "Fault A");
    const info = await child.call<{ flags: number }>("C_GetTokenInfo", slot);
    expect(info.flags & pkcs11js.CKF_USER_PIN_LOCKED).toBeTruthy();
    const session = await child.call<Buffer>("C_OpenSession", slot, pkcs11js.CKF_SERIAL_SESSION);
    await expect(child.call("C_Login", session, pkcs11js.CKU_USER, PIN)).rejects.toEqual(ckr(pkcs11js.CKR_PIN_LOCKED));
  });

  it("protected-auth-path: the flag shows and an empty PIN logs in with the PIN typed on the pad", async () => {
    const { child } = await start("protected-auth-path\n");
    const slot = await slotOf(child, "Fault A");
    const info = await child.call<{ flags: number }>("C_GetTokenInfo", slot);
    expect(info.flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH).toBeTruthy();
    const { session, key } = await openSigner(child, "");
    expect(verify("sha256", DATA, publicKey, await sign(child, session, key))).toBe(true);
  });

  it("protected-auth-path with a wrong pad PIN: SoftHSM refuses it as CKR_PIN_INCORRECT", async () => {
    const { child } = await start("protected-auth-path\n", { KYSO_FAULT_PAD_PIN: "0000" });
    await expect(openSigner(child, "")).rejects.toEqual(ckr(pkcs11js.CKR_PIN_INCORRECT));
  });
});

describe("fault module: always-authenticate", () => {
  it("the private key reports CKA_ALWAYS_AUTHENTICATE true", async () => {
    const { child } = await start("always-authenticate\n");
    const { session, key } = await openSigner(child);
    const [attr] = await child.call<{ value: Buffer }[]>("C_GetAttributeValue", session, key, [
      { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE },
    ]);
    expect(attr!.value[0]).toBe(1);
  });

  it("C_Sign with no context-specific login after C_SignInit: CKR_USER_NOT_LOGGED_IN, operation ended", async () => {
    const { child } = await start("always-authenticate\n");
    const { session, key } = await openSigner(child);
    await expect(sign(child, session, key)).rejects.toEqual(ckr(pkcs11js.CKR_USER_NOT_LOGGED_IN));
    // Ended, so a fresh C_SignInit is accepted (no CKR_OPERATION_ACTIVE).
    await child.call("C_SignInit", session, SHA256_RSA, key);
  });

  it("C_SignInit, C_Login(CKU_CONTEXT_SPECIFIC) with the user PIN, C_Sign: the signature verifies", async () => {
    const { child } = await start("always-authenticate\n");
    const { session, key } = await openSigner(child);
    await child.call("C_SignInit", session, SHA256_RSA, key);
    await expect(child.call("C_Login", session, pkcs11js.CKU_CONTEXT_SPECIFIC, "9999")).rejects.toEqual(
      ckr(pkcs11js.CKR_PIN_INCORRECT),
    );
    await child.call("C_Login", session, pkcs11js.CKU_CONTEXT_SPECIFIC, PIN);
    const signature = await child.call<Buffer>("C_Sign", session, DATA, Buffer.alloc(256));
    expect(verify("sha256", DATA, publicKey, signature)).toBe(true);
    // The login covered one operation only.
    await expect(sign(child, session, key)).rejects.toEqual(ckr(pkcs11js.CKR_USER_NOT_LOGGED_IN));
  });
});

describe("fault module: unplugging", () => {
  it("token absent: no token slots, CKR_DEVICE_REMOVED on open sessions; token present: back, logged out", async () => {
    const { child, control } = await start();
    const { slot, session, key } = await openSigner(child);
    await control("token absent\n");
    expect(await child.call("C_GetSlotList", true)).toEqual([]);
    expect((await child.call<{ flags: number }>("C_GetSlotInfo", slot)).flags & CKF_TOKEN_PRESENT).toBe(0);
    await expect(sign(child, session, key)).rejects.toEqual(ckr(pkcs11js.CKR_DEVICE_REMOVED));
    await expect(child.call("C_GetTokenInfo", slot)).rejects.toEqual(ckr(pkcs11js.CKR_TOKEN_NOT_PRESENT));
    await expect(child.call("C_OpenSession", slot, pkcs11js.CKF_SERIAL_SESSION)).rejects.toEqual(
      ckr(pkcs11js.CKR_TOKEN_NOT_PRESENT),
    );

    await control("token present\n");
    expect(await slotOf(child, "Fault A")).toEqual(slot);
    await expect(child.call("C_GetSessionInfo", session)).rejects.toEqual(ckr(pkcs11js.CKR_SESSION_HANDLE_INVALID));
    const fresh = await child.call<Buffer>("C_OpenSession", slot, pkcs11js.CKF_SERIAL_SESSION);
    expect((await child.call<{ state: number }>("C_GetSessionInfo", fresh)).state).toBe(CKS_RO_PUBLIC_SESSION);
    await child.call("C_Login", fresh, pkcs11js.CKU_USER, PIN);
    expect((await child.call<{ state: number }>("C_GetSessionInfo", fresh)).state).toBe(CKS_RO_USER_FUNCTIONS);
  });

  it("token absent <label>: only that token leaves, the other stays", async () => {
    const { child, control } = await start();
    const b = await slotOf(child, "Fault B");
    await control("token absent Fault A\n");
    const labels = [];
    for (const slot of await child.call<Buffer[]>("C_GetSlotList", true)) {
      labels.push((await child.call<{ label: string }>("C_GetTokenInfo", slot)).label.trim());
    }
    expect(labels).toContain("Fault B");
    expect(labels).not.toContain("Fault A");
    expect(await slotOf(child, "Fault B")).toEqual(b);

    // A number is an index into the real module's C_GetSlotList(CK_FALSE).
    await control("token absent 1\n");
    const all = await child.call<Buffer[]>("C_GetSlotList", false);
    const present = await child.call<Buffer[]>("C_GetSlotList", true);
    expect(present).not.toContainEqual(all[1]);
    expect(present).toContainEqual(all[0]);
  });

  it("slot-events: C_WaitForSlotEvent reports the slot that changed; without the line, not supported", async () => {
    const { child, control } = await start();
    const a = await slotOf(child, "Fault A");
    await expect(child.call("C_WaitForSlotEvent", pkcs11js.CKF_DONT_BLOCK)).rejects.toEqual(
      ckr(pkcs11js.CKR_FUNCTION_NOT_SUPPORTED),
    );
    await control("slot-events\n");
    expect(await child.call("C_WaitForSlotEvent", pkcs11js.CKF_DONT_BLOCK)).toBeNull();
    await control("slot-events\ntoken absent Fault A\n");
    expect(await child.call("C_WaitForSlotEvent", pkcs11js.CKF_DONT_BLOCK)).toEqual(a);
    expect(await child.call("C_WaitForSlotEvent", pkcs11js.CKF_DONT_BLOCK)).toBeNull();
  });
});
