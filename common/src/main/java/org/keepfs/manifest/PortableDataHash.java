package org.keepfs.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.keepfs.locator.Locator;

/**
 * The name of a collection's content: {@code md5_hex(stripped) + "+" + length(stripped)}, where
 * {@code stripped} is the manifest text with every hint removed from every locator ({@code hash+size+X+Y}
 * becomes {@code hash+size}; a bare hash stays bare) and every other byte unchanged.
 *
 * @param hash 32 lower-case hex digits
 * @param size the length in bytes of the stripped text
 */
public record PortableDataHash(String hash, long size) {
  private static final HexFormat HEX = HexFormat.of();

  /** The hash of the empty collection (the empty manifest ""). */
  public static final PortableDataHash EMPTY = new PortableDataHash(Locator.EMPTY_HASH, 0);

  public PortableDataHash {
    if (!Locator.isHash(hash) || size < 0) {
      throw new IllegalArgumentException("invalid portable data hash '" + hash + "+" + size
          + "' (expected 32 lower-case hex digits, '+', a size)");
    }
  }

  /** Parses {@code hash+size}, the form used in {@code by_id} paths and API records. */
  public static PortableDataHash parse(String text) {
    int plus = text.indexOf('+');
    String size = plus < 0 ? "" : text.substring(plus + 1);
    if (plus != 32 || size.isEmpty() || size.length() > 18 || !size.chars().allMatch(c -> c >= '0' && c <= '9')
        || !Locator.isHash(text.substring(0, 32))) {
      throw new IllegalArgumentException("'" + text + "' is not a portable data hash (32 lower-case hex digits, '+', a size)");
    }
    return new PortableDataHash(text.substring(0, 32), Long.parseLong(size));
  }

  /** The portable data hash of manifest text as it is (it is not parsed or checked). */
  public static PortableDataHash ofText(String manifestText) {
    return ofText(manifestText.getBytes(StandardCharsets.UTF_8));
  }

  /** The portable data hash of manifest text as it is (it is not parsed or checked). */
  public static PortableDataHash ofText(byte[] text) {
    MessageDigest md5 = newMd5();
    long size = 0;
    int run = 0; // start of the bytes not yet hashed
    int p = 0;
    while (p < text.length) {
      int end = p;
      while (end < text.length && text[end] != ' ' && text[end] != '\n') {
        end++;
      }
      int keep = ManifestLocators.hashAndSizeEnd(text, p, end);
      if (keep >= 0 && keep < end) {
        md5.update(text, run, keep - run);
        size += keep - run;
        run = end;
      }
      p = end + 1;
    }
    md5.update(text, run, text.length - run);
    size += text.length - run;
    return new PortableDataHash(HEX.formatHex(md5.digest()), size);
  }

  /** The portable data hash of the normalized text of {@code manifest}'s tree. */
  public static PortableDataHash ofNormalized(Manifest manifest) {
    return ofText(manifest.normalizedText());
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available in this JDK", e);
    }
  }

  /** {@code hash+size}. */
  @Override
  public String toString() {
    return hash + "+" + size;
  }
}
