package org.keepfs.client.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open cached piece: positional reads into the caller's buffer, straight from the file, or its
 * {@link #descriptor} for native code that sends the bytes on without copying them.
 *
 * <p><b>References.</b> The piece is opened holding one reference; {@link #retain} adds one and each
 * {@link #close} gives one back; the file is closed when the last is given back. A reader that keeps a
 * piece open for later reads (a cursor) and the reads that use it meanwhile each hold their own, so
 * moving the cursor never closes a file under a read still using it.
 */
public final class CachedPiece implements Closeable {
  private final PieceKey key;
  private final FileChannel channel;
  /** The descriptor the channel reads through, opened by the C library; -1 when there is none. */
  private final int descriptor;
  private final CacheCounters counters;
  private final AtomicInteger references = new AtomicInteger(1);

  CachedPiece(PieceKey key, FileChannel channel, int descriptor, CacheCounters counters) {
    this.key = key;
    this.channel = channel;
    this.descriptor = descriptor;
    this.counters = counters;
  }

  public PieceKey key() {
    return key;
  }

  /** Adds a reference; false when the piece is already closed (then nothing was added). */
  public boolean retain() {
    for (int n = references.get(); n > 0; n = references.get()) {
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The file descriptor holding the piece's bytes at positions 0 to its length (verified like every
   * read of this piece), or -1 when the file was not opened through the C library. Valid while the
   * caller holds a reference.
   */
  public int descriptor() {
    return descriptor;
  }

  /** Counts bytes another party read through {@link #descriptor}. */
  public void served(int bytes) {
    counters.bytesServed.add(bytes);
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

  /** Gives back one reference; the last one closes the file. */
  @Override
  public void close() throws IOException {
    int left = references.decrementAndGet();
    if (left == 0) {
      try {
        channel.close();
      } finally {
        if (descriptor >= 0) {
          Descriptors.close(descriptor);
        }
      }
    } else if (left < 0) {
      references.incrementAndGet();
      throw new IllegalStateException("cached piece " + key + " closed more often than it was opened and retained");
    }
  }
}
