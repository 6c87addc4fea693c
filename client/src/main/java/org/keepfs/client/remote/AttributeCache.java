package org.keepfs.client.remote;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.keepfs.client.cache.CacheLifetimes;
import org.keepfs.fs123.AttrReply;

/**
 * Parsed attributes by path, in memory, in front of the reply caches: a warm lookup or getattr costs
 * one map access, with no reply to find, read or parse. Filled from {@code /a} replies and from
 * listings that carry attributes; each entry keeps its own expiry, so a listing's entries are trusted
 * exactly as long as their own max-age allows. Bounded: least recently used entries go first.
 *
 * <p>Of two answers for one path, the one the server generated later wins (a listing read back from
 * the disk cache must not replace a newer {@code /a}).
 */
final class AttributeCache {
  /** fs123's default for its in-memory attribute cache ({@code Fs123AttrCacheSize}). */
  static final int DEFAULT_CAPACITY = 100_000;

  /**
   * What is known about one path.
   *
   * @param attr the {@code /a} body
   * @param cookie the ESTALE cookie that came with it
   * @param generated when the server produced it: arrival minus Age
   * @param expires when it stops being fresh: {@code generated} + its own max-age
   * @param lifetimes its own lifetimes, for the stale-while-revalidate and stale-if-error windows
   */
  record Known(AttrReply attr, long cookie, Instant generated, Instant expires, CacheLifetimes lifetimes) {}

  private final int capacity;
  private final Map<String, Known> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  AttributeCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("attribute cache capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
        if (size() > AttributeCache.this.capacity) {
          evictions.increment();
          return true;
        }
        return false;
      }
    };
  }

  /** What is known about {@code path}, fresh or not; the caller judges its freshness. */
  Optional<Known> get(String path) {
    Known k;
    synchronized (entries) {
      k = entries.get(path);
    }
    (k == null ? misses : hits).increment();
    return Optional.ofNullable(k);
  }

  void put(String path, Known known) {
    synchronized (entries) {
      Known old = entries.get(path);
      if (old == null || !old.generated().isAfter(known.generated())) {
        entries.put(path, known);
      }
    }
  }

  void remove(String path) {
    synchronized (entries) {
      entries.remove(path);
    }
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  String renderStats() {
    return "attribute_cache.hits " + hits.sum() + "\nattribute_cache.misses " + misses.sum() + "\nattribute_cache.evictions "
        + evictions.sum() + "\nattribute_cache.entries " + size() + "\nattribute_cache.capacity " + capacity + "\n";
  }
}
