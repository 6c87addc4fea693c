package org.keepfs.manifest;

/**
 * How names are spelled in manifest text: writers escape {@code \}, {@code :} and the bytes 0x00 to 0x20 as
 * {@code \ooo} (three octal digits), and write everything else, non-ASCII UTF-8 included, as it is.
 * An escape spells one byte, as in the Go SDK (Python's reader turns {@code \351} into the code point
 * U+00E9 instead; writers never escape bytes above 0x20 other than {@code :} and {@code \}, so the two
 * agree on everything writers produce).
 */
final class NameEscaping {
  private NameEscaping() {}

  static boolean needsEscape(byte b) {
    return (b & 0xff) <= 0x20 || b == '\\' || b == ':';
  }

  static void writeEscaped(ByteSink out, byte[] name, int from, int to) {
    int run = from;
    for (int i = from; i < to; i++) {
      byte b = name[i];
      if (needsEscape(b)) {
        out.write(name, run, i);
        int v = b & 0xff;
        out.write('\\');
        out.write('0' + (v >> 6));
        out.write('0' + ((v >> 3) & 7));
        out.write('0' + (v & 7));
        run = i + 1;
      }
    }
    out.write(name, run, to);
  }

  /**
   * Decodes {@code src[from, to)} into {@code dst} (at least {@code to - from} long) and returns the decoded
   * length: {@code \ooo} (three octal digits, at most {@code \377}) is that byte and {@code \\} is a
   * backslash. Any other backslash is an error, though Python readers keep it literally: writers never
   * produce one, and the API server's validator rejects it.
   *
   * @throws IllegalArgumentException naming the bad escape
   */
  static int unescape(byte[] src, int from, int to, byte[] dst) {
    int n = 0;
    for (int i = from; i < to; ) {
      byte b = src[i];
      if (b != '\\') {
        dst[n++] = b;
        i++;
        continue;
      }
      if (i + 1 < to && src[i + 1] == '\\') {
        dst[n++] = '\\';
        i += 2;
        continue;
      }
      if (i + 3 < to && isOctal(src[i + 1]) && isOctal(src[i + 2]) && isOctal(src[i + 3])) {
        int v = ((src[i + 1] - '0') << 6) | ((src[i + 2] - '0') << 3) | (src[i + 3] - '0');
        if (v > 0377) {
          throw new IllegalArgumentException("the escape \\" + (char) src[i + 1] + (char) src[i + 2] + (char) src[i + 3]
              + " is above \\377 (an escape spells one byte)");
        }
        dst[n++] = (byte) v;
        i += 4;
        continue;
      }
      throw new IllegalArgumentException(
          "a backslash must start an escape: \\ooo (three octal digits, at most \\377) or \\\\");
    }
    return n;
  }

  private static boolean isOctal(byte b) {
    return b >= '0' && b <= '7';
  }

  /** True when {@code b[from, to)} is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
  static boolean isUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        extra = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        extra = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= to) {
        return false;
      }
      int cp = c & (0x3f >> extra);
      for (int k = 1; k <= extra; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}
