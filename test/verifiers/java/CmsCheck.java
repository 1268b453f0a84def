import java.io.OutputStream;
import java.security.interfaces.RSAPublicKey;
import java.security.PublicKey;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

/** CMS / CAdES checks with BouncyCastle, the library behind EU DSS and most Java PDF validators. */
final class CmsCheck {
  static final ASN1ObjectIdentifier CONTENT_TYPE = PKCSObjectIdentifiers.pkcs_9_at_contentType;
  static final ASN1ObjectIdentifier MESSAGE_DIGEST = PKCSObjectIdentifiers.pkcs_9_at_messageDigest;
  static final ASN1ObjectIdentifier SIGNING_TIME = PKCSObjectIdentifiers.pkcs_9_at_signingTime;
  static final ASN1ObjectIdentifier SIGNING_CERT_V1 = PKCSObjectIdentifiers.id_aa_signingCertificate;
  static final ASN1ObjectIdentifier SIGNING_CERT_V2 = PKCSObjectIdentifiers.id_aa_signingCertificateV2;
  static final ASN1ObjectIdentifier SIG_TIMESTAMP = PKCSObjectIdentifiers.id_aa_signatureTimeStampToken;
  /** Circular 15/2025 allows SHA-2/SHA-3 only; SHA-1 and MD5 digests are errors. */
  static final List<String> WEAK_DIGESTS = Arrays.asList("1.3.14.3.2.26", "1.2.840.113549.2.5");

  static final class Options {
    boolean requireTimestamp;
    boolean forbidSigningTime;
  }

  private CmsCheck() {}

  /** Checks every SignerInfo of one CMS; the report's "signatures" are the signers. */
  static Map<String, Object> check(byte[] cms, byte[] detachedContent, Options opt) throws Exception {
    Map<String, Object> report = Json.obj();
    List<Object> errors = Json.arr();
    List<Object> signers = Json.arr();
    report.put("signatures", signers);
    report.put("errors", errors);
    // Parsed once without content to learn whether the file itself carries the content.
    CMSSignedData probe = new CMSSignedData(cms);
    report.put("detached", probe.isDetachedSignature());
    CMSSignedData sd;
    if (detachedContent != null) {
      if (!probe.isDetachedSignature()) errors.add("--content given but the signature encapsulates its content");
      sd = new CMSSignedData(new CMSProcessableByteArray(detachedContent), cms);
    } else {
      if (probe.isDetachedSignature()) errors.add("detached signature: pass the signed content with --content");
      sd = probe;
    }
    report.put("eContentType", sd.getSignedContentTypeOID());
    List<byte[]> raw = Der.rawSignedAttrs(cms);
    Collection<SignerInformation> infos = sd.getSignerInfos().getSigners();
    if (infos.isEmpty()) errors.add("no SignerInfo");
    int i = 0;
    for (SignerInformation si : infos) {
      signers.add(checkSigner(sd, si, i < raw.size() ? raw.get(i) : null, opt));
      i++;
    }
    return report;
  }

