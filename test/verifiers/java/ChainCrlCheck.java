import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * `--expect-crl-for-intermediates`: every CA certificate among the embedded ones that is not self-issued and names
 * a CRL distribution point must have, among the embedded CRLs, one issued by its issuer (same name, signature
 * valid with an embedded issuer certificate) that is current (thisUpdate <= now < nextUpdate) and does not list it.
 * An intermediate without a CRLDP is not asked for one (the OCSP checks of LtvCheck cover the leaves).
 */
final class ChainCrlCheck {
  private ChainCrlCheck() {}

  /** Set by KysoVerify from the command line: the checks below run for pdf (DSS) and cms (crls field). */
  static boolean expected = false;

  static void check(Collection<X509CertificateHolder> certs, List<byte[]> crlDers, Map<String, Object> report, List<Object> errors) {
    if (!expected) return;
    List<X509CRLHolder> crls = new ArrayList<>();
    for (byte[] der : crlDers) {
      try {
        crls.add(new X509CRLHolder(der));
      } catch (Exception e) {
        errors.add("an embedded CRL does not parse: " + e);
      }
    }
    int checked = 0;
    Date now = new Date();
    for (X509CertificateHolder cert : certs) {
      BasicConstraints bc = BasicConstraints.fromExtensions(cert.getExtensions());
      if (bc == null || !bc.isCA() || cert.getSubject().equals(cert.getIssuer())) continue;
      if (cert.getExtension(Extension.cRLDistributionPoints) == null) continue;
      checked++;
      String who = cert.getSubject().toString();
      X509CRLHolder found = null;
      for (X509CRLHolder crl : crls) {
        if (!crl.getIssuer().equals(cert.getIssuer())) continue;
        for (X509CertificateHolder issuer : certs) {
          if (issuer.getSubject().equals(cert.getIssuer()) && LtvCheck.verifies(cert, issuer) && crlSignedBy(crl, issuer)) found = crl;
        }
      }
      if (found == null) {
        errors.add("no CRL signed by the issuer of " + who + " among " + crls.size() + " embedded CRL(s)");
        continue;
      }
      if (found.getRevokedCertificate(cert.getSerialNumber()) != null) errors.add("the CRL lists " + who + " as revoked");
      if (found.getThisUpdate().after(now) || (found.getNextUpdate() != null && !found.getNextUpdate().after(now))) {
        errors.add("the CRL about " + who + " is not current");
      }
    }
    report.put("intermediateCrlsChecked", checked);
    if (checked == 0) errors.add("--expect-crl-for-intermediates: no intermediate CA with a CRL distribution point was embedded");
  }

  private static boolean crlSignedBy(X509CRLHolder crl, X509CertificateHolder issuer) {
    try {
      return crl.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider("BC").build(issuer));
    } catch (Exception e) {
      return false;
    }
  }
}
