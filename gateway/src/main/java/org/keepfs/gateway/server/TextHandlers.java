package org.keepfs.gateway.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The small fixed endpoints: {@code /metrics}, {@code /healthz}, and the 404 for everything unclaimed. */
final class TextHandlers {
  private TextHandlers() {}

  static void text(Response response, Callback callback, int status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** Prometheus text exposition of the shared registry at exactly {@code /metrics}. */
  static final class Metrics extends Handler.Abstract.NonBlocking {
    private final PrometheusMeterRegistry registry;

    Metrics(PrometheusMeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (!"/metrics".equals(request.getHttpURI().getPath())) {
        return false;
      }
      // Scraping walks every meter: do it off the I/O thread.
      Thread.startVirtualThread(
          () -> text(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
      return true;
    }
  }

  /** {@code /healthz}: 200 "ok" while the server runs. */
  static final class Health extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (!"/healthz".equals(request.getHttpURI().getPath())) {
        return false;
      }
      text(response, callback, 200, "text/plain; charset=utf-8", "ok\n");
      return true;
    }
  }

  /** The last handler: a plain-text 404 naming the path. */
  static final class NotFound extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      text(response, callback, 404, "text/plain; charset=utf-8",
          "nothing is served at " + request.getHttpURI().getPath()
              + "; fs123 requests look like <prefix>/fs123/7/2/<a|d|f|l|s|x|n><path>\n");
      return true;
    }
  }
}
