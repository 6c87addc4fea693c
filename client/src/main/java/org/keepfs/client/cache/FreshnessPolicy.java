package org.keepfs.client.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides, from a stored reply's arrival time, Age and lifetimes, whether it is fresh, usable while a
 * refresh runs, usable only if the server fails, or expired, following the fs123 client: a reply
 * expires at arrival + max-age − Age; stale-while-revalidate is extended by {@code extraStaleWhileRevalidate};
 * the stale-if-error window is the longer of the reply's and {@code staleIfError} (fs123 defaults to
 * ten days). In disconnected mode the server is never contacted: anything within the stale-if-error
 * window is served, anything older is unavailable.
 *
 * <p>Pure: no I/O, time from the injected {@link Clock}.
 */
public final class FreshnessPolicy {
  /** fs123's default for how long a stale reply may stand in for a failing server. */
  public static final Duration DEFAULT_STALE_IF_ERROR = Duration.ofDays(10);
  private static final Duration MAX_SWR_KERNEL_TIMEOUT = Duration.ofSeconds(1);

  private final Clock clock;
  private final Duration extraStaleWhileRevalidate;
  private final Duration staleIfError;
  private final boolean disconnected;

  public FreshnessPolicy(Clock clock, Duration extraStaleWhileRevalidate, Duration staleIfError, boolean disconnected) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.extraStaleWhileRevalidate = nonNegative(extraStaleWhileRevalidate, "extraStaleWhileRevalidate");
    this.staleIfError = nonNegative(staleIfError, "staleIfError");
    this.disconnected = disconnected;
  }

  /** fs123's defaults: no extra stale-while-revalidate, ten days of stale-if-error, connected. */
  public static FreshnessPolicy defaults(Clock clock) {
    return new FreshnessPolicy(clock, Duration.ZERO, DEFAULT_STALE_IF_ERROR, false);
  }

  public FreshnessPolicy withDisconnected(boolean off) {
    return new FreshnessPolicy(clock, extraStaleWhileRevalidate, staleIfError, off);
  }

  public boolean disconnected() {
    return disconnected;
  }

  public FreshnessVerdict judge(StoredReply reply) {
    return judge(reply.expires(), reply.lifetimes());
  }

  /** The verdict for a reply that stops being fresh at {@code expires}. */
  public FreshnessVerdict judge(Instant expires, CacheLifetimes lifetimes) {
    Instant now = clock.instant();
    Duration staleness = Duration.between(expires, now);
    Duration swrWindow = lifetimes.staleWhileRevalidate().plus(extraStaleWhileRevalidate);
    Duration sieWindow = max(lifetimes.staleIfError(), staleIfError);
    if (staleness.isNegative()) {
      return new FreshnessVerdict(Freshness.FRESH, FreshnessVerdict.Action.SERVE, staleness, staleness.negated());
    }
    if (staleness.compareTo(swrWindow) < 0) {
      Duration left = swrWindow.minus(staleness);
      FreshnessVerdict.Action action = disconnected ? FreshnessVerdict.Action.SERVE : FreshnessVerdict.Action.SERVE_AND_REFRESH;
      return new FreshnessVerdict(Freshness.STALE_WHILE_REVALIDATE, action, staleness, min(left, MAX_SWR_KERNEL_TIMEOUT));
    }
    if (staleness.compareTo(sieWindow) <= 0) {
      FreshnessVerdict.Action action = disconnected ? FreshnessVerdict.Action.SERVE : FreshnessVerdict.Action.FETCH_ELSE_SERVE_STALE;
      return new FreshnessVerdict(Freshness.STALE_IF_ERROR, action, staleness, Duration.ZERO);
    }
    FreshnessVerdict.Action action = disconnected ? FreshnessVerdict.Action.UNAVAILABLE : FreshnessVerdict.Action.FETCH;
    return new FreshnessVerdict(Freshness.EXPIRED, action, staleness, Duration.ZERO);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
    return d;
  }
}
