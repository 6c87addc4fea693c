package org.keepfs.gateway.cli;

import java.time.Duration;
import org.keepfs.fs123.CacheControl;
import picocli.CommandLine.Option;

/** How collections are served as fs123 trees ({@code /by_id/<pdh>/...} and {@code /collections/<name>/...}). */
public final class CollectionTreeOptions {
  /** How long the list of collection names is reused before every head is read again. */
  static final Duration NAMES_TTL = Duration.ofSeconds(1);

  @Option(names = "--collection-max-age", paramLabel = "SECONDS", defaultValue = "5",
      description = "max-age of fs123 replies under /collections/<name>/, whose heads move"
          + " (/by_id/ replies are immutable and cached for a year) (default: ${DEFAULT-VALUE}).")
  long collectionMaxAgeSeconds;

  @Option(names = "--manifest-cache-size", paramLabel = "BYTES", defaultValue = "268435456",
      description = "Bound of the in-memory caches of parsed manifests and of their directory listings,"
          + " each (default: ${DEFAULT-VALUE}).")
  long manifestCacheBytes;

  /** The Cache-Control of replies about named collections; a bad value names its option. */
  CacheControl collectionCacheControl() {
    if (collectionMaxAgeSeconds < 0) {
      throw new IllegalArgumentException("--collection-max-age must not be negative: " + collectionMaxAgeSeconds);
    }
    return CacheControl.maxAge(collectionMaxAgeSeconds);
  }

  long manifestCacheBytes() {
    if (manifestCacheBytes < 0) {
      throw new IllegalArgumentException("--manifest-cache-size must not be negative: " + manifestCacheBytes);
    }
    return manifestCacheBytes;
  }
}
