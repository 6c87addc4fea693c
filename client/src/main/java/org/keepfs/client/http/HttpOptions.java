package org.keepfs.client.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client talks to its gateway.
 *
 * @param baseUrls the gateway URL first, then fallbacks, each without a trailing slash (a path prefix
 *     such as {@code http://h/sel/ec/tor} is kept and requests are appended to it)
 * @param proxy an HTTP proxy every request goes through, if any
 * @param token the bearer token sent with block and collection API requests, if any
 * @param connectTimeout how long a TCP connect may take
 * @param responseTimeout how long to wait for the next bytes of a reply before giving up on it
 * @param retryFor how long a request keeps being retried (connect errors, timeouts, truncated bodies, 5xx)
 * @param staleIfError sent as the request's {@code Cache-Control: stale-if-error} so proxies may
 *     stand in for a failing origin
 * @param maxConnections the size of the keep-alive pool
 */
public record HttpOptions(
    List<URI> baseUrls,
    Optional<URI> proxy,
    Optional<String> token,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration retryFor,
    Duration staleIfError,
    int maxConnections) {

  public HttpOptions {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("at least one gateway URL is needed");
    }
    baseUrls = baseUrls.stream().map(HttpOptions::checkBase).toList();
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(token, "token");
    for (Duration d : List.of(connectTimeout, responseTimeout, retryFor, staleIfError)) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("HTTP timeouts must not be negative, got " + d);
      }
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("the connection pool needs at least one connection, got " + maxConnections);
    }
  }

  /** One gateway, no proxy or token, 5 s connect, 30 s response, 10 s of retries, 10 days stale-if-error. */
  public static HttpOptions of(URI gateway) {
    return new HttpOptions(List.of(gateway), Optional.empty(), Optional.empty(), Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofDays(10), 64);
  }

  public HttpOptions withFallbacks(List<URI> fallbacks) {
    List<URI> all = new java.util.ArrayList<>(baseUrls.subList(0, 1));
    all.addAll(fallbacks);
    return new HttpOptions(all, proxy, token, connectTimeout, responseTimeout, retryFor, staleIfError, maxConnections);
  }

  public HttpOptions withProxy(Optional<URI> p) {
    return new HttpOptions(baseUrls, p, token, connectTimeout, responseTimeout, retryFor, staleIfError, maxConnections);
  }

  public HttpOptions withToken(Optional<String> t) {
    return new HttpOptions(baseUrls, proxy, t, connectTimeout, responseTimeout, retryFor, staleIfError, maxConnections);
  }

  public HttpOptions withTimeouts(Duration connect, Duration response, Duration retry) {
    return new HttpOptions(baseUrls, proxy, token, connect, response, retry, staleIfError, maxConnections);
  }

  public HttpOptions withStaleIfError(Duration d) {
    return new HttpOptions(baseUrls, proxy, token, connectTimeout, responseTimeout, retryFor, d, maxConnections);
  }

  /** The URL replies are cached under: the first one, so a fallback's replies count as the gateway's. */
  public URI primary() {
    return baseUrls.getFirst();
  }

  private static URI checkBase(URI u) {
    String scheme = u.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new IllegalArgumentException("gateway URL '" + u + "' must be http://HOST[:PORT][/PREFIX] or https://...");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException("gateway URL '" + u + "' must not have a query or fragment");
    }
    String s = u.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }
}
