package org.keepfs.gateway.export;

import java.util.concurrent.ConcurrentHashMap;
import org.keepfs.gateway.tree.EncodedListing;

/**
 * Encoded listings by directory path, valid while the directory's identity and change times are
 * unchanged: any create, delete or rename in a directory moves its mtime and ctime, and an entry's
 * ESTALE cookie changes only through such an operation. Listings of directories changed within the
 * last few clock ticks are not kept, because a second change in the same tick would not move the times.
 */
final class ListingCache {
  /** Directories modified more recently than this are listed afresh every time. */
  static final long SETTLE_NANOS = 50_000_000L;

  private static final long MAX_BYTES = 64L * 1024 * 1024;

  record Version(long dev, long ino, long mtimeNanos, long ctimeNanos) {}

  private record Entry(Version version, EncodedListing listing) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

  EncodedListing get(String path, Version version) {
    Entry e = entries.get(path);
    return e != null && e.version().equals(version) ? e.listing() : null;
  }

  void put(String path, Version version, EncodedListing listing, long nowNanos) {
    if (nowNanos - Math.max(version.mtimeNanos(), version.ctimeNanos()) < SETTLE_NANOS) {
      return;
    }
    if (bytes.addAndGet(listing.byteSize()) > MAX_BYTES) {
      entries.clear();
      bytes.set(listing.byteSize());
    }
    Entry old = entries.put(path, new Entry(version, listing));
    if (old != null) {
      bytes.addAndGet(-old.listing().byteSize());
    }
  }
}
