package org.keepfs.client.write.block;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on heap bytes held by buffer blocks. Buffers reserve before they grow; a reservation that
 * does not fit sends the buffer to the spool instead, so the heap never grows past the limit.
 */
public final class MemoryBudget {
  /** The default limit: 256 MiB. */
  public static final long DEFAULT_LIMIT = 256L << 20;

  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  /**
   * Full chunks of released buffers, handed out again before new ones are made. Buffers churn through
   * the limit many times over while a large file is written; made fresh each time, the chunks become
   * garbage faster than the collector returns it, and the process grows far past the limit.
   */
  private final ConcurrentLinkedQueue<byte[]> freeChunks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger freeCount = new AtomicInteger();

  public MemoryBudget(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("the memory limit must not be negative, got " + limit);
    }
    this.limit = limit;
  }

  /** Reserves {@code bytes} if they fit under the limit. */
  public boolean tryReserve(long bytes) {
    while (true) {
      long u = used.get();
      if (u + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + bytes)) {
        peak.accumulateAndGet(u + bytes, Math::max);
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** A chunk of {@link HeapBytes#CHUNK} bytes for a buffer that has reserved them; a recycled one holds old bytes. */
  byte[] chunk() {
    byte[] c = freeChunks.poll();
    if (c == null) {
      return new byte[HeapBytes.CHUNK];
    }
    freeCount.decrementAndGet();
    return c;
  }

  /**
   * Takes back a chunk whose reservation was released; kept only while the free chunks and the reserved
   * bytes together stay within the limit, so recycling never holds more than the limit on the heap.
   */
  void recycle(byte[] chunk) {
    if (chunk.length != HeapBytes.CHUNK) {
      return;
    }
    if ((long) freeCount.incrementAndGet() * HeapBytes.CHUNK + used.get() <= limit) {
      freeChunks.add(chunk);
    } else {
      freeCount.decrementAndGet();
    }
  }

  public long used() {
    return used.get();
  }

  /** The most that was ever reserved at once. */
  public long peak() {
    return peak.get();
  }

  public long limit() {
    return limit;
  }
}
