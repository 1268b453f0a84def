import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.apache.xml.security.signature.SignedInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** XAdES B-B properties (ETSI EN 319 132-1): what a signature needs beyond XMLDSig to count as XAdES. */
final class XadesCheck {
  private XadesCheck() {}

  static Map<String, Object> check(Element sigEl, SignedInfo si, X509Certificate cert, boolean required,
      List<Object> errors) throws Exception {
    Map<String, Object> r = Json.obj();
    Element qp = first(sigEl, XmlCheck.XADES, "QualifyingProperties");
    r.put("present", qp != null);
    if (qp == null) {
      if (required) errors.add("no xades:QualifyingProperties");
      return r;
    }
    Element sp = first(qp, XmlCheck.XADES, "SignedProperties");
    String spId = sp == null ? null : sp.getAttribute("Id");
    r.put("signedPropertiesId", spId);
    boolean spReferenced = false;
    boolean spTyped = false;
    NodeList refs = si.getElement().getElementsByTagNameNS(XmlCheck.DS, "Reference");
    for (int i = 0; i < refs.getLength(); i++) {
      Element ref = (Element) refs.item(i);
      if (spId != null && ref.getAttribute("URI").equals("#" + spId)) {
        spReferenced = true;
        spTyped = XmlCheck.SIGNED_PROPS_TYPE.equals(ref.getAttribute("Type"));
      }
    }
    r.put("signedPropertiesReferenced", spReferenced);
    if (!spReferenced) errors.add("XAdES: SignedProperties is not covered by a Reference");
    else if (!spTyped) errors.add("XAdES: the SignedProperties Reference lacks Type=\"" + XmlCheck.SIGNED_PROPS_TYPE + "\"");
    Element st = first(qp, XmlCheck.XADES, "SigningTime");
    r.put("signingTime", st == null ? null : st.getTextContent().trim());
    if (st == null) errors.add("XAdES: no SigningTime");
    r.put("signingCertificate", signingCertificate(qp, cert, errors));
    r.put("dataObjectFormats", dataObjectFormats(qp, refs, errors));
    return r;
  }

  private static Map<String, Object> signingCertificate(Element qp, X509Certificate cert, List<Object> errors)
      throws Exception {
    Map<String, Object> r = Json.obj();
    Element sc = first(qp, XmlCheck.XADES, "SigningCertificateV2");
    r.put("version", sc != null ? "V2" : "V1");
    if (sc == null) sc = first(qp, XmlCheck.XADES, "SigningCertificate");
    Element certEl = sc == null ? null : first(sc, XmlCheck.XADES, "Cert");
    if (certEl == null) {
      errors.add("XAdES: no SigningCertificate(V2)/Cert");
      return r;
    }
    Element dm = first(certEl, XmlCheck.DS, "DigestMethod");
    Element dv = first(certEl, XmlCheck.DS, "DigestValue");
    String alg = dm == null ? null : dm.getAttribute("Algorithm");
    r.put("digestMethod", alg);
    boolean digestOk = dm != null && dv != null
        && Arrays.equals(Base64.getMimeDecoder().decode(dv.getTextContent().trim()),
            XmlCheck.digest(alg, cert.getEncoded()));
    r.put("digestMatches", digestOk);
    if (!digestOk) errors.add("XAdES: SigningCertificate digest does not match the KeyInfo certificate");
    Boolean issuerOk = null;
    Element v2 = first(certEl, XmlCheck.XADES, "IssuerSerialV2");
    Element v1 = first(certEl, XmlCheck.XADES, "IssuerSerial");
    if (v2 != null) {
      IssuerSerial is = IssuerSerial.getInstance(Base64.getMimeDecoder().decode(v2.getTextContent().trim()));
      X500Name issuer = X500Name.getInstance(cert.getIssuerX500Principal().getEncoded());
      issuerOk = is.getSerial().getValue().equals(cert.getSerialNumber());
      boolean nameOk = false;
      for (GeneralName gn : is.getIssuer().getNames()) {
        if (gn.getTagNo() == GeneralName.directoryName && X500Name.getInstance(gn.getName()).equals(issuer)) nameOk = true;
      }
      issuerOk &= nameOk;
    } else if (v1 != null) {
      Element name = first(v1, XmlCheck.DS, "X509IssuerName");
      Element serial = first(v1, XmlCheck.DS, "X509SerialNumber");
      issuerOk = name != null && serial != null
          && new java.math.BigInteger(serial.getTextContent().trim()).equals(cert.getSerialNumber())
          && new X500Principal(name.getTextContent().trim()).equals(cert.getIssuerX500Principal());
    }
    r.put("issuerSerialMatches", issuerOk);
    if (Boolean.FALSE.equals(issuerOk)) errors.add("XAdES: SigningCertificate issuer/serial does not match");
    return r;
  }

  /** Every signed data object (each Reference other than SignedProperties) needs a DataObjectFormat for B-B. */
  private static List<Object> dataObjectFormats(Element qp, NodeList refs, List<Object> errors) {
    List<Object> out = Json.arr();
    NodeList dofs = qp.getElementsByTagNameNS(XmlCheck.XADES, "DataObjectFormat");
    for (int i = 0; i < dofs.getLength(); i++) {
      Element d = (Element) dofs.item(i);
      Map<String, Object> m = Json.obj();
      m.put("objectReference", d.getAttribute("ObjectReference"));
      Element mime = first(d, XmlCheck.XADES, "MimeType");
      m.put("mimeType", mime == null ? null : mime.getTextContent().trim());
      out.add(m);
    }
    for (int i = 0; i < refs.getLength(); i++) {
      Element ref = (Element) refs.item(i);
      if (XmlCheck.SIGNED_PROPS_TYPE.equals(ref.getAttribute("Type"))) continue;
      String target = "#" + ref.getAttribute("Id");
      boolean found = false;
      for (int j = 0; j < dofs.getLength(); j++) {
        if (ref.hasAttribute("Id") && target.equals(((Element) dofs.item(j)).getAttribute("ObjectReference"))) found = true;
      }
      if (!found) errors.add("XAdES: no DataObjectFormat for Reference URI=\"" + ref.getAttribute("URI") + "\"");
    }
    return out;
  }

  static Element first(Element parent, String ns, String local) {
    NodeList l = parent.getElementsByTagNameNS(ns, local);
    return l.getLength() == 0 ? null : (Element) l.item(0);
  }
}
