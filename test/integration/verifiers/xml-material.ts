import { writeFile } from "node:fs/promises";
import { runTool } from "../../verifiers/cli-verifiers.js";
import type { SignerPki } from "./material.js";

/** XML templates that `xmlsec1 --sign` fills in: the layouts of vietnam.md, plus a minimal XAdES B-B. */

export const TAX_NS = "http://kekhaithue.gdt.gov.vn/TKhaiThue";
const C14N_WITH_COMMENTS = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/** Tax declaration (HSoThueDTu) with the signature in CKyDTu; `uri` null writes a Reference without URI. */
export function taxTemplate(uri: string | null): string {
  const uriAttr = uri === null ? "" : ` URI="${uri}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<HSoThueDTu xmlns="${TAX_NS}"><HSoKhaiThue Id="NODETOSIGN"><TTinChung><!-- kỳ 01/2025 -->Thuế GTGT</TTinChung></HSoKhaiThue><CKyDTu><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="${C14N_WITH_COMMENTS}"/><SignatureMethod Algorithm="${RSA_SHA256}"/><Reference${uriAttr}><Transforms><Transform Algorithm="${ENVELOPED}"/></Transforms><DigestMethod Algorithm="${SHA256}"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></CKyDTu></HSoThueDTu>
`;
}

/** Enveloped XAdES B-B: document reference with a DataObjectFormat, and a typed SignedProperties reference. */
export function xadesTemplate(certDigestB64: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<HDon xmlns="urn:kyso:test"><DLHDon Id="data">Hóa đơn</DLHDon><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/><ds:SignatureMethod Algorithm="${RSA_SHA256}"/><ds:Reference Id="ref-doc" URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"/><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference><ds:Reference URI="#sp" Type="http://uri.etsi.org/01903#SignedProperties"><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#sig"><xades:SignedProperties Id="sp"><xades:SignedSignatureProperties><xades:SigningTime>2025-01-01T05:00:00Z</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${SHA256}"/><ds:DigestValue>${certDigestB64}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties><xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#ref-doc"><xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></HDon>
`;
}

/** `xmlsec1 --sign` with the signer's key; idAttrs as in xmlsecVerify ("Attr [ns:]Element"). */
export async function signXml(pki: SignerPki, template: string, out: string, idAttrs: readonly string[]): Promise<void> {
  const tmpl = `${out}.tmpl`;
  await writeFile(tmpl, template);
  const args = ["--sign", "--privkey-pem", `${pki.key},${pki.cert}`, "--output", out];
  for (const spec of idAttrs) {
    const space = spec.indexOf(" ");
    args.push(`--id-attr:${spec.slice(0, space)}`, spec.slice(space + 1));
  }
  const r = await runTool("xmlsec1", [...args, tmpl]);
  if (!r.ok) throw new Error(`xmlsec1 --sign: ${r.stderr}`);
}
