/**
 * Issue 15: the vendor adapters' translation (no sockets): what each documented call shape becomes, and the policy
 * keys that turn the adapters on.
 */
import { describe, expect, it } from "vitest";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import { parseSignPluginV2, renderSignPluginV2 } from "../../../../main/core/compat/signplugin/signplugin-v2-wire.js";
import { planSignPlugin, SIGNPLUGIN_ERRORS } from "../../../../main/core/compat/signplugin/signplugin-wire.js";
import { planVgca, renderVgcaError, signatureElement, VGCA_STATUS } from "../../../../main/core/compat/vgca/vgca-wire.js";
import { signParamsSchema } from "../../../../main/core/bridge/sign-params.js";

const HASH = Buffer.alloc(32, 7).toString("base64");

describe("policy: compatibility keys", () => {
  it("off by default; origins normalised; unknown keys refused (strict)", () => {
    expect(policySchema.parse({}).compatibility).toEqual({ vgca: { origins: [] }, signplugin: { origins: [] } });
    expect(policySchema.parse({ compatibility: { vgca: { origins: ["HTTPS://Egov.Example.vn/"] } } }).compatibility.vgca.origins).toEqual(["https://egov.example.vn"]);
    expect(policySchema.safeParse({ compatibility: { vnpt: { origins: [] } } }).success).toBe(false);
    expect(policySchema.safeParse({ compatibility: { vgca: { origins: ["https://a.vn/path"] } } }).success).toBe(false);
    expect(policySchema.safeParse({ compatibility: { vgca: { origins: [], ports: [1] } } }).success).toBe(false);
  });
});

describe("VGCA: documented shapes → KySo requests the bridge's own schema accepts", () => {
  const signParams = (plan: ReturnType<typeof planVgca>): unknown => (plan.kind === "sign" ? plan.params : undefined);

  it("SignMsg base64, SignMsg {HashAlg, HashValue, Encode}, SignHash, SignJson, SignXML", () => {
    const plans = [
      planVgca("SignMsg", "aGVsbG8="),
      planVgca("SignMsg", JSON.stringify({ HashAlg: "SHA256", HashValue: HASH, Encode: "RSA" })),
      planVgca("SignHash", HASH),
      planVgca("SignJson", '{"a":1}'),
      planVgca("SignXML", JSON.stringify({ Base64Content: "PGEvPg==", ReturnSignatureOnly: "true", HashAlg: "Sha256", XmlDsigForm: "false" })),
    ];
    for (const plan of plans) expect(signParamsSchema.safeParse(signParams(plan)).success).toBe(true);
    expect(plans[1]).toMatchObject({ params: { format: "raw", hash: HASH, hashAlgorithm: "SHA256" } });
    expect(plans[4]).toMatchObject({ params: { format: "xades" }, render: "xml-signature-only" });
  });

  it("refuses what it cannot translate with a vendor Status, never an exception", () => {
    expect(planVgca("SignMsg", "not base64!")).toMatchObject({ kind: "reply", reply: { Status: VGCA_STATUS.invalidInput } });
    expect(planVgca("SignMsg", JSON.stringify({ HashValue: HASH, Encode: "PKCS7" }))).toMatchObject({ reply: { Status: VGCA_STATUS.notSupported } });
    expect(planVgca("SignXML", JSON.stringify({ Base64Content: "PGEvPg==", HashAlg: "SHA1" }))).toMatchObject({ reply: { Status: VGCA_STATUS.notSupported } });
    expect(planVgca("SignJson", "{")).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
    expect(planVgca("SignIssued", "{}")).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } }); // a file flow without its URLs
    expect(planVgca("SignIncome", "{}")).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } }); // every file flow is emulated now
    expect(renderVgcaError({ code: 1001, message: "declined", data: { name: "user_rejected", retriable: false } })).toEqual({ Status: 1, Message: "declined" });
  });

  it("signatureElement cuts the last (KySo's) Signature, prefixed or not", () => {
    const xml = '<r><Signature xmlns="x">page</Signature><Signature xmlns="x">ours</Signature></r>';
    expect(signatureElement(xml)).toBe('<Signature xmlns="x">ours</Signature>');
    expect(signatureElement('<r><ds:Signature xmlns:ds="x">v</ds:Signature></r>')).toBe('<ds:Signature xmlns:ds="x">v</ds:Signature>');
    expect(signatureElement("<r/>")).toBeUndefined();
  });
});

