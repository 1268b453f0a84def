/* global window, document, location, Option */
// The demo portal: plain browser JavaScript over the SDK (served as /sdk/index.js). Also the page the e2e
// tests drive: `window.kysoSdk` is the SDK module, `window.kyso` the connected client.
import * as sdk from "./sdk/index.js";

window.kysoSdk = sdk;
const log = document.getElementById("log");
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const ports = params.get("ports") ? JSON.parse(params.get("ports")) : undefined;

function show(label, value) {
  const line = document.createElement("div");
  if (value instanceof Error) {
    line.className = "error";
    line.textContent = `${label}: ${value.name} (${value.code}) ${value.message}\n  ${value.guidance ?? ""}`;
  } else {
    const text = JSON.stringify(value, null, 2);
    line.textContent = `${label}: ${text.length > 4000 ? text.slice(0, 4000) + "…" : text}`;
  }
  log.prepend(line);
}

async function run(label, action) {
  try {
    const value = await action();
    show(label, value);
    return value;
  } catch (error) {
    show(label, error);
    throw error;
  }
}

async function client() {
  if (!window.kyso) {
    window.kyso = await sdk.connect(ports ? { ports } : {});
    window.kyso.on("tokensChanged", (event) => show("tokensChanged", event));
  }
  return window.kyso;
}

async function fileBase64() {
  const file = $("file").files[0];
  const bytes = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode("Xin chào KySo");
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { base64: btoa(binary), bytes, name: file?.name ?? "hello.txt" };
}

const certificateId = () => $("certificate").value || undefined;

$("connect").onclick = () => run("connect", async () => (await client()).url).catch(() => {});
$("hello").onclick = () => run("hello", async () => (await client()).hello()).catch(() => {});
$("pair").onclick = () => run("pair", async () => (await client()).pair()).catch(() => {});
$("tokens").onclick = () => run("tokens.list", async () => (await client()).listTokens()).catch(() => {});
$("certificates").onclick = () =>
  run("certificates.list", async () => {
    const list = await (await client()).listCertificates({ validOnly: true });
    $("certificate").replaceChildren(new Option("(choose in KySo)", ""), ...list.map((c) => new Option(c.subject, c.id)));
    return list;
  }).catch(() => {});
$("sign").onclick = async () => {
  const { base64, name } = await fileBase64();
  run("sign", async () => (await client()).sign({ format: $("format").value, document: base64, certificateId: certificateId(), display: { fileName: name } })).catch(() => {});
};
$("sign-hash").onclick = async () => {
  const { bytes } = await fileBase64();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hash = btoa(String.fromCharCode(...digest));
  run("sign hash", async () => (await client()).sign({ format: $("format").value === "cms" ? "cms" : "raw", hash, hashAlgorithm: "SHA-256", certificateId: certificateId() })).catch(() => {});
};
$("batch").onclick = async () => {
  const { base64 } = await fileBase64();
  const items = [1, 2, 3].map((n) => ({ format: $("format").value, document: base64, display: { fileName: `copy ${n}` } }));
  run("signBatch", async () =>
    (await client()).signBatch({ items, certificateId: certificateId() }, { onProgress: (p) => show("batchProgress", p) }),
  ).catch(() => {});
};
