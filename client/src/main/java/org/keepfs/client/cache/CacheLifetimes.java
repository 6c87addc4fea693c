package org.keepfs.client.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The lifetimes a reply's {@code Cache-Control} granted, as numbers (the header is parsed where
 * fs123 encodings live; the cache only stores and compares durations).
 *
 * @param maxAge {@code max-age}
 * @param staleWhileRevalidate {@code stale-while-revalidate} (zero if absent)
 * @param staleIfError {@code stale-if-error} (zero if absent)
 */
public record CacheLifetimes(Duration maxAge, Duration staleWhileRevalidate, Duration staleIfError) {
  public static final CacheLifetimes NONE = new CacheLifetimes(Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** What a parsed Cache-Control grants; {@code no-cache} grants nothing, an absent max-age is 0 (fs123's reading). */
  public static CacheLifetimes of(org.keepfs.fs123.CacheControl cc) {
    if (cc.noCache()) {
      return NONE;
    }
    return new CacheLifetimes(Duration.ofSeconds(cc.maxAgeOrZero()), Duration.ofSeconds(cc.staleWhileRevalidate().orElse(0)),
        Duration.ofSeconds(cc.staleIfError().orElse(0)));
  }

  public CacheLifetimes {
    for (Duration d : new Duration[] {maxAge, staleWhileRevalidate, staleIfError}) {
      Objects.requireNonNull(d, "lifetime");
      if (d.isNegative()) {
        throw new IllegalArgumentException("cache lifetimes must not be negative: max-age " + maxAge
            + ", stale-while-revalidate " + staleWhileRevalidate + ", stale-if-error " + staleIfError);
      }
    }
  }
}
