package org.keepfs.fs123;

import java.util.OptionalLong;

/**
 * The Cache-Control directives fs123 uses, parsed and formatted. A directive's key is recognised only at
 * the start of the value or after a comma or whitespace, so {@code s-maxage} is never read as
 * {@code max-age}. Unknown directives are skipped when parsing (they are for other caches).
 *
 * <p>{@code max-stale} without a value means "any staleness" and is held as {@link Long#MAX_VALUE}.
 */
public record CacheControl(
    OptionalLong maxAge,
    OptionalLong staleWhileRevalidate,
    OptionalLong staleIfError,
    OptionalLong maxStale,
    boolean isPublic,
    boolean immutable,
    boolean noCache) {

  public static final CacheControl NONE =
      new CacheControl(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
          false, false, false);

  public static CacheControl maxAge(long seconds) {
    return NONE.withMaxAge(seconds);
  }

  public CacheControl withMaxAge(long s) {
    return new CacheControl(seconds("max-age", s), staleWhileRevalidate, staleIfError, maxStale, isPublic, immutable, noCache);
  }

  public CacheControl withStaleWhileRevalidate(long s) {
    return new CacheControl(maxAge, seconds("stale-while-revalidate", s), staleIfError, maxStale, isPublic, immutable, noCache);
  }

  public CacheControl withStaleIfError(long s) {
    return new CacheControl(maxAge, staleWhileRevalidate, seconds("stale-if-error", s), maxStale, isPublic, immutable, noCache);
  }

  public CacheControl withMaxStale(long s) {
    return new CacheControl(maxAge, staleWhileRevalidate, staleIfError, seconds("max-stale", s), isPublic, immutable, noCache);
  }

  public CacheControl withPublic(boolean v) {
    return new CacheControl(maxAge, staleWhileRevalidate, staleIfError, maxStale, v, immutable, noCache);
  }

  public CacheControl withImmutable(boolean v) {
    return new CacheControl(maxAge, staleWhileRevalidate, staleIfError, maxStale, isPublic, v, noCache);
  }

  public CacheControl withNoCache(boolean v) {
    return new CacheControl(maxAge, staleWhileRevalidate, staleIfError, maxStale, isPublic, immutable, v);
  }

  /** max-age in seconds, 0 when absent: the fs123 client's reading of a reply without one. */
  public long maxAgeOrZero() {
    return maxAge.orElse(0);
  }

  public String format() {
    StringBuilder b = new StringBuilder(64);
    if (isPublic) {
      append(b, "public");
    }
    maxAge.ifPresent(v -> append(b, "max-age=" + v));
    staleWhileRevalidate.ifPresent(v -> append(b, "stale-while-revalidate=" + v));
    staleIfError.ifPresent(v -> append(b, "stale-if-error=" + v));
    if (immutable) {
      append(b, "immutable");
    }
    if (noCache) {
      append(b, "no-cache");
    }
    maxStale.ifPresent(v -> append(b, v == Long.MAX_VALUE ? "max-stale" : "max-stale=" + v));
    return b.toString();
  }

  @Override
  public String toString() {
    return format();
  }

  /**
   * Parses a Cache-Control header value.
   *
   * @throws Fs123FormatException if a directive fs123 uses has a missing or non-numeric value
   */
  public static CacheControl parse(String header) {
    CacheControl cc = NONE;
    int i = 0;
    int n = header.length();
    while (i < n) {
      while (i < n && (header.charAt(i) == ',' || Character.isWhitespace(header.charAt(i)))) {
        i++;
      }
      int keyStart = i;
      while (i < n && header.charAt(i) != '=' && header.charAt(i) != ',' && !Character.isWhitespace(header.charAt(i))) {
        i++;
      }
      String key = header.substring(keyStart, i).toLowerCase(java.util.Locale.ROOT);
      String value = null;
      int j = i;
      while (j < n && Character.isWhitespace(header.charAt(j))) {
        j++;
      }
      if (j < n && header.charAt(j) == '=') {
        j++;
        while (j < n && Character.isWhitespace(header.charAt(j))) {
          j++;
        }
        int valueStart = j;
        if (j < n && header.charAt(j) == '"') {
          int close = header.indexOf('"', j + 1);
          if (close < 0) {
            throw new Fs123FormatException("Cache-Control", header, "unterminated quoted value for " + key);
          }
          value = header.substring(j + 1, close);
          j = close + 1;
        } else {
          while (j < n && header.charAt(j) != ',' && !Character.isWhitespace(header.charAt(j))) {
            j++;
          }
          value = header.substring(valueStart, j);
        }
        i = j;
      }
      if (key.isEmpty()) {
        if (value != null) {
          throw new Fs123FormatException("Cache-Control", header, "'=' without a directive name");
        }
        continue;
      }
      cc = switch (key) {
        case "max-age" -> cc.withMaxAge(number(header, key, value));
        case "stale-while-revalidate" -> cc.withStaleWhileRevalidate(number(header, key, value));
        case "stale-if-error" -> cc.withStaleIfError(number(header, key, value));
        case "max-stale" -> cc.withMaxStale(value == null ? Long.MAX_VALUE : number(header, key, value));
        case "public" -> cc.withPublic(true);
        case "immutable" -> cc.withImmutable(true);
        case "no-cache" -> cc.withNoCache(true);
        default -> cc;
      };
    }
    return cc;
  }

  private static long number(String header, String key, String value) {
    if (value == null || !Decimal.isDigits(value)) {
      throw new Fs123FormatException("Cache-Control", header, key + " needs a non-negative decimal number of seconds");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      // RFC 9111 section 1.2.2: a delta-seconds too large to represent means "a very long time".
      return Integer.MAX_VALUE;
    }
  }

  private static OptionalLong seconds(String key, long s) {
    if (s < 0) {
      throw new IllegalArgumentException(key + " must not be negative, was " + s);
    }
    return OptionalLong.of(s);
  }

  private static void append(StringBuilder b, String directive) {
    if (!b.isEmpty()) {
      b.append(',');
    }
    b.append(directive);
  }
}
