package org.keepfs.gateway.server;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per finished request: time, client, method, URI, status, body bytes, microseconds.
 * {@code 2026-11-23T13:00:00.123Z 127.0.0.1 GET /fs123/7/2/a/data 200 86 412}
 */
final class AccessLogHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogHandler.class);
  private final AccessLog log;

  AccessLogHandler(AccessLog log, Handler next) {
    super(next);
    this.log = log;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long t0 = System.nanoTime();
    Callback logging = new Callback() {
      @Override
      public void succeeded() {
        line(request, response, t0, null);
        callback.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        line(request, response, t0, x);
        callback.failed(x);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
    return super.handle(request, response, logging);
  }

  private void line(Request request, Response response, long t0, Throwable failure) {
    try {
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
      log.write(Instant.now() + " " + Request.getRemoteAddr(request) + " " + request.getMethod() + " "
          + request.getHttpURI().getPathQuery() + " " + response.getStatus() + " "
          + Response.getContentBytesWritten(response) + " " + micros + (failure == null ? "" : " failed: " + failure));
    } catch (RuntimeException e) {
      LOG.warn("access log: {}", e.getMessage());
    }
  }
}
