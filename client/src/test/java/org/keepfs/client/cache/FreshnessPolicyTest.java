package org.keepfs.client.cache;

import org.keepfs.client.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keepfs.client.cache.FreshnessVerdict.Action;

class FreshnessPolicyTest {
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private final MutableClock clock = new MutableClock(T0);

  /** Fetched at T0 with Age 10 s, max-age 60 s, swr 30 s, sie 300 s: expires at T0+50 s. */
  private static StoredReply reply() {
    return new StoredReply("http://gw/fs123/7/2/a/x", 200, Map.of(), new byte[0], T0, Duration.ofSeconds(10),
        new CacheLifetimes(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(300)));
  }

  private FreshnessVerdict at(long secondsAfterFetch, FreshnessPolicy policy) {
    clock.advance(Duration.between(clock.instant(), T0.plusSeconds(secondsAfterFetch)));
    return policy.judge(reply());
  }

  private FreshnessPolicy policy(Duration sie) {
    return new FreshnessPolicy(clock, Duration.ZERO, sie, false);
  }

  @Test
  void freshUntilMaxAgeMinusAgeWithTheRemainderAsKernelTimeout() {
    FreshnessVerdict v = at(20, policy(Duration.ZERO));
    assertEquals(Freshness.FRESH, v.freshness());
    assertEquals(Action.SERVE, v.action());
    assertEquals(Duration.ofSeconds(30), v.kernelTimeout());
    assertEquals(Freshness.STALE_WHILE_REVALIDATE, at(50, policy(Duration.ZERO)).freshness(), "expires exactly at 50 s");
  }

  @Test
  void staleWhileRevalidateServesAndRefreshesWithAtMostOneSecondForTheKernel() {
    FreshnessVerdict early = at(51, policy(Duration.ZERO));
    assertEquals(Action.SERVE_AND_REFRESH, early.action());
    assertEquals(Duration.ofSeconds(1), early.kernelTimeout());
    assertEquals(Duration.ofSeconds(1), early.staleness());
    FreshnessVerdict later = policy(Duration.ZERO).judge(T0.plusSeconds(60), reply().lifetimes());
    assertEquals(Freshness.FRESH, later.freshness(), "an expiry judged directly: 60 s is still 9 s ahead of the clock");
    assertEquals(Duration.ofSeconds(9), later.kernelTimeout());
  }

  @Test
  void theLastMomentsOfTheSwrWindowGiveTheKernelOnlyWhatIsLeft() {
    clock.advance(Duration.ofSeconds(79).plusMillis(600));
    FreshnessVerdict v = policy(Duration.ZERO).judge(reply());
    assertEquals(Freshness.STALE_WHILE_REVALIDATE, v.freshness());
    assertEquals(Duration.ofMillis(400), v.kernelTimeout());
  }

  @Test
  void staleIfErrorUsesTheLongerOfTheReplysAndThePolicysWindow() {
    assertEquals(Action.FETCH_ELSE_SERVE_STALE, at(80, policy(Duration.ZERO)).action());
    assertEquals(Action.FETCH_ELSE_SERVE_STALE, at(350, policy(Duration.ZERO)).action(), "300 s of staleness is the edge");
    assertEquals(Action.FETCH, at(351, policy(Duration.ZERO)).action());
    assertEquals(Action.FETCH_ELSE_SERVE_STALE, at(351, policy(FreshnessPolicy.DEFAULT_STALE_IF_ERROR)).action());
    FreshnessVerdict old = at(50 + 864_001, policy(FreshnessPolicy.DEFAULT_STALE_IF_ERROR));
    assertEquals(Freshness.EXPIRED, old.freshness());
    assertEquals(Duration.ZERO, old.kernelTimeout());
  }

  @Test
  void extraStaleWhileRevalidateWidensTheWindow() {
    FreshnessPolicy p = new FreshnessPolicy(clock, Duration.ofSeconds(100), Duration.ZERO, false);
    assertEquals(Action.SERVE_AND_REFRESH, at(170, p).action());
    assertEquals(Action.FETCH_ELSE_SERVE_STALE, at(180, p).action());
  }

  @Test
  void disconnectedServesAnythingInTheStaleIfErrorWindowAndNeverFetches() {
    FreshnessPolicy p = policy(Duration.ZERO).withDisconnected(true);
    assertEquals(Action.SERVE, at(20, p).action());
    assertEquals(Action.SERVE, at(60, p).action(), "no background refresh while disconnected");
    assertEquals(Action.SERVE, at(300, p).action());
    assertEquals(Action.UNAVAILABLE, at(400, p).action());
  }

  @Test
  void badSettingsAreRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FreshnessPolicy(clock, Duration.ofSeconds(-1), Duration.ZERO, false));
    assertEquals("extraStaleWhileRevalidate must not be negative, got PT-1S", e.getMessage());
  }
}
