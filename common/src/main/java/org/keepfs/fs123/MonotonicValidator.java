package org.keepfs.fs123;

/**
 * The validator rule of exportd: {@code min(mtime_ns, now_ns - 2 * granularity_ns)}. A file modified
 * within the last two timestamp granules gets a validator below its mtime, so a later change that the
 * coarse clock stamps with the same mtime still produces a larger validator. It never decreases as long
 * as nobody sets mtimes backwards.
 */
public final class MonotonicValidator {
  /** exportd's default {@code --mtim_granularity_ns}. */
  public static final long DEFAULT_GRANULARITY_NANOS = 400_000;

  private MonotonicValidator() {}

  public static long of(long mtimeNanos, long nowNanos, long granularityNanos) {
    return Math.min(mtimeNanos, nowNanos - 2 * granularityNanos);
  }
}
