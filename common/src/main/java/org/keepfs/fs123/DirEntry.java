package org.keepfs.fs123;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One record of a {@code /d} body: {@code netstring(name) SP d_type SP estale_cookie \n}. The cookie is
 * an unsigned 64-bit value, 0 when unknown.
 */
public record DirEntry(String name, int dType, long cookie) {
  /** The longest name a directory entry may have, in bytes (NAME_MAX). */
  public static final int MAX_NAME_BYTES = 255;

  public DirEntry {
    int len = name.getBytes(StandardCharsets.UTF_8).length;
    if (len < 1 || len > MAX_NAME_BYTES) {
      throw new Fs123FormatException("directory entry name", name, "must be 1 to 255 bytes, is " + len);
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new Fs123FormatException("directory entry name", name, "contains '/' or NUL");
    }
    if (dType < 0 || dType > 15) {
      throw new Fs123FormatException("d_type", Integer.toString(dType), "must be 0 to 15");
    }
  }

  public byte[] encode() {
    byte[] ns = Netstring.encode(name);
    byte[] tail = (" " + dType + " " + Long.toUnsignedString(cookie) + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[ns.length + tail.length];
    System.arraycopy(ns, 0, out, 0, ns.length);
    System.arraycopy(tail, 0, out, ns.length, tail.length);
    return out;
  }

  /** Parses a whole {@code /d} body into its records. */
  public static List<DirEntry> parseAll(byte[] body) {
    List<DirEntry> out = new ArrayList<>();
    int i = 0;
    while (i < body.length) {
      Netstring.Decoded name = Netstring.decode(body, i, body.length);
      int nl = indexOf(body, (byte) '\n', name.end());
      if (nl < 0) {
        throw new Fs123FormatException("/d record", tail(body, i), "is not terminated by a newline");
      }
      String rest = new String(body, name.end(), nl - name.end(), StandardCharsets.US_ASCII);
      String[] f = rest.split(" ", -1);
      if (f.length != 3 || !f[0].isEmpty()) {
        throw new Fs123FormatException("/d record", tail(body, i), "expected ' d_type cookie' after the name");
      }
      long dType = Decimal.parseUnsigned("d_type", f[1]);
      if (dType > 15) {
        throw new Fs123FormatException("d_type", f[1], "must be 0 to 15");
      }
      long cookie = Decimal.parseUnsigned("estale cookie", f[2]);
      out.add(new DirEntry(new String(name.payload(), StandardCharsets.UTF_8), (int) dType, cookie));
      i = nl + 1;
    }
    return out;
  }

  private static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static String tail(byte[] b, int from) {
    return new String(b, from, Math.min(60, b.length - from), StandardCharsets.ISO_8859_1);
  }
}
