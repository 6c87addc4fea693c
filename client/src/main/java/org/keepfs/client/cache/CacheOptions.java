package org.keepfs.client.cache;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How a disk cache is set up: the same knobs for the block cache and the reply cache.
 *
 * @param root the cache directory (created if missing)
 * @param capacityBytes the size bound, file overheads included
 * @param fsync force each entry to the device before it is renamed into place (not needed for
 *     {@code kill -9}, which loses nothing the kernel has; it guards against power loss)
 * @param thrashWindow an eviction this soon after the insert counts as thrash
 * @param clock time source for recency and thrash detection
 */
public record CacheOptions(Path root, long capacityBytes, boolean fsync, Duration thrashWindow, Clock clock) {
  public CacheOptions {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("cache capacity must be positive, got " + capacityBytes + " bytes");
    }
  }

  /** No fsync, a 30 s thrash window and the system clock. */
  public static CacheOptions of(Path root, long capacityBytes) {
    return new CacheOptions(root, capacityBytes, false, Duration.ofSeconds(30), Clock.systemUTC());
  }

  public CacheOptions withFsync(boolean on) {
    return new CacheOptions(root, capacityBytes, on, thrashWindow, clock);
  }

  public CacheOptions withClock(Clock c) {
    return new CacheOptions(root, capacityBytes, fsync, thrashWindow, c);
  }
}