describe("SignPlugin: documented shapes → KySo requests", () => {
  it("signHash: HashOpt 2 with a hex SHA-256 signs; 0 (SHA-1) and 1 (MD5) are refused with their own code", () => {
    const hex = "ab".repeat(32);
    const plan = planSignPlugin("signHash", new URLSearchParams({ HashVal: hex, HashOpt: "2" }));
    expect(plan).toMatchObject({ kind: "sign", params: { format: "raw", hash: Buffer.from(hex, "hex").toString("base64"), hashAlgorithm: "SHA-256" } });
    expect(signParamsSchema.safeParse(plan.kind === "sign" ? plan.params : undefined).success).toBe(true);
    expect(planSignPlugin("signHash", new URLSearchParams({ HashVal: "ab".repeat(20), HashOpt: "0" }))).toEqual({ kind: "refuse", code: SIGNPLUGIN_ERRORS.hashAlgorithmRefused });
    expect(planSignPlugin("signHash", new URLSearchParams({ HashVal: "ab".repeat(16), HashOpt: "1" }))).toEqual({ kind: "refuse", code: SIGNPLUGIN_ERRORS.hashAlgorithmRefused });
    expect(planSignPlugin("signHash", new URLSearchParams({ HashVal: "zz", HashOpt: "2" }))).toEqual({ kind: "refuse", code: SIGNPLUGIN_ERRORS.invalidInput });
  });

  it("field names are case-insensitive; signXMLData keeps text as text and base64 as base64", () => {
    expect(planSignPlugin("Sign", new URLSearchParams({ data: "aGk=" }))).toMatchObject({ kind: "sign", params: { document: "aGk=" } });
    expect(planSignPlugin("signXMLData", new URLSearchParams({ XmlData: "<a/>" }))).toMatchObject({ render: "xml-text", params: { format: "xmldsig", document: "PGEvPg==" } });
    expect(planSignPlugin("signXMLData", new URLSearchParams({ xmldata: "PGEvPg==" }))).toMatchObject({ render: "xml-base64" });
    expect(planSignPlugin("getSession", new URLSearchParams({ dlls: "C:\\x.dll" }))).toEqual({ kind: "session" });
  });
});

