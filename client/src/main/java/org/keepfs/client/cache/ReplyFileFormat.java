package org.keepfs.client.cache;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of one reply-cache file, little-endian:
 *
 * <pre>
 *   8  magic "KFSRPL01"
 *   4  HTTP status
 *   8  fetched-at, epoch milliseconds
 *   8  Age, milliseconds
 *   8  max-age, 8 stale-while-revalidate, 8 stale-if-error, milliseconds
 *   4+n  URL (length, UTF-8)
 *   4  header count, then per header 4+n name and 4+n value (UTF-8)
 *   4+n  body
 *   4  CRC32C of every byte before it
 * </pre>
 *
 * A file that is short, has another magic, a bad checksum or lengths that run past its end is
 * torn or corrupt, and {@link #decode} says so instead of returning a reply.
 */
final class ReplyFileFormat {
  private static final long MAGIC = CacheFiles.magic("KFSRPL01");
  private static final int FIXED_BYTES = 8 + 4 + 8 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 4;

  private ReplyFileFormat() {}

  /** Thrown for a file that is not a complete, intact reply. */
  static final class CorruptReplyException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptReplyException(String message) {
      super(message, null, false, false);
    }
  }

  static ByteBuffer encode(StoredReply r) {
    byte[] url = r.url().getBytes(StandardCharsets.UTF_8);
    int size = FIXED_BYTES + url.length + r.bodyLength();
    Map<byte[], byte[]> headers = new LinkedHashMap<>();
    for (var h : r.headers().entrySet()) {
      byte[] n = h.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = h.getValue().getBytes(StandardCharsets.UTF_8);
      headers.put(n, v);
      size += 8 + n.length + v.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(MAGIC).putInt(r.status()).putLong(r.fetchedAt().toEpochMilli()).putLong(r.age().toMillis())
        .putLong(r.lifetimes().maxAge().toMillis()).putLong(r.lifetimes().staleWhileRevalidate().toMillis())
        .putLong(r.lifetimes().staleIfError().toMillis());
    b.putInt(url.length).put(url);
    b.putInt(headers.size());
    headers.forEach((n, v) -> b.putInt(n.length).put(n).putInt(v.length).put(v));
    b.putInt(r.bodyLength()).put(r.bodyBuffer());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  static StoredReply decode(byte[] file) throws CorruptReplyException {
    if (file.length < FIXED_BYTES) {
      throw new CorruptReplyException("only " + file.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getLong() != MAGIC) {
      throw new CorruptReplyException("not a reply-cache file (magic)");
    }
    CRC32C crc = new CRC32C();
    crc.update(file, 0, file.length - 4);
    if ((int) crc.getValue() != b.getInt(file.length - 4)) {
      throw new CorruptReplyException("checksum mismatch (torn or damaged)");
    }
    try {
      int status = b.getInt();
      Instant fetchedAt = Instant.ofEpochMilli(b.getLong());
      Duration age = Duration.ofMillis(b.getLong());
      CacheLifetimes lifetimes = new CacheLifetimes(Duration.ofMillis(b.getLong()), Duration.ofMillis(b.getLong()),
          Duration.ofMillis(b.getLong()));
      String url = string(b);
      int count = b.getInt();
      if (count < 0 || count > 1000) {
        throw new CorruptReplyException("header count " + count);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        headers.put(string(b), string(b));
      }
      byte[] body = bytes(b);
      if (b.remaining() != 4) {
        throw new CorruptReplyException((b.remaining() - 4) + " stray bytes after the body");
      }
      return new StoredReply(url, status, headers, body, fetchedAt, age, lifetimes);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CorruptReplyException("fields run past the end or are invalid: " + e);
    }
  }

  private static String string(ByteBuffer b) throws CorruptReplyException {
    return new String(bytes(b), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer b) throws CorruptReplyException {
    int n = b.getInt();
    if (n < 0 || n > b.remaining() - 4) {
      throw new CorruptReplyException("length " + n + " runs past the end");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
