import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Long-term validation data checks (B-LT): an OCSP response in the embedded data names the certificate, says
 * "good", and is signed by the issuer or by a responder certificate the issuer signed.
 */
final class LtvCheck {
  private LtvCheck() {}

  static OCSPResp ocsp(byte[] der) throws Exception {
    return new OCSPResp(OCSPResponse.getInstance(der));
  }

  /** Errors for `subject` (empty when one response proves it good); the matching response is noted in `r`. */
  static List<String> checkOcspFor(X509CertificateHolder subject, List<OCSPResp> responses, Collection<X509CertificateHolder> certs, Map<String, Object> r) {
    List<String> errors = new ArrayList<>();
    X509CertificateHolder issuer = null;
    for (X509CertificateHolder c : certs) {
      if (c.getSubject().equals(subject.getIssuer()) && verifies(subject, c)) issuer = c;
    }
    if (issuer == null) {
      errors.add("the issuer of " + subject.getSubject() + " is not among the embedded certificates");
      return errors;
    }
    try {
      DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
      for (OCSPResp resp : responses) {
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) continue;
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        for (SingleResp single : basic.getResponses()) {
          CertificateID id = single.getCertID();
          if (!id.getSerialNumber().equals(subject.getSerialNumber()) || !id.matchesIssuer(issuer, digests)) continue;
          if (single.getCertStatus() != null) {
            errors.add("OCSP status of " + subject.getSubject() + " is not good");
            return errors;
          }
          if (!signedByIssuerOrDelegate(basic, issuer)) {
            errors.add("OCSP response for " + subject.getSubject() + " is not signed by its issuer or a delegated responder");
            return errors;
          }
          r.put("ocspProducedAt", CmsCheck.iso(basic.getProducedAt()));
          return errors;
        }
      }
    } catch (Exception e) {
      errors.add("OCSP check failed: " + e);
      return errors;
    }
    errors.add("no OCSP response for " + subject.getSubject() + " among " + responses.size());
    return errors;
  }

  private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509CertificateHolder issuer) throws Exception {
    if (signedBy(basic, issuer)) return true;
    for (X509CertificateHolder responder : basic.getCerts()) {
      boolean ocspSigning = responder.getExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage) != null
          && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions())
              .hasKeyPurposeId(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_OCSPSigning);
      if (ocspSigning && verifies(responder, issuer) && signedBy(basic, responder)) return true;
    }
    return false;
  }

  /** A key of another kind than the signature (an RSA issuer, an EC responder) throws: that is "not signed by". */
  private static boolean signedBy(BasicOCSPResp basic, X509CertificateHolder cert) {
    try {
      return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider("BC").build(cert));
    } catch (Exception e) {
      return false;
    }
  }

  /** CAdES B-LT: OCSP responses as id-ri-ocsp-response in RevocationInfoChoices, one about each signer and each TSA. */
  static void checkCms(org.bouncycastle.cms.CMSSignedData sd, Map<String, Object> report, List<Object> errors) throws Exception {
    List<OCSPResp> responses = new ArrayList<>();
    for (Object o : sd.getOtherRevocationInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.id_ri_ocsp_response).getMatches(null)) {
      responses.add(new OCSPResp(OCSPResponse.getInstance(o)));
    }
    report.put("ocspResponses", responses.size());
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> certs = sd.getCertificates().getMatches(null);
    checkSigners(sd, responses, certs, report, errors);
    List<byte[]> crls = new ArrayList<>();
    for (Object o : sd.getCRLs().getMatches(null)) crls.add(((org.bouncycastle.cert.X509CRLHolder) o).getEncoded());
    ChainCrlCheck.check(certs, crls, report, errors);
  }

  /** Each SignerInfo's certificate and its signature timestamp's TSA certificate must have a good OCSP response. */
  @SuppressWarnings("unchecked")
  static void checkSigners(org.bouncycastle.cms.CMSSignedData sd, List<OCSPResp> responses, Collection<X509CertificateHolder> certs, Map<String, Object> report, List<Object> errors) throws Exception {
    List<X509CertificateHolder> all = new ArrayList<>(certs);
    for (org.bouncycastle.cms.SignerInformation si : sd.getSignerInfos().getSigners()) {
      Collection<X509CertificateHolder> own = sd.getCertificates().getMatches(si.getSID());
      if (own.isEmpty()) {
        errors.add("signer certificate not embedded");
        continue;
      }
      for (String e : checkOcspFor(own.iterator().next(), responses, all, report)) errors.add("signer: " + e);
      org.bouncycastle.asn1.cms.AttributeTable unsigned = si.getUnsignedAttributes();
      org.bouncycastle.asn1.cms.Attribute ts = unsigned == null ? null : unsigned.get(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
      if (ts == null) continue;
      org.bouncycastle.tsp.TimeStampToken token = new org.bouncycastle.tsp.TimeStampToken(new org.bouncycastle.cms.CMSSignedData(ts.getAttrValues().getObjectAt(0).toASN1Primitive().getEncoded()));
      Collection<X509CertificateHolder> tsa = token.getCertificates().getMatches(token.getSID());
      if (tsa.isEmpty()) {
        errors.add("TSA certificate not in the token");
        continue;
      }
      all.addAll(token.getCertificates().getMatches(null));
      for (String e : checkOcspFor(tsa.iterator().next(), responses, all, Json.obj())) errors.add("TSA: " + e);
    }
  }

  /** PAdES B-LT: the catalog's /DSS, its streams parsed, the OCSP responses checked against every CAdES signer. */
  static void checkDss(org.apache.pdfbox.pdmodel.PDDocument doc, byte[] pdf, Map<String, Object> report, List<Object> errors) throws Exception {
    org.apache.pdfbox.cos.COSDictionary dss = doc.getDocumentCatalog().getCOSObject().getCOSDictionary(org.apache.pdfbox.cos.COSName.getPDFName("DSS"));
    if (dss == null) {
      errors.add("the catalog has no /DSS");
      return;
    }
    List<X509CertificateHolder> certs = new ArrayList<>();
    for (byte[] b : streams(dss, "Certs")) certs.add(new X509CertificateHolder(b));
    List<OCSPResp> responses = new ArrayList<>();
    for (byte[] b : streams(dss, "OCSPs")) responses.add(new OCSPResp(OCSPResponse.getInstance(b)));
    List<byte[]> crls = streams(dss, "CRLs");
    for (byte[] b : crls) new org.bouncycastle.cert.X509CRLHolder(b);
    Map<String, Object> d = Json.obj();
    d.put("certs", certs.size());
    d.put("ocsps", responses.size());
    d.put("crls", crls.size());
    report.put("dss", d);
    for (org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature s : doc.getSignatureDictionaries()) {
      if (!PdfCheck.CADES.equals(s.getSubFilter())) continue;
      org.bouncycastle.cms.CMSSignedData sd = new org.bouncycastle.cms.CMSSignedData(s.getContents(pdf));
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> inCms = sd.getCertificates().getMatches(null);
      List<X509CertificateHolder> all = new ArrayList<>(certs);
      all.addAll(inCms);
      checkSigners(sd, responses, all, d, errors);
    }
    ChainCrlCheck.check(certs, crls, d, errors);
  }

  private static List<byte[]> streams(org.apache.pdfbox.cos.COSDictionary dss, String key) throws Exception {
    List<byte[]> out = new ArrayList<>();
    org.apache.pdfbox.cos.COSArray array = (org.apache.pdfbox.cos.COSArray) dss.getDictionaryObject(key);
    if (array == null) return out;
    for (int i = 0; i < array.size(); i++) {
      org.apache.pdfbox.cos.COSStream stream = (org.apache.pdfbox.cos.COSStream) array.getObject(i);
      try (java.io.InputStream in = stream.createInputStream()) {
        out.add(in.readAllBytes());
      }
    }
    return out;
  }

  static boolean verifies(X509CertificateHolder cert, X509CertificateHolder issuer) {
    try {
      return cert.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider("BC").build(issuer));
    } catch (Exception e) {
      return false;
    }
  }
}
