package org.keepfs.store.local;

import java.nio.MappedByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whole-block mappings kept for reuse, least recently used first out. Mapping a 64 MiB file and
 * faulting its pages in again for every request costs more than sending it; a kept mapping is
 * sliced instead. Only address space is held: the pages stay in the kernel's page cache either way.
 */
final class MappedBlocks {
  private final int capacity;
  private final Map<String, MappedByteBuffer> mappings;

  MappedBlocks(int capacity) {
    this.capacity = capacity;
    this.mappings = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, MappedByteBuffer> eldest) {
        return size() > MappedBlocks.this.capacity;
      }
    };
  }

  synchronized MappedByteBuffer get(String hash) {
    return mappings.get(hash);
  }

  synchronized void put(String hash, MappedByteBuffer mapping) {
    mappings.put(hash, mapping);
  }

  /** Forgets a mapping whose file was replaced or removed. */
  synchronized void forget(String hash) {
    mappings.remove(hash);
  }
}