describe("VGCA file flows and SignPlugin v2: wire translation", () => {
  const urls = { FileUploadHandler: "https://x.vn/up", FileName: "https://x.vn/a.pdf" };

  it("SignPDF/SignApproved stamp on the last page; SignIssued puts number and date on page 1 (appendix layout); empty FileName: the user picks", () => {
    expect(planVgca("SignPDF", JSON.stringify(urls))).toMatchObject({ kind: "file", request: { endpoint: "SignPDF", fileNames: ["https://x.vn/a.pdf"], options: { visible: { page: "last" } } } });
    expect(planVgca("SignIssued", JSON.stringify({ ...urls, DocNumber: "12/QĐ", IssuedDate: "02/12/2026" }))).toMatchObject({
      kind: "file",
      request: { options: { reason: "Số: 12/QĐ, ngày 02/12/2026", preset: { name: "appendix", documentNumber: "Số: 12/QĐ, ngày 02/12/2026" } } },
    });
    expect(planVgca("SignIssued", JSON.stringify({ ...urls, DocNumber: "12\u0007/QĐ", IssuedDate: "x" }))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
    expect(planVgca("SignApproved", JSON.stringify({ ...urls, FileName: "" }))).toMatchObject({ kind: "file", request: { fileNames: [] } });
  });

  it("SignAppendix, SignCopy, SignIncome, Comment map onto the Decree 30 presets; what a stamp needs is checked before anything", () => {
    expect(planVgca("SignAppendix", JSON.stringify({ ...urls, DocNumber: "5/PL" }))).toMatchObject({ request: { options: { preset: { name: "appendix", documentNumber: "5/PL" } } } });
    expect(planVgca("SignAppendix", JSON.stringify(urls))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
    const meta = (pairs: Record<string, string>) => Object.entries(pairs).map(([Key, Value]) => ({ Key, Value }));
    expect(planVgca("SignCopy", JSON.stringify({ ...urls, MetaData: meta({ organisation: "UBND xã A", CopyKind: "sao-luc" }) }))).toMatchObject({
      request: { options: { preset: { name: "copy", copyKind: "sao-luc", organisation: "UBND xã A" } } },
    });
    expect(planVgca("SignCopy", JSON.stringify(urls))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
    expect(planVgca("SignCopy", JSON.stringify({ ...urls, MetaData: meta({ Organisation: "A", CopyKind: "photo" }) }))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
    expect(planVgca("SignIncome", JSON.stringify({ ...urls, DocNumber: "88" }))).toMatchObject({ request: { options: { preset: { name: "income", documentNumber: "88" } } } });
    expect(planVgca("Comment", JSON.stringify({ ...urls, MetaData: meta({ Comment: "Đồng ý" }) }))).toMatchObject({ request: { options: { reason: "Đồng ý", visible: { page: "last" } } } });
    expect(planVgca("Comment", JSON.stringify({ ...urls, MetaData: meta({ Comment: "a\nb" }) }))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
  });

  it("SignFiles takes several URLs (array or `;`-separated); other endpoints take one", () => {
    const two = ["https://x.vn/a.pdf", "https://x.vn/b.pdf"];
    expect(planVgca("SignFiles", JSON.stringify({ ...urls, FileName: two }))).toMatchObject({ request: { endpoint: "SignFiles", fileNames: two } });
    expect(planVgca("SignFiles", JSON.stringify({ ...urls, FileName: two.join(";") }))).toMatchObject({ request: { fileNames: two } });
    expect(planVgca("SignPDF", JSON.stringify({ ...urls, FileName: two }))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
    expect(planVgca("SignFiles", JSON.stringify({ ...urls, FileName: Array.from({ length: 21 }, (_, i) => `https://x.vn/${i}.pdf`) }))).toMatchObject({ reply: { Status: VGCA_STATUS.invalidInput } });
  });

  it("v2 envelope: OperationId (number, digits or v1 name) selects the v1 function; other keys become its fields", () => {
    const wrap = (m: unknown) => new URLSearchParams({ request: Buffer.from(JSON.stringify(m)).toString("base64") });
    const parsed = parseSignPluginV2(wrap({ OperationId: 3, HashVal: "ab", HashOpt: 2, nested: { a: 1 } }));
    expect(parsed).toMatchObject({ ok: true, fn: "signHash", operationId: 3 });
    expect(parsed.ok && [...parsed.form]).toEqual([["HashVal", "ab"], ["HashOpt", "2"]]);
    expect(parseSignPluginV2(wrap({ OperationId: "5" }))).toMatchObject({ ok: true, fn: "signXMLData" });
    expect(parseSignPluginV2(wrap({ OperationId: "sign" }))).toMatchObject({ ok: true, fn: "Sign" });
    expect(parseSignPluginV2(wrap({ OperationId: 0 }))).toMatchObject({ ok: false, reply: { ResponseCode: SIGNPLUGIN_ERRORS.notSupported } });
    expect(parseSignPluginV2(new URLSearchParams({ request: "e30!" }))).toMatchObject({ ok: false, reply: { OperationId: null, ResponseCode: SIGNPLUGIN_ERRORS.invalidInput } });
    expect(renderSignPluginV2(4, SIGNPLUGIN_ERRORS.cancelled, "ignored")).toEqual({ OperationId: 4, ResponseCode: 2, ResponseMsg: "declined by the user", Data: "" });
  });
});
