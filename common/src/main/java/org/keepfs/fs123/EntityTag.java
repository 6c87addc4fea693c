package org.keepfs.fs123;

import java.util.ArrayList;
import java.util.List;

/**
 * fs123 ETags: a strong, double-quoted decimal uint64 with no leading zero (the client ignores a tag it
 * cannot parse that way). Derived from what identifies a reply's content: the validator, the estale
 * cookie and the size.
 */
public final class EntityTag {
  private EntityTag() {}

  /** A tag value for (validator, cookie, size); never 0, so its decimal form never starts with '0'. */
  public static long of(long validator, long cookie, long size) {
    long h = mix(validator ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ cookie);
    h = mix(h ^ size);
    return h == 0 ? 1 : h;
  }

  /** A 64-bit hash (FNV-1a) of the buffer's remaining bytes, for tags of replies no single number describes. */
  public static long contentHash(java.nio.ByteBuffer data) {
    long h = 0xcbf29ce484222325L;
    for (int i = data.position(); i < data.limit(); i++) {
      h = (h ^ (data.get(i) & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  public static String format(long tag) {
    if (tag == 0) {
      throw new IllegalArgumentException("an fs123 ETag must not be 0");
    }
    return "\"" + Long.toUnsignedString(tag) + "\"";
  }

  /**
   * The tags listed in an {@code If-None-Match} header. Weak markers are dropped (fs123 compares
   * strongly, and only this server's own tags can match); entries that are not fs123 tags are skipped.
   * Returns an empty list for {@code *}.
   */
  public static List<Long> parseIfNoneMatch(String header) {
    List<Long> tags = new ArrayList<>(1);
    for (String part : header.split(",")) {
      String t = part.strip();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.length() >= 3 && t.startsWith("\"") && t.endsWith("\"")) {
        String digits = t.substring(1, t.length() - 1);
        if (Decimal.isDigits(digits) && digits.charAt(0) != '0') {
          try {
            tags.add(Long.parseUnsignedLong(digits));
          } catch (NumberFormatException e) {
            // Longer than 64 bits: not one of ours, so it cannot match.
          }
        }
      }
    }
    return tags;
  }

  /** Whether an If-None-Match header names this tag (or is {@code *}). */
  public static boolean matches(String ifNoneMatch, long tag) {
    if (ifNoneMatch.strip().equals("*")) {
      return true;
    }
    return parseIfNoneMatch(ifNoneMatch).contains(tag);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
