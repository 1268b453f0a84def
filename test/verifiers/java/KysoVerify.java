import java.io.File;
import java.nio.file.Files;
import java.security.Security;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Test-only verifier that shares no code with KySo's signer: BouncyCastle, PDFBox 2 and Santuario, as used by
 * EU DSS and most Java validators. Prints one JSON object; exit 0 valid, 1 invalid, 2 usage error.
 */
public final class KysoVerify {
  static final String USAGE = "usage: KysoVerify cms <sig.p7s> [--content <file>] [--require-timestamp]"
      + " [--forbid-signing-time]\n"
      + " [--expect-ocsp-for-signer] [--expect-crl-for-intermediates]\n"
      + "       KysoVerify pdf <file.pdf> [--expect-count N] [--require-timestamp] [--expect-dss] [--expect-doc-timestamp]"
      + " [--expect-crl-for-intermediates]\n"
      + "       KysoVerify xml <file.xml> [--id-attr NAME]... [--expect-references N] [--expect-count N]"
      + " [--require-xades] [--expect-signature-timestamp] [--expect-xades-lt]"
      + " [--expect-crl-for-intermediates]";

  private KysoVerify() {}

  /** A usage error: exit 2, so a typo in a test never reads as "signature invalid". */
  static final class UsageException extends Exception {
    UsageException(String m) {
      super(m);
    }
  }

  public static void main(String[] args) {
    Security.addProvider(new BouncyCastleProvider());
    String kind = args.length > 0 ? args[0] : null;
    Map<String, Object> report;
    try {
      if (args.length < 2) throw new UsageException("missing arguments");
      File file = new File(args[1]);
      if (!file.isFile()) throw new UsageException("not a file: " + args[1]);
      report = run(kind, file, args);
    } catch (UsageException e) {
      Map<String, Object> r = Json.obj();
      r.put("valid", false);
      r.put("kind", kind);
      r.put("usageError", e.getMessage());
      System.out.println(Json.write(r));
      System.err.println(USAGE);
      System.exit(2);
      return;
    } catch (Throwable e) {
      // A file the libraries cannot even parse is an invalid signature, not a crash of the verifier.
      report = Json.obj();
      report.put("signatures", Json.arr());
      List<Object> errors = Json.arr();
      errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
      report.put("errors", errors);
    }
    boolean valid = isValid(report);
    Map<String, Object> out = Json.obj();
    out.put("valid", valid);
    out.put("kind", kind);
    out.put("file", args[1]);
    out.putAll(report);
    System.out.println(Json.write(out));
    System.out.flush();
    System.exit(valid ? 0 : 1);
  }

  private static Map<String, Object> run(String kind, File file, String[] args) throws Exception {
    List<String> rest = new ArrayList<>();
    for (int i = 2; i < args.length; i++) rest.add(args[i]);
    if ("cms".equals(kind)) {
      CmsCheck.Options opt = new CmsCheck.Options();
      String content = null;
      boolean ltv = false;
      for (int i = 0; i < rest.size(); i++) {
        String a = rest.get(i);
        if (a.equals("--content")) content = value(rest, ++i, a);
        else if (a.equals("--require-timestamp")) opt.requireTimestamp = true;
        else if (a.equals("--forbid-signing-time")) opt.forbidSigningTime = true;
        else if (a.equals("--expect-ocsp-for-signer")) ltv = true;
        else if (a.equals("--expect-crl-for-intermediates")) ChainCrlCheck.expected = ltv = true;
        else throw new UsageException("unknown option " + a);
      }
      if (content != null && !new File(content).isFile()) throw new UsageException("not a file: " + content);
      byte[] data = content == null ? null : Files.readAllBytes(new File(content).toPath());
      byte[] cms = Files.readAllBytes(file.toPath());
      Map<String, Object> report = CmsCheck.check(cms, data, opt);
      if (ltv) {
        @SuppressWarnings("unchecked")
        List<Object> errors = (List<Object>) report.get("errors");
        LtvCheck.checkCms(new org.bouncycastle.cms.CMSSignedData(cms), report, errors);
      }
      return report;
    }
    if ("pdf".equals(kind)) {
      Integer expect = null;
      boolean requireTs = false;
      boolean dss = false;
      boolean docTs = false;
      for (int i = 0; i < rest.size(); i++) {
        String a = rest.get(i);
        if (a.equals("--expect-count")) expect = number(value(rest, ++i, a));
        else if (a.equals("--require-timestamp")) requireTs = true;
        else if (a.equals("--expect-dss")) dss = true;
        else if (a.equals("--expect-doc-timestamp")) docTs = true;
        else if (a.equals("--expect-crl-for-intermediates")) ChainCrlCheck.expected = dss = true;
        else throw new UsageException("unknown option " + a);
      }
      return PdfCheck.check(file, expect, requireTs, dss, docTs);
    }
    if ("xml".equals(kind)) {
      XmlCheck.Options opt = new XmlCheck.Options();
      boolean customIds = false;
      for (int i = 0; i < rest.size(); i++) {
        String a = rest.get(i);
        if (a.equals("--id-attr")) {
          if (!customIds) opt.idAttrs = new HashSet<>();
          customIds = true;
          opt.idAttrs.add(value(rest, ++i, a));
        } else if (a.equals("--expect-references")) opt.expectReferences = number(value(rest, ++i, a));
        else if (a.equals("--expect-count")) opt.expectCount = number(value(rest, ++i, a));
        else if (a.equals("--require-xades")) opt.requireXades = true;
        else if (a.equals("--expect-signature-timestamp")) opt.expectTimestamp = true;
        else if (a.equals("--expect-xades-lt")) opt.expectLt = true;
        else if (a.equals("--expect-crl-for-intermediates")) ChainCrlCheck.expected = opt.expectLt = true;
        else throw new UsageException("unknown option " + a);
      }
      return XmlCheck.check(file, opt);
    }
    throw new UsageException("unknown kind " + kind);
  }

  /** Valid only when nothing anywhere reported an error and at least one signature was checked. */
  @SuppressWarnings("unchecked")
  static boolean isValid(Map<String, Object> report) {
    if (!((List<Object>) report.get("errors")).isEmpty()) return false;
    List<Object> sigs = (List<Object>) report.get("signatures");
    for (Object s : sigs) {
      if (!((List<Object>) ((Map<String, Object>) s).get("errors")).isEmpty()) return false;
    }
    // An unsigned PDF with --expect-count 0 is the one case where "valid" needs no signature.
    return !sigs.isEmpty() || report.containsKey("count");
  }

  private static String value(List<String> rest, int i, String opt) throws UsageException {
    if (i >= rest.size()) throw new UsageException(opt + " needs a value");
    return rest.get(i);
  }

  private static int number(String s) throws UsageException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new UsageException("not a number: " + s);
    }
  }
}
