import java.io.File;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** XMLDSig / XAdES checks with Apache Santuario, the XML engine behind EU DSS and WSS4J. */
final class XmlCheck {
  static final String DS = "http://www.w3.org/2000/09/xmldsig#";
  static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";
  static final String SIGNED_PROPS_TYPE = "http://uri.etsi.org/01903#SignedProperties";
  static final Map<String, String> DIGESTS = new HashMap<>();

  static {
    DIGESTS.put("http://www.w3.org/2000/09/xmldsig#sha1", "SHA-1");
    DIGESTS.put("http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256");
    DIGESTS.put("http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384");
    DIGESTS.put("http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512");
  }

  static final class Options {
    Set<String> idAttrs = new HashSet<>(Arrays.asList("Id"));
    Integer expectReferences;
    Integer expectCount;
    boolean requireXades;
    boolean expectTimestamp;
    boolean expectLt;
  }

  private XmlCheck() {}

  static Map<String, Object> check(File file, Options opt) throws Exception {
    org.apache.xml.security.Init.init();
    Map<String, Object> report = Json.obj();
    List<Object> errors = Json.arr();
    List<Object> sigs = Json.arr();
    report.put("signatures", sigs);
    report.put("errors", errors);
    Document doc = parse(file);
    registerIds(doc.getDocumentElement(), opt.idAttrs, new HashSet<>(), errors);
    NodeList found = doc.getElementsByTagNameNS(DS, "Signature");
    report.put("count", found.getLength());
    if (opt.expectCount != null && found.getLength() != opt.expectCount) {
      errors.add("expected " + opt.expectCount + " signature(s), found " + found.getLength());
    }
    if (found.getLength() == 0) errors.add("no ds:Signature element");
    for (int i = 0; i < found.getLength(); i++) sigs.add(checkOne(doc, (Element) found.item(i), opt));
    return report;
  }

