package org.keepfs.gateway.collectiontree;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A map bounded by the total weight of its values, dropping the least recently used entries first.
 * Values here are immutable (parsed manifests, encoded listings), so a lost race between two loaders
 * of one key only costs a second load.
 */
final class LruCache<K, V> {
  private final long maxWeight;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long weight;

  LruCache(long maxWeight, ToLongFunction<V> weigher) {
    if (maxWeight < 0) {
      throw new IllegalArgumentException("a cache bound must not be negative: " + maxWeight);
    }
    this.maxWeight = maxWeight;
    this.weigher = weigher;
  }

  synchronized V get(K key) {
    return entries.get(key);
  }

  /** Keeps the value unless it alone is heavier than the bound. */
  synchronized void put(K key, V value) {
    long w = weigher.applyAsLong(value);
    if (w > maxWeight) {
      return;
    }
    V old = entries.put(key, value);
    weight += w - (old == null ? 0 : weigher.applyAsLong(old));
    Iterator<Map.Entry<K, V>> eldest = entries.entrySet().iterator();
    while (weight > maxWeight && eldest.hasNext()) {
      Map.Entry<K, V> e = eldest.next();
      weight -= weigher.applyAsLong(e.getValue());
      eldest.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
