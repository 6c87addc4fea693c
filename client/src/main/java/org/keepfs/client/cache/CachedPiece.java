package org.keepfs.client.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** An open cached piece: positional reads into the caller's buffer, straight from the file. */
public final class CachedPiece implements Closeable {
  private final PieceKey key;
  private final FileChannel channel;
  private final CacheCounters counters;

  CachedPiece(PieceKey key, FileChannel channel, CacheCounters counters) {
    this.key = key;
    this.channel = channel;
    this.counters = counters;
  }

  public PieceKey key() {
    return key;
  }

  /** Reads from {@code position} (within the piece) until {@code dst} is full or the piece ends. */
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position < 0 || position > key.length()) {
      throw new IllegalArgumentException("position " + position + " is outside piece " + key);
    }
    int want = (int) Math.min(dst.remaining(), key.length() - position);
    int savedLimit = dst.limit();
    dst.limit(dst.position() + want);
    int total = 0;
    try {
      while (dst.hasRemaining()) {
        int n = channel.read(dst, position + total);
        if (n < 0) {
          throw new IOException("cached piece " + key + " ended early at " + (position + total));
        }
        total += n;
      }
    } finally {
      dst.limit(savedLimit);
    }
    counters.bytesServed.add(total);
    return total;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
