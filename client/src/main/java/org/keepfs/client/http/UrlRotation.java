package org.keepfs.client.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Picks which base URL a request goes to, the fs123 way: the first URL that is not deferred; a URL
 * that failed is deferred for as long as the failure took, clipped to {@link #MIN_DEFERRAL} ..
 * {@link #MAX_DEFERRAL}; when every URL is deferred, the one whose deferral ends first.
 */
final class UrlRotation {
  static final Duration MIN_DEFERRAL = Duration.ofSeconds(5);
  static final Duration MAX_DEFERRAL = Duration.ofMinutes(10);

  private final List<URI> urls;
  private final AtomicReferenceArray<Instant> deferredUntil;
  private final Clock clock;

  UrlRotation(List<URI> urls, Clock clock) {
    this.urls = List.copyOf(urls);
    this.deferredUntil = new AtomicReferenceArray<>(urls.size());
    this.clock = clock;
  }

  /** The index of the URL to use now. */
  int pick() {
    Instant now = clock.instant();
    int best = 0;
    Instant bestUntil = null;
    for (int i = 0; i < urls.size(); i++) {
      Instant until = deferredUntil.get(i);
      if (until == null || !until.isAfter(now)) {
        return i;
      }
      if (bestUntil == null || until.isBefore(bestUntil)) {
        best = i;
        bestUntil = until;
      }
    }
    return best;
  }

  URI url(int index) {
    return urls.get(index);
  }

  int size() {
    return urls.size();
  }

  void failed(int index, Duration took) {
    Duration d = took.compareTo(MIN_DEFERRAL) < 0 ? MIN_DEFERRAL : took.compareTo(MAX_DEFERRAL) > 0 ? MAX_DEFERRAL : took;
    deferredUntil.set(index, clock.instant().plus(d));
  }

  void succeeded(int index) {
    deferredUntil.set(index, null);
  }
}
