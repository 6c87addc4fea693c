package org.keepfs.client.cache;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link CacheStats}; cheap to bump from many threads. */
final class CacheCounters {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder inserts = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder thrashEvictions = new LongAdder();
  final LongAdder corruptDropped = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder bytesServed = new LongAdder();
  final LongAdder bytesInserted = new LongAdder();
  final LongAdder bytesEvicted = new LongAdder();

  CacheStats snapshot(long entries, long bytes, long capacityBytes) {
    return new CacheStats(
        hits.sum(), misses.sum(), inserts.sum(), evictions.sum(), thrashEvictions.sum(), corruptDropped.sum(),
        rejected.sum(), bytesServed.sum(), bytesInserted.sum(), bytesEvicted.sum(), entries, bytes, capacityBytes);
  }
}
