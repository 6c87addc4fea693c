package org.keepfs.client.write.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled HTTP client to one gateway, with the bearer token and the retry loop every writer
 * request shares. Closing it closes the pool.
 */
public final class GatewayHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayHttp.class);

  /** A reply: status, body and the headers the writer reads. */
  public record Reply(int status, byte[] body, Optional<String> etag) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final URI base;
  private final Optional<String> token;
  private final RetryPolicy retry;
  private final CloseableHttpClient client;

  public GatewayHttp(URI base, Optional<String> token, RetryPolicy retry) {
    this.base = base;
    this.token = token;
    this.retry = retry;
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(32)
        .setMaxConnPerRoute(32)
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(5))
            .setSocketTimeout(Timeout.ofSeconds(120))
            .build())
        .build();
    this.client = HttpClients.custom()
        .setConnectionManager(pool)
        .disableAutomaticRetries()
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(120, TimeUnit.SECONDS).build())
        .build();
  }

  public URI resolve(String path) {
    return base.resolve(path);
  }

  /**
   * Sends the request made by {@code request} until it gets an answer that is not worth retrying, and
   * returns that answer (any status). Network errors and retryable statuses are retried with backoff;
   * when attempts run out the last error is thrown, naming what was tried.
   */
  public Reply execute(String what, RequestFactory request) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      HttpUriRequestBase r = request.create();
      token.ifPresent(t -> r.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + t));
      try {
        Reply reply = client.execute(r, (ClassicHttpResponse response) -> new Reply(response.getCode(),
            response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity()),
            Optional.ofNullable(response.getFirstHeader(HttpHeaders.ETAG)).map(h -> h.getValue())));
        if (!RetryPolicy.retryable(reply.status())) {
          return reply;
        }
        last = new HttpStatusException(reply.status(), what + ": " + reply.status() + " " + reply.text().trim());
      } catch (IOException e) {
        last = e;
      }
      if (attempt < retry.attempts()) {
        long wait = retry.delayAfter(attempt).toMillis();
        LOG.warn("{} failed (attempt {} of {}): {}; retrying in {} ms", what, attempt, retry.attempts(), last.toString(), wait);
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(what + ": interrupted while waiting to retry");
        }
      }
    }
    throw new IOException(what + " failed after " + retry.attempts() + " attempts: " + last.getMessage(), last);
  }

  /** Makes a fresh request for each attempt. */
  @FunctionalInterface
  public interface RequestFactory {
    HttpUriRequestBase create();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
