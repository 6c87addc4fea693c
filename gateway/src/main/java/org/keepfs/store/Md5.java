package org.keepfs.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 as Keep names blocks: 32 lower-case hex digits. */
public final class Md5 {
  private Md5() {}

  /** A fresh MD5 digest; every JDK has one, so its absence is a broken runtime. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no MD5", e);
    }
  }

  /** The hex MD5 of the buffer's remaining bytes; the buffer's position is left unchanged. */
  public static String hex(ByteBuffer data) {
    MessageDigest md5 = newDigest();
    ByteBuffer rest = data.duplicate();
    if (rest.hasArray()) {
      md5.update(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
      return hex(md5);
    }
    // update(ByteBuffer) on a mapped or direct buffer copies through a 4 KiB array and runs several
    // times slower than MD5 itself; 1 MiB copies cost little beside the hash.
    byte[] chunk = new byte[Math.min(rest.remaining(), 1 << 20)];
    while (rest.hasRemaining()) {
      int n = Math.min(chunk.length, rest.remaining());
      rest.get(chunk, 0, n);
      md5.update(chunk, 0, n);
    }
    return hex(md5);
  }

  /** The hex of a digest's result; the digest is reset. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
