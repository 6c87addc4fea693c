package org.keepfs.fs123;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a keepfs extended {@code /d} body (asked for with {@link
 * Fs123Protocol#ENTRY_ATTRIBUTES_FIELD}, marked by {@link Fs123Protocol#ENTRY_ATTRIBUTES_HEADER}):
 *
 * <pre>netstring(name) SP d_type SP estale_cookie SP netstring(/a body) SP netstring(Cache-Control) \n</pre>
 *
 * The first three fields are a plain {@link DirEntry} record's; the {@code /a} body is exactly what
 * {@code /a} of the entry would return ({@link AttrReply}), and the Cache-Control is what that
 * {@code /a} reply would carry, so a client can answer lookup and getattr of the entry without asking,
 * for as long as the entry's own max-age allows (counted from when the listing was generated). An
 * entry the server could not stat (removed since the directory was read) has both netstrings empty.
 *
 * @param entry name, type and cookie
 * @param attributes the entry's {@code /a} reply, empty when the server could not stat it
 * @param cacheControl the entry's Cache-Control, {@link CacheControl#NONE} when attributes are empty
 */
public record AttributedDirEntry(DirEntry entry, Optional<AttrReply> attributes, CacheControl cacheControl) {

  public AttributedDirEntry {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(cacheControl, "cacheControl");
    if (attributes.isPresent() && cacheControl.maxAge().isEmpty()) {
      throw new IllegalArgumentException("the attributes of " + entry.name() + " need a max-age; '" + cacheControl + "' has none");
    }
  }

  public byte[] encode() {
    byte[] plain = entry.encode();
    byte[] attr = Netstring.encode(attributes.map(AttrReply::encode).orElse(new byte[0]));
    byte[] cc = Netstring.encode(attributes.isPresent() ? cacheControl.format() : "");
    byte[] out = new byte[plain.length + 1 + attr.length + 1 + cc.length];
    // The plain record ends in '\n': replace it with the separator and end the record after the extras.
    int n = plain.length - 1;
    System.arraycopy(plain, 0, out, 0, n);
    out[n++] = ' ';
    System.arraycopy(attr, 0, out, n, attr.length);
    n += attr.length;
    out[n++] = ' ';
    System.arraycopy(cc, 0, out, n, cc.length);
    n += cc.length;
    out[n] = '\n';
    return out;
  }

  /**
   * Parses a whole extended {@code /d} body.
   *
   * @throws Fs123FormatException naming the record and what is wrong with it
   */
  public static List<AttributedDirEntry> parseAll(byte[] body) {
    List<AttributedDirEntry> out = new ArrayList<>();
    int i = 0;
    while (i < body.length) {
      int start = i;
      Netstring.Decoded name = Netstring.decode(body, i, body.length);
      i = name.end();
      i = expect(body, i, ' ', start, "a space after the name");
      int typeEnd = digits(body, i, start, "d_type");
      long dType = Decimal.parseUnsigned("d_type", ascii(body, i, typeEnd));
      if (dType > 15) {
        throw new Fs123FormatException("d_type", Long.toString(dType), "must be 0 to 15");
      }
      i = expect(body, typeEnd, ' ', start, "a space after d_type");
      int cookieEnd = digits(body, i, start, "estale cookie");
      long cookie = Decimal.parseUnsigned("estale cookie", ascii(body, i, cookieEnd));
      i = expect(body, cookieEnd, ' ', start, "a space after the cookie");
      Netstring.Decoded attr = Netstring.decode(body, i, body.length);
      i = expect(body, attr.end(), ' ', start, "a space after the attributes");
      Netstring.Decoded cc = Netstring.decode(body, i, body.length);
      i = expect(body, cc.end(), '\n', start, "a newline after the Cache-Control");
      DirEntry entry = new DirEntry(new String(name.payload(), StandardCharsets.UTF_8), (int) dType, cookie);
      if (attr.payload().length == 0) {
        out.add(new AttributedDirEntry(entry, Optional.empty(), CacheControl.NONE));
        continue;
      }
      CacheControl control = CacheControl.parse(new String(cc.payload(), StandardCharsets.US_ASCII));
      if (control.maxAge().isEmpty()) {
        throw new Fs123FormatException("/d record", tail(body, start), "carries attributes without a max-age");
      }
      out.add(new AttributedDirEntry(entry, Optional.of(AttrReply.parse(attr.payload())), control));
    }
    return out;
  }

  private static int expect(byte[] b, int i, char c, int recordStart, String what) {
    if (i >= b.length || b[i] != c) {
      throw new Fs123FormatException("/d record", tail(b, recordStart), "expected " + what);
    }
    return i + 1;
  }

  private static int digits(byte[] b, int from, int recordStart, String what) {
    int i = from;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    if (i == from) {
      throw new Fs123FormatException("/d record", tail(b, recordStart), "expected a decimal " + what);
    }
    return i;
  }

  private static String ascii(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.US_ASCII);
  }

  private static String tail(byte[] b, int from) {
    return new String(b, from, Math.min(60, b.length - from), StandardCharsets.ISO_8859_1);
  }
}
