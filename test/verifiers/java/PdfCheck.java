import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;

/** PAdES checks: PDFBox finds the signature dictionaries, the CMS checks run on each byte range. */
final class PdfCheck {
  static final String CADES = "ETSI.CAdES.detached";
  static final String DOC_TIMESTAMP = "ETSI.RFC3161";

  private PdfCheck() {}

  static Map<String, Object> check(File file, Integer expectCount, boolean requireTimestamp) throws Exception {
    return check(file, expectCount, requireTimestamp, false, false);
  }

  /**
   * `expectDss`: the catalog's /DSS is read and checked (LtvCheck), and bytes after the last signed revision are
   * allowed only when they are a DSS update (the catalog, the DSS, plain streams, the xref).
   * `expectDocTimestamp`: the newest revision is signed by an ETSI.RFC3161 document timestamp.
   */
  static Map<String, Object> check(File file, Integer expectCount, boolean requireTimestamp, boolean expectDss, boolean expectDocTimestamp) throws Exception {
    Map<String, Object> report = Json.obj();
    List<Object> errors = Json.arr();
    List<Object> sigs = Json.arr();
    byte[] pdf = Files.readAllBytes(file.toPath());
    try (PDDocument doc = PDDocument.load(file)) {
      List<PDSignature> dicts = doc.getSignatureDictionaries();
      int maxEnd = 0;
      for (PDSignature s : dicts) {
        Map<String, Object> r = checkOne(pdf, s, requireTimestamp);
        sigs.add(r);
        Object end = r.get("signedUpTo");
        if (end instanceof Integer) maxEnd = Math.max(maxEnd, (Integer) end);
      }
      report.put("count", dicts.size());
      if (expectCount != null && dicts.size() != expectCount) {
        errors.add("expected " + expectCount + " signature(s), found " + dicts.size());
      }
      if (expectCount == null && dicts.isEmpty()) errors.add("the document has no signatures");
      // Anything after the newest signed revision could change what the reader displays without touching a signature.
      if (!dicts.isEmpty() && maxEnd != pdf.length && !(expectDss && onlyDssUpdate(pdf, maxEnd, errors))) {
        errors.add("the last " + (pdf.length - maxEnd) + " bytes of the file are not covered by any signature");
      }
      if (expectDss) LtvCheck.checkDss(doc, pdf, report, errors);
      if (expectDocTimestamp) {
        PDSignature last = dicts.isEmpty() ? null : dicts.get(dicts.size() - 1);
        boolean ok = last != null && DOC_TIMESTAMP.equals(last.getSubFilter()) && last.getByteRange()[2] + last.getByteRange()[3] == pdf.length;
        if (!ok) errors.add("the newest revision is not covered by a document timestamp");
      }
    }
    report.put("signatures", sigs);
    report.put("errors", errors);
    return report;
  }

  private static Map<String, Object> checkOne(byte[] pdf, PDSignature s, boolean requireTimestamp) throws Exception {
    Map<String, Object> r = Json.obj();
    List<Object> errors = Json.arr();
    r.put("filter", s.getFilter());
    r.put("subFilter", s.getSubFilter());
    r.put("name", s.getName());
    r.put("reason", s.getReason());
    r.put("location", s.getLocation());
    boolean isDocTs = DOC_TIMESTAMP.equals(s.getSubFilter());
    r.put("documentTimestamp", isDocTs);
    if (!CADES.equals(s.getSubFilter()) && !isDocTs) {
      errors.add("SubFilter is " + s.getSubFilter() + ", expected " + CADES);
    }
    boolean hasM = s.getCOSObject().getDictionaryObject(COSName.M) != null;
    r.put("hasM", hasM);
    Calendar m = s.getSignDate();
    if (m != null) r.put("m", CmsCheck.iso(m.getTime()));
    if (!hasM && !isDocTs) errors.add("signature dictionary has no /M (PAdES keeps the signing time there)");
    int[] br = s.getByteRange();
    r.put("byteRange", br == null ? null : Arrays.toString(br));
    if (!byteRangeOk(pdf, br, errors)) {
      r.put("errors", errors);
      return r;
    }
    int end = br[2] + br[3];
    r.put("signedUpTo", end);
    r.put("coversWholeFile", end == pdf.length);
    if (end != pdf.length && !endsWithEof(pdf, end)) {
      errors.add("byte range does not end at a revision's %%EOF");
    }
    byte[] contents = s.getContents(pdf);
    byte[] signed = s.getSignedContent(pdf);
    if (isDocTs) {
      Map<String, Object> t = CmsCheck.checkToken(new TimeStampToken(new CMSSignedData(contents)), signed);
      r.put("timestamp", t);
      errors.addAll((List<?>) t.get("errors"));
    } else {
      CmsCheck.Options opt = new CmsCheck.Options();
      opt.forbidSigningTime = true;
      opt.requireTimestamp = requireTimestamp;
      Map<String, Object> cms = CmsCheck.check(contents, signed, opt);
      r.put("cms", cms);
      for (Object e : (List<?>) cms.get("errors")) errors.add("CMS: " + e);
      for (Object signer : (List<?>) cms.get("signatures")) {
        for (Object e : (List<?>) ((Map<?, ?>) signer).get("errors")) errors.add("CMS signer: " + e);
      }
    }
    r.put("errors", errors);
    return r;
  }

  /** [0 a b c]: the only gap is exactly the hex string of /Contents, and nothing reaches past the file. */
  private static boolean byteRangeOk(byte[] pdf, int[] br, List<Object> errors) {
    if (br == null || br.length != 4) {
      errors.add("ByteRange must have 4 numbers");
      return false;
    }
    if (br[0] != 0) errors.add("ByteRange does not start at offset 0");
    long end = (long) br[2] + br[3];
    if (br[1] <= 0 || br[2] <= br[1] || br[3] < 0 || end > pdf.length) {
      errors.add("ByteRange is out of bounds or overlapping");
      return false;
    }
    if (pdf[br[1]] != '<' || pdf[br[2] - 1] != '>') {
      errors.add("ByteRange gap is not exactly the /Contents hex string");
      return false;
    }
    for (int i = br[1] + 1; i < br[2] - 1; i++) {
      if (Character.digit(pdf[i], 16) < 0) {
        errors.add("ByteRange gap contains non-hex bytes at " + i);
        return false;
      }
    }
    return br[0] == 0;
  }

  /** Each object after `from` is the catalog, the DSS, a stream with only /Length, or the xref stream. */
  private static boolean onlyDssUpdate(byte[] pdf, int from, List<Object> errors) {
    String tail = new String(pdf, from, pdf.length - from, StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+ \\d+ obj\\s*<<(.*?)>>\\s*(stream|endobj)", java.util.regex.Pattern.DOTALL).matcher(tail);
    int objects = 0;
    while (m.find()) {
      objects++;
      String dict = m.group(1).replaceAll("\\s+", " ");
      boolean ok = dict.contains("/Type /Catalog") || dict.contains("/Type /DSS") || dict.contains("/Type /XRef")
          || dict.trim().matches("/Length \\d+");
      if (!ok) {
        errors.add("the update after the last signature holds an object that is not part of a DSS: " + dict.substring(0, Math.min(80, dict.length())));
        return true;
      }
    }
    if (objects == 0 || !tail.contains("/DSS")) return false;
    return true;
  }

  private static boolean endsWithEof(byte[] pdf, int end) {
    String tail = new String(pdf, Math.max(0, end - 8), Math.min(8, end), StandardCharsets.ISO_8859_1);
    return tail.replaceAll("[\r\n]+$", "").endsWith("%%EOF");
  }
}
