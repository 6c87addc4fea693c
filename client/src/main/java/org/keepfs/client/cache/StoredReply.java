package org.keepfs.client.cache;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An HTTP reply as the reply cache keeps it.
 *
 * @param url the full request URL, the cache key
 * @param status the HTTP status (200, or 304 folded into the 200 it refreshed)
 * @param headers the headers that matter ({@link #KEPT_HEADERS}), names in lower case
 * @param body the reply body
 * @param fetchedAt when the reply arrived
 * @param age the {@code Age} header at arrival: how old a proxy's copy already was
 * @param lifetimes what {@code Cache-Control} granted
 */
public record StoredReply(
    String url, int status, Map<String, String> headers, byte[] body, Instant fetchedAt, Duration age, CacheLifetimes lifetimes) {

  /** The headers a later reader needs: fs123's own, the validator and the caching rule. */
  public static final Set<String> KEPT_HEADERS = Set.of(
      "fs123-errno", "fs123-estalecookie", "fs123-nextoffset", org.keepfs.fs123.Fs123Protocol.ENTRY_ATTRIBUTES_HEADER, "etag", "cache-control", "content-type", "content-encoding");

  public StoredReply {
    Objects.requireNonNull(url, "url");
    if (url.isEmpty()) {
      throw new IllegalArgumentException("a stored reply needs its URL");
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status " + status + " of " + url + " is not a status");
    }
    TreeMap<String, String> kept = new TreeMap<>();
    headers.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (KEPT_HEADERS.contains(lower)) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
          throw new IllegalArgumentException("header " + name + " of " + url + " contains a line break");
        }
        kept.put(lower, value);
      }
    });
    headers = java.util.Collections.unmodifiableMap(kept);
    body = body.clone();
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("Age of " + url + " must not be negative, got " + age);
    }
    Objects.requireNonNull(lifetimes, "lifetimes");
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body without a copy, read-only. */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  public int bodyLength() {
    return body.length;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** When the reply stops being fresh: arrival + max-age − Age. */
  public Instant expires() {
    return fetchedAt.plus(lifetimes.maxAge()).minus(age);
  }

  /** The same reply revalidated (a 304): new arrival time, Age and lifetimes, same body. */
  public StoredReply refreshed(Instant newFetchedAt, Duration newAge, CacheLifetimes newLifetimes) {
    return new StoredReply(url, status, headers, body, newFetchedAt, newAge, newLifetimes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredReply r && status == r.status && url.equals(r.url) && headers.equals(r.headers)
        && Arrays.equals(body, r.body) && fetchedAt.equals(r.fetchedAt) && age.equals(r.age) && lifetimes.equals(r.lifetimes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, status, headers, Arrays.hashCode(body), fetchedAt, age, lifetimes);
  }

  @Override
  public String toString() {
    return "StoredReply[" + status + " " + url + ", " + body.length + " bytes, fetched " + fetchedAt + ", age " + age
        + ", " + lifetimes + ", " + headers + "]";
  }
}
