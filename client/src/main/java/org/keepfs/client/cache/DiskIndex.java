package org.keepfs.client.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process's view of a cache directory: entry names in least-recently-used order with their
 * sizes. It knows nothing of files; the caches delete what it tells them to evict.
 */
final class DiskIndex {
  /** One entry. {@code verified} is per process: set once this process has checked the content. */
  static final class Item {
    final String name;
    final long bytes;
    final long insertedMillis;
    volatile long lastUsedMillis;
    volatile boolean verified;
    /** Set while this process writes the entry: a reader that finds no file yet must not forget it. */
    volatile boolean writing;

    Item(String name, long bytes, long insertedMillis, long lastUsedMillis, boolean verified) {
      this.name = name;
      this.bytes = bytes;
      this.insertedMillis = insertedMillis;
      this.lastUsedMillis = lastUsedMillis;
      this.verified = verified;
    }
  }

  private final LinkedHashMap<String, Item> items = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytes;

  /** The entry, marked as just used; null if unknown. */
  synchronized Item use(String name, long nowMillis) {
    Item item = items.get(name);
    if (item != null) {
      item.lastUsedMillis = nowMillis;
    }
    return item;
  }

  synchronized void put(Item item) {
    Item old = items.put(item.name, item);
    if (old != null) {
      bytes -= old.bytes;
    }
    bytes += item.bytes;
  }

  synchronized Item remove(String name) {
    Item old = items.remove(name);
    if (old != null) {
      bytes -= old.bytes;
    }
    return old;
  }

  /** Removes least-recently-used entries (never {@code keep}) until the total is at most {@code capacity}. */
  synchronized List<Item> evictOver(long capacity, String keep) {
    List<Item> evicted = new ArrayList<>();
    Iterator<Map.Entry<String, Item>> it = items.entrySet().iterator();
    while (bytes > capacity && it.hasNext()) {
      Item item = it.next().getValue();
      if (item.name.equals(keep)) {
        continue;
      }
      it.remove();
      bytes -= item.bytes;
      evicted.add(item);
    }
    return evicted;
  }

  /**
   * Replaces the index with what a scan found, keeping what this process knows (recency, verified)
   * about entries that are still there. Order: least recently used first, by the later of the file's
   * modification time and this process's last use.
   */
  synchronized void replaceWithScan(List<Item> scanned) {
    List<Item> merged = new ArrayList<>(scanned.size());
    for (Item s : scanned) {
      Item known = items.get(s.name);
      if (known != null && known.bytes == s.bytes) {
        known.lastUsedMillis = Math.max(known.lastUsedMillis, s.lastUsedMillis);
        merged.add(known);
      } else {
        merged.add(s);
      }
    }
    merged.sort(Comparator.comparingLong(i -> i.lastUsedMillis));
    items.clear();
    bytes = 0;
    for (Item i : merged) {
      items.put(i.name, i);
      bytes += i.bytes;
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return items.size();
  }
}
