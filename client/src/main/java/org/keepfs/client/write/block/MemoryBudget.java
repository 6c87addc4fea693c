package org.keepfs.client.write.block;

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
