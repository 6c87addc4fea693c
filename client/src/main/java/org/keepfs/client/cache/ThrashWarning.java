package org.keepfs.client.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices evictions of entries that were written only moments before (the working set does not fit
 * the cache, so every read fetches again) and says so in the log, at most once per window.
 */
final class ThrashWarning {
  private static final Logger LOG = LoggerFactory.getLogger(ThrashWarning.class);

  private final String cacheName;
  private final Duration window;
  private final Clock clock;
  private final CacheCounters counters;
  private Instant lastWarning = Instant.MIN;

  ThrashWarning(String cacheName, Duration window, Clock clock, CacheCounters counters) {
    this.cacheName = cacheName;
    this.window = window;
    this.clock = clock;
    this.counters = counters;
  }

  /** Records an eviction of an entry written at {@code insertedMillis}; true when it counts as thrash. */
  boolean onEviction(String what, long insertedMillis, long capacityBytes) {
    Instant now = clock.instant();
    long ageMillis = now.toEpochMilli() - insertedMillis;
    if (ageMillis >= window.toMillis()) {
      return false;
    }
    counters.thrashEvictions.increment();
    synchronized (this) {
      if (lastWarning.plus(window).isAfter(now)) {
        return true;
      }
      lastWarning = now;
    }
    LOG.warn("{} is thrashing: evicted {} {} ms after it was written ({} such evictions so far);"
        + " the working set does not fit in {} bytes, consider a larger cache",
        cacheName, what, ageMillis, counters.thrashEvictions.sum(), capacityBytes);
    return true;
  }
}
