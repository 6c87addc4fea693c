package org.keepfs.client.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs from the gateway: keep-alive pool, bounded timeouts, retries with backoff (100 ms doubling to
 * 1 s) for {@link HttpOptions#retryFor} on connect errors, timeouts, truncated bodies and 500-504, and
 * a fallback URL after each failure (see {@link UrlRotation}). Other statuses fail at once with
 * {@link HttpStatusException}. Thread-safe; one per mount.
 */
public final class GatewayClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
  private static final String USER_AGENT = "keepfs/0.1 (fs123p7-compatible)";

  private final HttpOptions options;
  private final CloseableHttpClient http;
  private final UrlRotation rotation;
  private final Clock clock;
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final LongAdder notModified = new LongAdder();

  public GatewayClient(HttpOptions options) {
    this(options, Clock.systemUTC());
  }

  GatewayClient(HttpOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.rotation = new UrlRotation(options.baseUrls(), clock);
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(options.maxConnections())
        .setMaxConnPerRoute(options.maxConnections())
        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true)
            .setSoTimeout(Timeout.of(options.responseTimeout())).build())
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(options.connectTimeout()))
            .setSocketTimeout(Timeout.of(options.responseTimeout()))
            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
            .build())
        .build();
    var builder = HttpClients.custom()
        .setConnectionManager(pool)
        .setDefaultRequestConfig(RequestConfig.custom()
            .setResponseTimeout(Timeout.of(options.responseTimeout()))
            .setConnectionRequestTimeout(Timeout.of(options.responseTimeout()))
            .setRedirectsEnabled(true)
            .build())
        // Retries are ours (with URL rotation and a time bound); fs123 replies must never be decompressed.
        .disableAutomaticRetries()
        .disableContentCompression()
        .setUserAgent(USER_AGENT)
        .evictIdleConnections(TimeValue.ofSeconds(30));
    options.proxy().ifPresent(p -> builder.setProxy(HttpHost.create(p)));
    this.http = builder.build();
  }

  public HttpOptions options() {
    return options;
  }

  /**
   * GETs {@code path} (starting with '/', appended to the base URL, already percent-encoded).
   *
   * @throws HttpStatusException for a status other than 200, 206 or 304 that retrying does not cure
   * @throws GatewayUnreachableException when every attempt failed within the retry time
   */
  public Reply get(String path, RequestDirectives directives) throws IOException {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("request path '" + path + "' must start with '/'");
    }
    Instant deadline = clock.instant().plus(options.retryFor());
    Duration backoff = FIRST_BACKOFF;
    IOException last = null;
    int attempts = 0;
    while (true) {
      int index = rotation.pick();
      URI base = rotation.url(index);
      Instant started = clock.instant();
      attempts++;
      requests.increment();
      try {
        Reply reply = once(base, path, directives);
        rotation.succeeded(index);
        return reply;
      } catch (HttpStatusException e) {
        if (!e.retryable()) {
          throw e;
        }
        last = e;
      } catch (InterruptedIOException e) {
        // Timeouts land here too (SocketTimeoutException); a thread interrupt does not get retried.
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        last = e;
      } catch (IOException e) {
        last = e;
      }
      failures.increment();
      rotation.failed(index, Duration.between(started, clock.instant()));
      Instant now = clock.instant();
      if (!now.plus(backoff).isBefore(deadline)) {
        throw new GatewayUnreachableException("GET " + path + " failed " + attempts + " times within "
            + options.retryFor().toMillis() + " ms (last from " + base + "): " + last.getMessage(), last);
      }
      LOG.debug("GET {}{} failed ({}); retrying in {} ms", base, path, last.toString(), backoff.toMillis());
      retries.increment();
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while retrying GET " + path);
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  private Reply once(URI base, String path, RequestDirectives directives) throws IOException {
    String url = base + path;
    HttpGet get = new HttpGet(url);
    StringBuilder cc = new StringBuilder("stale-if-error=").append(options.staleIfError().toSeconds());
    if (directives.noCache()) {
      cc.append(", no-cache");
    }
    if (directives.maxStaleZero()) {
      cc.append(", max-stale=0");
    }
    get.setHeader("Cache-Control", cc.toString());
    if (directives.ifNoneMatch() != null && !directives.noCache()) {
      get.setHeader("If-None-Match", directives.ifNoneMatch());
    }
    if (options.token().isPresent() && needsToken(path)) {
      get.setHeader("Authorization", "Bearer " + options.token().get());
    }
    return http.execute(get, response -> {
      int status = response.getCode();
      byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
      if (status != 200 && status != 206 && status != 304) {
        throw new HttpStatusException(url, status, new String(body, 0, Math.min(body.length, 500),
            java.nio.charset.StandardCharsets.UTF_8));
      }
      Map<String, String> headers = new HashMap<>();
      for (Header h : response.getHeaders()) {
        headers.put(h.getName().toLowerCase(Locale.ROOT), h.getValue());
      }
      bytesReceived.add(body.length);
      if (status == 304) {
        notModified.increment();
      }
      return new Reply(status, Map.copyOf(headers), body, clock.instant(), age(headers.get("age")), base.toString());
    });
  }

  private static boolean needsToken(String path) {
    return path.startsWith("/keep/") || path.startsWith("/collections/") || path.startsWith("/by_id/");
  }

  private static Duration age(String header) {
    if (header == null) {
      return Duration.ZERO;
    }
    try {
      long s = Long.parseLong(header.trim());
      return s > 0 ? Duration.ofSeconds(s) : Duration.ZERO;
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  /** Request counters as {@code http.<name> <value>} lines for the stats file. */
  public String renderStats() {
    return "http.requests " + requests.sum() + "\nhttp.failures " + failures.sum() + "\nhttp.retries " + retries.sum()
        + "\nhttp.not_modified " + notModified.sum() + "\nhttp.bytes_received " + bytesReceived.sum() + "\n";
  }

  public long requestCount() {
    return requests.sum();
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
