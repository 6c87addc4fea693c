package org.keepfs.gateway.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the requests of one mounted handler for {@code /metrics}: {@code
 * keepfs_http_requests_total{route,method,status}}, and body bytes received and sent by route. The
 * route is the mount prefix, so label values stay few whatever paths clients ask for.
 */
final class RouteMetrics extends Handler.Wrapper {
  private final String route;
  private final MeterRegistry registry;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();

  RouteMetrics(String route, MeterRegistry registry, Handler next) {
    super(next);
    this.route = route;
    this.registry = registry;
    this.bytesIn = Counter.builder("keepfs.http.request.bytes").description("Request body bytes received by route")
        .baseUnit("bytes").tag("route", route).register(registry);
    this.bytesOut = Counter.builder("keepfs.http.response.bytes").description("Response body bytes sent by route")
        .baseUnit("bytes").tag("route", route).register(registry);
  }

  @Override
  public InvocationType getInvocationType() {
    return getHandler().getInvocationType();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Request counting = new Request.Wrapper(request) {
      @Override
      public Content.Chunk read() {
        Content.Chunk chunk = super.read();
        if (chunk != null && chunk.hasRemaining()) {
          bytesIn.increment(chunk.remaining());
        }
        return chunk;
      }
    };
    Callback done = new Callback() {
      @Override
      public void succeeded() {
        record(request, response);
        callback.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        record(request, response);
        callback.failed(x);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
    return super.handle(counting, response, done);
  }

  private void record(Request request, Response response) {
    String method = request.getMethod();
    // Only the methods the mounted handlers answer get their own label, so a scanner cannot grow it.
    String m = switch (method) {
      case "GET", "HEAD", "PUT", "POST", "DELETE" -> method;
      default -> "other";
    };
    int status = response.getStatus();
    String key = m + ' ' + status;
    requests.computeIfAbsent(key, k -> Counter.builder("keepfs.http.requests")
        .description("Requests answered by mounted handlers, by route, method and status")
        .tag("route", route).tag("method", m).tag("status", Integer.toString(status))
        .register(registry)).increment();
    bytesOut.increment(Response.getContentBytesWritten(response));
  }
}