  private static Map<String, Object> checkSigner(CMSSignedData sd, SignerInformation si, byte[] rawAttrs, Options opt) {
    Map<String, Object> r = Json.obj();
    List<Object> errors = Json.arr();
    String digestOid = si.getDigestAlgOID();
    r.put("digestAlgorithm", algName(digestOid));
    r.put("signatureAlgorithm", algName(si.getEncryptionAlgOID()));
    if (WEAK_DIGESTS.contains(digestOid)) errors.add("weak digest algorithm " + algName(digestOid));
    try {
      @SuppressWarnings("unchecked")
      Store<X509CertificateHolder> store = sd.getCertificates();
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> matches = store.getMatches(si.getSID());
      if (matches.isEmpty()) {
        errors.add("signer certificate is not embedded");
        r.put("errors", errors);
        return r;
      }
      X509CertificateHolder cert = matches.iterator().next();
      r.put("signer", cert.getSubject().toString());
      r.put("serial", cert.getSerialNumber().toString(16));
      PublicKey key = new JcaX509CertificateConverter().setProvider("BC").getCertificate(cert).getPublicKey();
      if (key instanceof RSAPublicKey && ((RSAPublicKey) key).getModulus().bitLength() < 2048) {
        errors.add("RSA key shorter than 2048 bits");
      }
      checkDerOrder(r, errors, si, rawAttrs);
      boolean cryptoOk = false;
      try {
        cryptoOk = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(cert));
        if (!cryptoOk) errors.add("BouncyCastle: signature value does not verify");
      } catch (Exception e) {
        errors.add("BouncyCastle: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      r.put("signatureVerified", cryptoOk);
      checkSignedAttributes(r, errors, si, cert, opt);
      checkTimestamps(r, errors, si, opt);
    } catch (Exception e) {
      errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    r.put("errors", errors);
    return r;
  }

  private static void checkDerOrder(Map<String, Object> r, List<Object> errors, SignerInformation si, byte[] raw)
      throws Exception {
    if (raw == null) {
      r.put("signedAttrsDer", null);
      errors.add("no signed attributes (CAdES needs them)");
      return;
    }
    ASN1Set set = si.toASN1Structure().getAuthenticatedAttributes();
    byte[] der = set.getEncoded(ASN1Encoding.DER);
    byte[] asFound = raw.clone();
    asFound[0] = 0x31; // the file has [0] IMPLICIT; the signature covers the same bytes tagged as SET
    boolean isDer = Arrays.equals(der, asFound);
    boolean sorted = Der.setOfSorted(asFound);
    r.put("signedAttrsDer", isDer);
    r.put("signedAttrsSorted", sorted);
    if (!sorted) errors.add("signed attributes are not in DER SET OF order (BouncyCastle/EU DSS reject this)");
    else if (!isDer) errors.add("signed attributes are not DER-encoded");
  }

  private static void checkSignedAttributes(Map<String, Object> r, List<Object> errors, SignerInformation si,
      X509CertificateHolder cert, Options opt) throws Exception {
    AttributeTable attrs = si.getSignedAttributes();
    if (attrs == null) return;
    for (ASN1ObjectIdentifier oid : new ASN1ObjectIdentifier[] {CONTENT_TYPE, MESSAGE_DIGEST, SIGNING_CERT_V2}) {
      int n = attrs.getAll(oid).size();
      if (n == 0) errors.add("missing signed attribute " + oid.getId());
      if (n > 1) errors.add("signed attribute " + oid.getId() + " occurs " + n + " times");
    }
    r.put("hasSigningCertificateV1", attrs.get(SIGNING_CERT_V1) != null);
    Attribute scv2 = attrs.get(SIGNING_CERT_V2);
    r.put("hasSigningCertificateV2", scv2 != null);
    if (scv2 != null) r.put("signingCertificateV2", checkEssCertId(errors, scv2, cert));
    Attribute st = attrs.get(SIGNING_TIME);
    r.put("hasSigningTime", st != null);
    if (st != null) {
      r.put("signingTime", iso(Time.getInstance(st.getAttrValues().getObjectAt(0)).getDate()));
      if (opt.forbidSigningTime) errors.add("signingTime is present but forbidden here (PAdES keeps it in /M)");
    }
  }

  private static Map<String, Object> checkEssCertId(List<Object> errors, Attribute attr, X509CertificateHolder cert)
      throws Exception {
    Map<String, Object> r = Json.obj();
    ESSCertIDv2[] ids = SigningCertificateV2.getInstance(attr.getAttrValues().getObjectAt(0)).getCerts();
    if (ids.length == 0) {
      errors.add("signingCertificateV2 lists no certificate");
      return r;
    }
    // The first ESSCertIDv2 must identify the signer's own certificate (RFC 5035 section 3).
    ESSCertIDv2 id = ids[0];
    AlgorithmIdentifier alg = id.getHashAlgorithm();
    r.put("hashAlgorithm", algName(alg.getAlgorithm().getId()));
    boolean hashOk = Arrays.equals(id.getCertHash(), digest(alg, cert.getEncoded()));
    r.put("certHashMatches", hashOk);
    if (!hashOk) errors.add("signingCertificateV2 certHash does not match the signer certificate");
    IssuerSerial is = id.getIssuerSerial();
    r.put("hasIssuerSerial", is != null);
    if (is != null) {
      boolean serialOk = is.getSerial().getValue().equals(cert.getSerialNumber());
      boolean issuerOk = false;
      for (GeneralName gn : is.getIssuer().getNames()) {
        if (gn.getTagNo() == GeneralName.directoryName
            && X500Name.getInstance(gn.getName()).equals(cert.getIssuer())) issuerOk = true;
      }
      r.put("issuerSerialMatches", serialOk && issuerOk);
      if (!(serialOk && issuerOk)) errors.add("signingCertificateV2 issuerSerial does not match the signer certificate");
    }
    return r;
  }

  private static void checkTimestamps(Map<String, Object> r, List<Object> errors, SignerInformation si, Options opt)
      throws Exception {
    AttributeTable un = si.getUnsignedAttributes();
    List<Object> tsts = Json.arr();
    if (un != null) {
      ASN1EncodableVector all = un.getAll(SIG_TIMESTAMP);
      for (int i = 0; i < all.size(); i++) {
        for (ASN1Encodable v : ((Attribute) all.get(i)).getAttrValues().toArray()) {
          Map<String, Object> t = checkToken(new TimeStampToken(ContentInfo.getInstance(v)), si.getSignature());
          for (Object e : (List<?>) t.get("errors")) errors.add("signature timestamp: " + e);
          tsts.add(t);
        }
      }
    }
    r.put("hasSignatureTimestamp", !tsts.isEmpty());
    r.put("signatureTimestamps", tsts);
    if (opt.requireTimestamp && tsts.isEmpty()) errors.add("no signature timestamp (1.2.840.113549.1.9.16.2.14)");
  }

  /** Validates a timestamp token with the TSA certificate it carries and checks it covers `imprinted`. */
  static Map<String, Object> checkToken(TimeStampToken tst, byte[] imprinted) throws Exception {
    Map<String, Object> t = Json.obj();
    List<Object> errors = Json.arr();
    t.put("genTime", iso(tst.getTimeStampInfo().getGenTime()));
    t.put("policy", tst.getTimeStampInfo().getPolicy().getId());
    t.put("serial", tst.getTimeStampInfo().getSerialNumber().toString(16));
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> tsa = tst.getCertificates().getMatches(tst.getSID());
    boolean valid = false;
    if (tsa.isEmpty()) {
      errors.add("token does not carry the TSA certificate");
    } else {
      X509CertificateHolder tsaCert = tsa.iterator().next();
      t.put("tsa", tsaCert.getSubject().toString());
      try {
        // validate() also insists on a critical timeStamping EKU and a matching ESSCertID(v2).
        tst.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(tsaCert));
        valid = true;
      } catch (Exception e) {
        errors.add("token does not validate: " + e.getMessage());
      }
    }
    t.put("tokenValid", valid);
    AlgorithmIdentifier alg = tst.getTimeStampInfo().getHashAlgorithm();
    t.put("imprintAlgorithm", algName(alg.getAlgorithm().getId()));
    boolean imprintOk = Arrays.equals(tst.getTimeStampInfo().getMessageImprintDigest(), digest(alg, imprinted));
    t.put("imprintMatches", imprintOk);
    if (!imprintOk) errors.add("messageImprint is not the hash of the timestamped data");
    t.put("errors", errors);
    return t;
  }

  static byte[] digest(AlgorithmIdentifier alg, byte[] data) throws Exception {
    DigestCalculator dc = new JcaDigestCalculatorProviderBuilder().setProvider("BC").build().get(alg);
    try (OutputStream os = dc.getOutputStream()) {
      os.write(data);
    }
    return dc.getDigest();
  }

  static String algName(String oid) {
    String name = new DefaultAlgorithmNameFinder().getAlgorithmName(new ASN1ObjectIdentifier(oid));
    return name.equals(oid) ? oid : name + " (" + oid + ")";
  }

  static String iso(Date d) {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(d);
  }
}
