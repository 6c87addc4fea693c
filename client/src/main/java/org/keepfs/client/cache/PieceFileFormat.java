package org.keepfs.client.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The bytes of one block-cache file: the piece's bytes, then a {@value #TRAILER_BYTES}-byte trailer,
 * little-endian: the MD5 of the bytes (16), their length (8) and the magic {@code KFSBLK01} (8).
 * Positional reads address the bytes directly; the trailer lets any process check them.
 */
final class PieceFileFormat {
  static final int TRAILER_BYTES = 32;
  private static final long MAGIC = CacheFiles.magic("KFSBLK01");
  private static final int VERIFY_CHUNK = 1 << 20;

  private PieceFileFormat() {}

  /** Null when the bytes match the trailer (and the hash, for a whole block); otherwise what is wrong. */
  static String verify(PieceKey key, FileChannel channel) throws IOException {
    MessageDigest digest = newMd5();
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.min(VERIFY_CHUNK, Math.max(key.length(), 1)));
    long pos = 0;
    while (pos < key.length()) {
      buf.clear().limit((int) Math.min(buf.capacity(), key.length() - pos));
      int n = channel.read(buf, pos);
      if (n < 0) {
        return "file ended at " + pos;
      }
      buf.flip();
      digest.update(buf);
      pos += n;
    }
    byte[] actual = digest.digest();
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    while (trailer.hasRemaining()) {
      if (channel.read(trailer, key.length() + trailer.position()) < 0) {
        return "trailer is short";
      }
    }
    trailer.flip();
    byte[] recorded = new byte[16];
    trailer.get(recorded);
    long length = trailer.getLong();
    long magic = trailer.getLong();
    if (magic != MAGIC || length != key.length()) {
      return "trailer is damaged";
    }
    if (!MessageDigest.isEqual(actual, recorded)) {
      return "MD5 of the bytes is " + HexFormat.of().formatHex(actual) + ", the trailer says " + HexFormat.of().formatHex(recorded);
    }
    if (key.isWholeBlock() && !HexFormat.of().formatHex(actual).equals(key.hash())) {
      return "MD5 of the block is " + HexFormat.of().formatHex(actual) + ", not its hash";
    }
    return null;
  }

  static ByteBuffer trailer(byte[] md5, long length) {
    ByteBuffer t = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    t.put(md5).putLong(length).putLong(MAGIC);
    return t.flip();
  }

  static byte[] md5(ByteBuffer data) {
    MessageDigest d = newMd5();
    if (data.hasArray()) {
      // Straight from the array: a buffer without one is copied 4 KiB at a time through a scratch array.
      d.update(data.array(), data.arrayOffset() + data.position(), data.remaining());
      data.position(data.limit());
    } else {
      d.update(data);
    }
    return d.digest();
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides MD5", e);
    }
  }
}
