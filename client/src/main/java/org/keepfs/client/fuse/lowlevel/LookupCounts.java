package org.keepfs.client.fuse.lowlevel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many times the kernel holds each inode: every reply that hands it an entry (lookup, create,
 * mkdir, symlink, each readdirplus entry) counts one, and FORGET gives counts back. An inode the
 * kernel no longer holds is dropped from the table, so the table is what the kernel can still ask
 * about by number. The root is never counted (the kernel never forgets it).
 */
final class LookupCounts {
  private final Map<Long, Long> counts = new ConcurrentHashMap<>();

  void add(long ino) {
    counts.merge(ino, 1L, Long::sum);
  }

  /** Undoes {@link #add} for a reply the kernel never received. */
  void undo(long ino) {
    forget(ino, 1);
  }

  /** The kernel forgets {@code n} lookups of {@code ino}; more than it holds clamps to zero. */
  void forget(long ino, long n) {
    counts.computeIfPresent(ino, (k, c) -> c > n ? c - n : null);
  }

  long count(long ino) {
    return counts.getOrDefault(ino, 0L);
  }

  /** How many inodes the kernel holds. */
  int size() {
    return counts.size();
  }
}
