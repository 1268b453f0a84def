// PAdES peer for `npm run bench`: PDFBox 2 + BouncyCastle, the key on the SoftHSM token through SunPKCS11.
// Usage: PdfBoxSign <sunpkcs11.cfg> <pin> <sha256-of-certificate-hex> <in.pdf> <out.pdf>
// Prints one JSON line {ms, keyMs, maxRssMiB}: ms covers load + sign + save (the figure compared with KySo);
// JVM start and opening the key store (keyMs) are outside it, as for KySo.
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Calendar;
import java.util.Collections;
import java.util.Enumeration;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public final class PdfBoxSign {
  public static void main(String[] args) throws Exception {
    long keyStart = System.nanoTime();
    Provider base = Security.getProvider("SunPKCS11");
    Provider p11 = base.configure(args[0]);
    Security.addProvider(p11);
    KeyStore store = KeyStore.getInstance("PKCS11", p11);
    store.load(null, args[1].toCharArray());
    PrivateKey key = null;
    X509Certificate cert = null;
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements();) {
      String alias = aliases.nextElement();
      Certificate c = store.getCertificate(alias);
      if (c == null || !store.isKeyEntry(alias)) continue;
      if (hex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())).equals(args[2])) {
        key = (PrivateKey) store.getKey(alias, null);
        cert = (X509Certificate) c;
      }
    }
    if (key == null) throw new IllegalStateException("no key for the certificate");
    final PrivateKey signingKey = key;
    final X509Certificate signingCert = cert;
    long keyMs = (System.nanoTime() - keyStart) / 1_000_000;

    long start = System.nanoTime();
    try (PDDocument doc = PDDocument.load(new File(args[3]), MemoryUsageSetting.setupMainMemoryOnly())) {
      PDSignature signature = new PDSignature();
      signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
      signature.setSignDate(Calendar.getInstance());
      SignatureOptions options = new SignatureOptions();
      options.setPreferredSignatureSize(16384);
      doc.addSignature(signature, (InputStream content) -> {
        try {
          CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
          gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(p11).build(signingKey), signingCert));
          gen.addCertificates(new JcaCertStore(Collections.singletonList(signingCert)));
          CMSSignedData signed = gen.generate(new CMSProcessableByteArray(content.readAllBytes()), false);
          return signed.getEncoded("DER");
        } catch (Exception e) {
          throw new java.io.IOException(e);
        }
      }, options);
      try (FileOutputStream out = new FileOutputStream(args[4])) {
        doc.saveIncremental(out);
      }
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println("{\"ms\":" + ms + ",\"keyMs\":" + keyMs + ",\"maxRssMiB\":" + vmHwmMiB() + "}");
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) sb.append(String.format("%02x", b));
    return sb.toString();
  }

  private static long vmHwmMiB() throws Exception {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
    }
    return -1;
  }
}
