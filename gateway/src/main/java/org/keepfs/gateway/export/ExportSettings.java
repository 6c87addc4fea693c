package org.keepfs.gateway.export;

import java.util.function.LongSupplier;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.MonotonicValidator;

/**
 * How an export behaves.
 *
 * @param defaultCacheControl Cache-Control where no rules file applies
 * @param rulesFileMaxAgeSeconds how long a rules file (or the absence of one) is trusted when the file
 *     does not say ({@code rulesfile-maxage})
 * @param mtimeGranularityNanos the filesystem timestamp granularity the validator clamp assumes
 * @param wallClockNanos the current time in nanoseconds since the epoch (injectable for tests)
 */
public record ExportSettings(
    CacheControl defaultCacheControl,
    long rulesFileMaxAgeSeconds,
    long mtimeGranularityNanos,
    LongSupplier wallClockNanos) {

  /** exportd's {@code --no_rules_cc}. */
  public static final CacheControl EXPORTD_DEFAULT_CACHE_CONTROL =
      CacheControl.maxAge(120).withStaleWhileRevalidate(120).withStaleIfError(10_000_000);

  public static final long DEFAULT_RULES_FILE_MAX_AGE_SECONDS = 90;

  public ExportSettings {
    if (defaultCacheControl.maxAge().isEmpty()) {
      throw new IllegalArgumentException("the default Cache-Control needs a max-age: '" + defaultCacheControl + "'");
    }
    if (rulesFileMaxAgeSeconds < 0 || mtimeGranularityNanos < 0) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  public static ExportSettings defaults() {
    return new ExportSettings(EXPORTD_DEFAULT_CACHE_CONTROL, DEFAULT_RULES_FILE_MAX_AGE_SECONDS,
        MonotonicValidator.DEFAULT_GRANULARITY_NANOS, ExportSettings::now);
  }

  public ExportSettings withDefaultCacheControl(CacheControl cc) {
    return new ExportSettings(cc, rulesFileMaxAgeSeconds, mtimeGranularityNanos, wallClockNanos);
  }

  public ExportSettings withRulesFileMaxAgeSeconds(long s) {
    return new ExportSettings(defaultCacheControl, s, mtimeGranularityNanos, wallClockNanos);
  }

  private static long now() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
