package org.keepfs.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which (store, block) pairs have been hashed in full in this process and found correct, so that
 * later range reads from that store need not read the whole block again. Bounded: the oldest entries
 * are forgotten, which only costs one more full check.
 */
final class VerifiedBlocks {
  private final int capacity;
  private final Map<String, Boolean> entries;

  VerifiedBlocks(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > VerifiedBlocks.this.capacity;
      }
    };
  }

  synchronized boolean contains(BlockStore store, String hash) {
    return entries.get(key(store, hash)) != null;
  }

  synchronized void add(BlockStore store, String hash) {
    entries.put(key(store, hash), Boolean.TRUE);
  }

  synchronized void remove(BlockStore store, String hash) {
    entries.remove(key(store, hash));
  }

  private static String key(BlockStore store, String hash) {
    return store.id() + "/" + hash;
  }
}