  /** Portal XML arrives from outside: no DTD at all (XXE, entity expansion), no external anything. */
  static Document parse(File file) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    dbf.setFeature("http://xml.org/sax/features/external-general-entities", false);
    dbf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    dbf.setXIncludeAware(false);
    dbf.setExpandEntityReferences(false);
    return dbf.newDocumentBuilder().parse(file);
  }

  /** No schema declares the Id attributes; a duplicate value would let a reference point at a decoy (wrapping). */
  private static void registerIds(Element el, Set<String> names, Set<String> seen, List<Object> errors) {
    NamedNodeMap attrs = el.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      String local = a.getLocalName() != null ? a.getLocalName() : a.getName();
      if (!names.contains(local)) continue;
      el.setIdAttributeNode(a, true);
      if (!seen.add(a.getValue())) errors.add("duplicate Id value \"" + a.getValue() + "\"");
    }
    for (Node c = el.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element) registerIds((Element) c, names, seen, errors);
    }
  }

  private static Map<String, Object> checkOne(Document doc, Element sigEl, Options opt) {
    Map<String, Object> r = Json.obj();
    List<Object> errors = Json.arr();
    r.put("id", sigEl.hasAttribute("Id") ? sigEl.getAttribute("Id") : null);
    r.put("parent", sigEl.getParentNode().getLocalName());
    try {
      XMLSignature sig = new XMLSignature(sigEl, null, true);
      SignedInfo si = sig.getSignedInfo();
      r.put("canonicalization", si.getCanonicalizationMethodURI());
      r.put("signatureMethod", si.getSignatureMethodURI());
      X509Certificate cert = sig.getKeyInfo() == null ? null : sig.getKeyInfo().getX509Certificate();
      if (cert == null) {
        errors.add("KeyInfo carries no X509Certificate");
        r.put("errors", errors);
        return r;
      }
      r.put("signer", cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
      List<Object> refs = Json.arr();
      Set<String> referencedIds = new HashSet<>();
      boolean refsOk = checkReferences(doc, si, refs, referencedIds, errors);
      r.put("references", refs);
      if (opt.expectReferences != null && si.getLength() != opt.expectReferences) {
        errors.add("expected " + opt.expectReferences + " reference(s), found " + si.getLength());
      }
      boolean valid = false;
      if (refsOk) {
        valid = sig.checkSignatureValue(cert);
        if (!valid) errors.add("Santuario: signature does not verify");
      }
      r.put("signatureValid", valid);
      r.put("signingTime", signingTime(sigEl, referencedIds, r));
      r.put("xades", XadesCheck.check(sigEl, si, cert, opt.requireXades, errors));
      r.put("longTerm", XadesLtCheck.check(sigEl, cert, opt.expectTimestamp, opt.expectLt, errors));
    } catch (Exception e) {
      errors.add("Santuario: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    r.put("errors", errors);
    return r;
  }

  private static boolean checkReferences(Document doc, SignedInfo si, List<Object> refs, Set<String> ids,
      List<Object> errors) throws Exception {
    boolean allOk = true;
    for (int i = 0; i < si.getLength(); i++) {
      Element refEl = (Element) si.getElement().getElementsByTagNameNS(DS, "Reference").item(i);
      Map<String, Object> ref = Json.obj();
      refs.add(ref);
      // Santuario and EU DSS reject a Reference without URI even where xmlsec1 takes it as the whole document.
      if (!refEl.hasAttributeNS(null, "URI")) {
        ref.put("uri", null);
        ref.put("ok", false);
        errors.add("Reference #" + i + " has no URI attribute");
        allOk = false;
        continue;
      }
      String uri = refEl.getAttributeNS(null, "URI");
      ref.put("uri", uri);
      ref.put("id", refEl.hasAttribute("Id") ? refEl.getAttribute("Id") : null);
      ref.put("type", refEl.hasAttribute("Type") ? refEl.getAttribute("Type") : null);
      if (!uri.isEmpty() && !uri.startsWith("#")) {
        ref.put("ok", false);
        errors.add("Reference " + uri + " is not a same-document reference");
        allOk = false;
        continue;
      }
      if (uri.startsWith("#") && !uri.startsWith("#xpointer(")) {
        ids.add(uri.substring(1));
        Element target = doc.getElementById(uri.substring(1));
        ref.put("target", target == null ? null : target.getLocalName());
      } else {
        ref.put("target", doc.getDocumentElement().getLocalName());
      }
      boolean ok = false;
      try {
        Reference r = si.item(i);
        ref.put("digestMethod", r.getMessageDigestAlgorithm().getAlgorithmURI());
        List<Object> transforms = Json.arr();
        Transforms ts = r.getTransforms();
        for (int t = 0; ts != null && t < ts.getLength(); t++) transforms.add(ts.item(t).getURI());
        ref.put("transforms", transforms);
        ok = r.verify();
        if (!ok) errors.add("Reference " + uri + ": digest does not match");
      } catch (Exception e) {
        errors.add("Reference " + uri + ": " + e.getMessage());
      }
      ref.put("ok", ok);
      allOk &= ok;
    }
    return allOk;
  }

  /**
   * The Vietnamese layouts keep a SigningTime in Object/SignatureProperties; report whether a reference covers it,
   * because an uncovered time can be changed without breaking the signature.
   */
  private static String signingTime(Element sigEl, Set<String> referencedIds, Map<String, Object> r) {
    NodeList times = sigEl.getElementsByTagNameNS("*", "SigningTime");
    for (int i = 0; i < times.getLength(); i++) {
      Element t = (Element) times.item(i);
      if (XADES.equals(t.getNamespaceURI())) continue;
      boolean covered = false;
      for (Node n = t; n != null && n != sigEl; n = n.getParentNode()) {
        if (n instanceof Element && referencedIds.contains(((Element) n).getAttribute("Id"))) covered = true;
      }
      r.put("signingTimeCovered", covered);
      return t.getTextContent().trim();
    }
    return null;
  }

  static byte[] digest(String uri, byte[] data) throws Exception {
    String alg = DIGESTS.get(uri);
    if (alg == null) throw new IllegalArgumentException("unknown digest " + uri);
    return MessageDigest.getInstance(alg).digest(data);
  }
}
