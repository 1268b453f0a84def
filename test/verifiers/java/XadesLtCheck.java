import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.xml.security.c14n.Canonicalizer;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * XAdES B-T (SignatureTimeStamp over the canonicalised ds:SignatureValue, canonicalised here by Santuario with the
 * method the timestamp names) and B-LT (CertificateValues, RevocationValues with a good OCSP response for the
 * signer's and the TSA's certificates; with --expect-crl-for-intermediates, CRLValues about the intermediates).
 */
final class XadesLtCheck {
  private XadesLtCheck() {}

  static Map<String, Object> check(Element sigEl, X509Certificate cert, boolean expectTimestamp, boolean expectLt, List<Object> errors)
      throws Exception {
    Map<String, Object> r = Json.obj();
    TimeStampToken token = null;
    NodeList stamps = sigEl.getElementsByTagNameNS(XmlCheck.XADES, "SignatureTimeStamp");
    r.put("signatureTimeStamps", stamps.getLength());
    if (stamps.getLength() > 0) {
      Element stamp = (Element) stamps.item(0);
      Element method = XadesCheck.first(stamp, XmlCheck.DS, "CanonicalizationMethod");
      String alg = method == null ? Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS : method.getAttribute("Algorithm");
      Element value = XadesCheck.first(sigEl, XmlCheck.DS, "SignatureValue");
      byte[] canonical = Canonicalizer.getInstance(alg).canonicalizeSubtree(value);
      Element encapsulated = XadesCheck.first(stamp, XmlCheck.XADES, "EncapsulatedTimeStamp");
      token = new TimeStampToken(new CMSSignedData(Base64.getMimeDecoder().decode(encapsulated.getTextContent().trim())));
      Map<String, Object> t = CmsCheck.checkToken(token, canonical);
      r.put("timestamp", t);
      for (Object e : (List<?>) t.get("errors")) errors.add("SignatureTimeStamp: " + e);
    } else if (expectTimestamp) {
      errors.add("no xades:SignatureTimeStamp");
    }
    if (!expectLt) return r;
    List<X509CertificateHolder> certs = new ArrayList<>();
    NodeList certEls = sigEl.getElementsByTagNameNS(XmlCheck.XADES, "EncapsulatedX509Certificate");
    for (int i = 0; i < certEls.getLength(); i++) {
      certs.add(new X509CertificateHolder(Base64.getMimeDecoder().decode(certEls.item(i).getTextContent().trim())));
    }
    List<OCSPResp> responses = new ArrayList<>();
    NodeList ocspEls = sigEl.getElementsByTagNameNS(XmlCheck.XADES, "EncapsulatedOCSPValue");
    for (int i = 0; i < ocspEls.getLength(); i++) {
      responses.add(LtvCheck.ocsp(Base64.getMimeDecoder().decode(ocspEls.item(i).getTextContent().trim())));
    }
    r.put("certificateValues", certs.size());
    r.put("ocspValues", responses.size());
    for (String e : LtvCheck.checkOcspFor(new X509CertificateHolder(cert.getEncoded()), responses, certs, r)) errors.add("signer: " + e);
    List<byte[]> crls = new ArrayList<>();
    NodeList crlEls = sigEl.getElementsByTagNameNS(XmlCheck.XADES, "EncapsulatedCRLValue");
    for (int i = 0; i < crlEls.getLength(); i++) crls.add(Base64.getMimeDecoder().decode(crlEls.item(i).getTextContent().trim()));
    r.put("crlValues", crls.size());
    ChainCrlCheck.check(certs, crls, r, errors);
    if (token == null) {
      errors.add("B-LT without a signature timestamp");
      return r;
    }
    @SuppressWarnings("unchecked")
    java.util.Collection<X509CertificateHolder> tsa = token.getCertificates().getMatches(token.getSID());
    if (tsa.isEmpty()) errors.add("TSA certificate not in the token");
    else for (String e : LtvCheck.checkOcspFor(tsa.iterator().next(), responses, certs, Json.obj())) errors.add("TSA: " + e);
    return r;
  }
}
