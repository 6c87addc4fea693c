package org.keepfs.client.write.http;

import java.time.Duration;

/**
 * How often and how patiently a request is retried: {@code attempts} in all, waiting {@code
 * firstDelay} after the first failure and doubling up to {@code maxDelay}.
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {
  /** About two minutes of trying: enough to ride out a gateway restart. */
  public static RetryPolicy standard() {
    return new RetryPolicy(12, Duration.ofMillis(250), Duration.ofSeconds(20));
  }

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException("delays must satisfy 0 <= firstDelay <= maxDelay, got " + firstDelay + " and " + maxDelay);
    }
  }

  /** The wait after failed attempt {@code n} (1-based). */
  public Duration delayAfter(int n) {
    long millis = firstDelay.toMillis() << Math.min(n - 1, 20);
    return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
  }

  /** True for statuses worth another try: 408, 429 and 5xx except 507 (a full store stays full). */
  public static boolean retryable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 507);
  }
}
