package org.keepfs.client.write.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void delaysDoubleUpToTheCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(700));
    assertEquals(Duration.ofMillis(100), p.delayAfter(1));
    assertEquals(Duration.ofMillis(200), p.delayAfter(2));
    assertEquals(Duration.ofMillis(400), p.delayAfter(3));
    assertEquals(Duration.ofMillis(700), p.delayAfter(4));
    assertEquals(Duration.ofMillis(700), p.delayAfter(60));
  }

  @Test
  void retryableStatusesAreTimeoutsThrottlingAndServerErrorsButNotAFullStore() {
    for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
      assertTrue(RetryPolicy.retryable(s), "status " + s);
    }
    for (int s : new int[] {200, 400, 401, 403, 404, 412, 413, 507}) {
      assertFalse(RetryPolicy.retryable(s), "status " + s);
    }
  }

  @Test
  void impossiblePoliciesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("firstDelay"), e.getMessage());
  }
}
