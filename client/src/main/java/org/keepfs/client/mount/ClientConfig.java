package org.keepfs.client.mount;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.keepfs.client.http.HttpOptions;

/**
 * Everything one mount's client needs.
 *
 * @param http how to reach the gateway
 * @param cacheDir where the block and reply caches live (shared by mounts on one host)
 * @param cacheSizeBytes the bound of both caches together
 * @param disconnected never contact the network; serve what the caches hold
 * @param staleIfError how long past its max-age a cached reply stands in for an unreachable gateway
 * @param subdir what to mount: "" for the gateway root, an export path, by_id/PDH or collections/NAME
 * @param headMaxAge how long a named collection's head is used before it is revalidated
 */
public record ClientConfig(
    HttpOptions http, Path cacheDir, long cacheSizeBytes, boolean disconnected, Duration staleIfError, String subdir,
    Duration headMaxAge) {
  /** The smallest cache that holds one whole Keep block next to the replies. */
  public static final long MIN_CACHE_BYTES = 128L << 20;

  public ClientConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(subdir, "subdir");
    if (cacheSizeBytes < MIN_CACHE_BYTES) {
      throw new IllegalArgumentException("--cache-size " + cacheSizeBytes + " is too small: at least " + MIN_CACHE_BYTES
          + " bytes (128M), enough for a 64 MiB block and the replies");
    }
    if (staleIfError.isNegative() || headMaxAge.isNegative()) {
      throw new IllegalArgumentException("--stale-if-error and the head max-age must not be negative");
    }
  }

  /** The reply cache's share: a tenth, at most 1 GiB. */
  long replyCacheBytes() {
    return Math.min(cacheSizeBytes / 10, 1L << 30);
  }

  long blockCacheBytes() {
    return cacheSizeBytes - replyCacheBytes();
  }
}
