package org.keepfs.client.cache;

import java.time.Duration;

/**
 * What to do with a stored reply now.
 *
 * @param freshness where the reply stands
 * @param action what the caller does
 * @param staleness how long ago it stopped being fresh (negative while fresh)
 * @param kernelTimeout how long the kernel may cache what this reply says: the remaining freshness
 *     when fresh, at most one second within stale-while-revalidate, else zero
 */
public record FreshnessVerdict(Freshness freshness, Action action, Duration staleness, Duration kernelTimeout) {
  public enum Action {
    /** Use the stored reply. */
    SERVE,
    /** Use the stored reply and queue a background refresh. */
    SERVE_AND_REFRESH,
    /** Fetch; if the fetch fails, use the stored reply (and log that it is stale). */
    FETCH_ELSE_SERVE_STALE,
    /** Fetch; if the fetch fails, fail. */
    FETCH,
    /** Disconnected and too old to serve: fail without contacting the server. */
    UNAVAILABLE
  }
}
