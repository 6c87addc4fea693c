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
    md5.update(data.duplicate());
    return hex(md5);
  }

  /** The hex of a digest's result; the digest is reset. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
