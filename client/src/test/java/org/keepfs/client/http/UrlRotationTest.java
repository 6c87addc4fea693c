package org.keepfs.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UrlRotationTest {
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  @Test
  void aFailedUrlIsDeferredForAsLongAsTheFailureTookClippedToFiveSecondsAndTenMinutes() {
    UrlRotation r = new UrlRotation(List.of(URI.create("http://a"), URI.create("http://b")), clock);
    assertEquals(0, r.pick());
    r.failed(0, Duration.ofMillis(10));
    assertEquals(1, r.pick());
    now.set(now.get().plusSeconds(5));
    assertEquals(0, r.pick(), "deferred for the 5 s minimum");
    r.failed(0, Duration.ofHours(1));
    now.set(now.get().plusSeconds(599));
    assertEquals(1, r.pick());
    now.set(now.get().plusSeconds(1));
    assertEquals(0, r.pick(), "deferred for the 10 min maximum");
  }

  @Test
  void whenEveryUrlIsDeferredTheOneThatComesBackFirstIsUsed() {
    UrlRotation r = new UrlRotation(List.of(URI.create("http://a"), URI.create("http://b")), clock);
    r.failed(0, Duration.ofSeconds(60));
    r.failed(1, Duration.ofSeconds(20));
    assertEquals(1, r.pick());
    r.succeeded(0);
    assertEquals(0, r.pick());
  }
}
