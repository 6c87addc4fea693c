package org.keepfs.fs123;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of fs123 paths and xattr names, exactly as the stock client does it: every byte of
 * the UTF-8 form except {@code A-Z a-z 0-9 - . _ ~ /} becomes {@code %XX} in upper-case hex. Decoding
 * turns {@code %XX} (either case) back into bytes, leaves {@code +} alone, and happens once.
 */
public final class PathCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathCodec() {}

  public static String encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length + 8);
    for (byte x : bytes) {
      int c = x & 0xff;
      if (isUnreserved(c) || c == '/') {
        b.append((char) c);
      } else {
        b.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xf]);
      }
    }
    return b.toString();
  }

  /** Encodes an xattr name for the {@code /x} query, where '/' is escaped too. */
  public static String encodeComponent(String text) {
    return encode(text).replace("/", "%2F");
  }

  /**
   * Decodes percent escapes once.
   *
   * @param what names the field in error messages
   * @param allowSlash whether an encoded {@code %2F} may appear (never in a path: it would smuggle a
   *     separator past the path checks)
   */
  public static String decode(String what, String raw, boolean allowSlash) {
    if (raw.indexOf('%') < 0) {
      checkNoNul(what, raw, raw);
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new Fs123FormatException(what, raw, "'%' at offset " + i + " is not followed by two hex digits");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new Fs123FormatException(what, raw, "'%' at offset " + i + " is not followed by two hex digits");
        }
        int v = hi << 4 | lo;
        if (v == '/' && !allowSlash) {
          throw new Fs123FormatException(what, raw, "contains an encoded '/' (%2F)");
        }
        out.write(v);
        i += 2;
      } else if (c > 0x7f) {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
      } else {
        out.write(c);
      }
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Fs123FormatException(what, raw, "does not decode to UTF-8");
    }
    checkNoNul(what, raw, decoded);
    return decoded;
  }

  /**
   * Checks a decoded fs123 path: empty (the root) or '/' followed by components, with no empty, '.' or
   * '..' component, no trailing '/', and no NUL.
   */
  public static String checkPath(String raw, String path) {
    if (path.isEmpty()) {
      return path;
    }
    if (path.charAt(0) != '/') {
      throw new Fs123FormatException("path", raw, "must be empty or start with '/'");
    }
    if (path.endsWith("/")) {
      throw new Fs123FormatException("path", raw, "must not end with '/'");
    }
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      int len = end - start;
      if (len == 0) {
        throw new Fs123FormatException("path", raw, "contains an empty component ('//')");
      }
      if (len == 1 && path.charAt(start) == '.') {
        throw new Fs123FormatException("path", raw, "contains a '.' component");
      }
      if (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
        throw new Fs123FormatException("path", raw, "contains a '..' component");
      }
      start = end + 1;
    }
    return path;
  }

  private static void checkNoNul(String what, String raw, String decoded) {
    if (decoded.indexOf('\0') >= 0) {
      throw new Fs123FormatException(what, raw, "contains a NUL byte");
    }
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
