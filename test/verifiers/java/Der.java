import java.util.ArrayList;
import java.util.List;

/**
 * A raw TLV walk over the bytes as they are in the file. BouncyCastle re-sorts SET OF when it re-encodes, so only
 * the original bytes show whether the signer wrote its signed attributes in DER order.
 */
final class Der {
  final byte[] buf;
  final int tag;
  final int start;
  final int contentStart;
  final int contentEnd;
  final int end;
  final boolean indefinite;

  private Der(byte[] buf, int tag, int start, int contentStart, int contentEnd, int end, boolean indefinite) {
    this.buf = buf;
    this.tag = tag;
    this.start = start;
    this.contentStart = contentStart;
    this.contentEnd = contentEnd;
    this.end = end;
    this.indefinite = indefinite;
  }

  static Der read(byte[] b, int pos) {
    if (pos + 2 > b.length) throw new IllegalArgumentException("truncated DER at " + pos);
    int tag = b[pos] & 0xff;
    if ((tag & 0x1f) == 0x1f) throw new IllegalArgumentException("high tag numbers are not expected in CMS");
    int p = pos + 1;
    int lb = b[p++] & 0xff;
    if (lb == 0x80) {
      if ((tag & 0x20) == 0) throw new IllegalArgumentException("indefinite length on a primitive at " + pos);
      int q = p;
      while (q + 1 < b.length && !(b[q] == 0 && b[q + 1] == 0)) q = read(b, q).end;
      if (q + 1 >= b.length) throw new IllegalArgumentException("missing end-of-contents at " + pos);
      return new Der(b, tag, pos, p, q, q + 2, true);
    }
    long len;
    if (lb < 0x80) {
      len = lb;
    } else {
      int n = lb & 0x7f;
      if (n > 4) throw new IllegalArgumentException("length too long at " + pos);
      len = 0;
      for (int i = 0; i < n; i++) len = (len << 8) | (b[p++] & 0xff);
    }
    long end = p + len;
    if (end > b.length) throw new IllegalArgumentException("length past end of data at " + pos);
    return new Der(b, tag, pos, p, (int) end, (int) end, false);
  }

  List<Der> children() {
    List<Der> out = new ArrayList<>();
    for (int q = contentStart; q < contentEnd; ) {
      Der d = read(buf, q);
      out.add(d);
      q = d.end;
    }
    return out;
  }

  byte[] bytes() {
    byte[] out = new byte[end - start];
    System.arraycopy(buf, start, out, 0, out.length);
    return out;
  }

  /** The encoded [0] IMPLICIT signedAttrs of each SignerInfo in file order, null where a signer has none. */
  static List<byte[]> rawSignedAttrs(byte[] cms) {
    Der contentInfo = read(cms, 0);
    Der signedData = contentInfo.children().get(1).children().get(0);
    List<Der> sd = signedData.children();
    // signerInfos is always the last field of SignedData (RFC 5652 section 5.1).
    Der signerInfos = sd.get(sd.size() - 1);
    List<byte[]> out = new ArrayList<>();
    for (Der si : signerInfos.children()) {
      List<Der> f = si.children();
      out.add(f.size() > 3 && f.get(3).tag == 0xa0 ? f.get(3).bytes() : null);
    }
    return out;
  }

  /** X.690 11.6: SET OF components sorted as octet strings, the shorter one padded with zero octets. */
  static boolean setOfSorted(byte[] set) {
    List<Der> items = read(set, 0).children();
    for (int i = 1; i < items.size(); i++) {
      if (compare(items.get(i - 1).bytes(), items.get(i).bytes()) > 0) return false;
    }
    return true;
  }

  private static int compare(byte[] a, byte[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] & 0xff : 0;
      int y = i < b.length ? b[i] & 0xff : 0;
      if (x != y) return x - y;
    }
    return 0;
  }
}
