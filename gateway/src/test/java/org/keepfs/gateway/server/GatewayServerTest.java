package org.keepfs.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.tree.CompositeTree;

class GatewayServerTest {
  @TempDir Path data;
  @TempDir Path logs;
  PosixExportTree export;
  GatewayServer server;
  PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  AccessLog log;
  final HttpClient http = HttpClient.newHttpClient();

  /** Stands in for a separately built handler (Keep blocks, collections): echoes what it was given. */
  static final class Echo extends Handler.Abstract {
    private final Counter hits;

    Echo(PrometheusMeterRegistry registry) {
      hits = Counter.builder("test.echo.hits").register(registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      hits.increment();
      response.setStatus(200);
      response.write(true, ByteBuffer.wrap(("echo " + Request.getPathInContext(request)).getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(data.resolve("f"), "x");
    export = new PosixExportTree("data", data, ExportSettings.defaults());
    log = new AccessLog(logs.resolve("access.log"));
    server = GatewayServer.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .tree(new CompositeTree(Map.of("data", export), ExportSettings.EXPORTD_DEFAULT_CACHE_CONTROL, Instant.now().toEpochMilli() * 1_000_000))
        .mount("/keep", new Echo(registry))
        .mount("/keep/special", new Echo(registry))
        .meterRegistry(registry)
        .accessLog(log)
        .build();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    export.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsArePrometheusTextWithKindsStatusesBytesAndLatency() throws Exception {
    get("/fs123/7/2/a/data/f");
    get("/fs123/7/2/a/data/missing");
    get("/fs123/7/2/f/data/f?128;0");
    get("/fs123/7/2/zz");
    get("/keep/abc");
    HttpResponse<String> m = get("/metrics");
    assertEquals(200, m.statusCode());
    assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    String text = m.body();
    assertTrue(text.contains("keepfs_fs123_requests_total{kind=\"a\",status=\"200\"} 2.0"), text);
    assertTrue(text.contains("keepfs_fs123_requests_total{kind=\"invalid\",status=\"400\"} 1.0"), text);
    assertTrue(text.contains("keepfs_fs123_errno_replies_total{errno=\"2\",kind=\"a\"} 1.0"), text);
    assertTrue(text.contains("keepfs_fs123_reply_bytes_total{kind=\"f\"}"), text);
    assertTrue(text.contains("keepfs_fs123_request_duration_seconds_bucket{kind=\"a\",le="), text);
    assertTrue(text.contains("test_echo_hits_total 1.0"), "mounted handlers share the registry: " + text);
  }

  @Test
  void healthzAnswersOk() throws Exception {
    HttpResponse<String> h = get("/healthz");
    assertEquals(200, h.statusCode());
    assertEquals("ok\n", h.body());
  }

  @Test
  void mountedHandlersSeeThePathBelowTheirPrefixLongestPrefixFirst() throws Exception {
    assertEquals("echo /abc", get("/keep/abc").body());
    assertEquals("echo /x", get("/keep/special/x").body());
    assertEquals(200, get("/fs123/7/2/a/data/f").statusCode(), "fs123 still served beside mounts");
    assertEquals(404, get("/collections/x").statusCode());
  }

  @Test
  void mountPrefixesAreChecked() {
    GatewayServer.Builder b = GatewayServer.builder();
    assertThrows(IllegalArgumentException.class, () -> b.mount("keep", new Echo(registry)));
    assertThrows(IllegalArgumentException.class, () -> b.mount("/keep/", new Echo(registry)));
    assertThrows(IllegalArgumentException.class, () -> b.mount("/metrics", new Echo(registry)));
    assertThrows(IllegalArgumentException.class, () -> b.mount("/x/fs123", new Echo(registry)));
    b.mount("/keep", new Echo(registry));
    assertThrows(IllegalArgumentException.class, () -> b.mount("/keep", new Echo(registry)));
  }

  @Test
  void accessLogHasALinePerRequestAndReopens() throws Exception {
    get("/fs123/7/2/a/data/f");
    get("/healthz");
    Path file = logs.resolve("access.log");
    List<String> lines = waitForLines(file, 2);
    assertTrue(lines.get(0).contains(" GET /fs123/7/2/a/data/f 200 "), lines.get(0));
    assertTrue(lines.get(1).contains(" GET /healthz 200 3 "), lines.get(1));
    Path rotated = logs.resolve("access.log.1");
    Files.move(file, rotated);
    log.reopen();
    get("/fs123/7/2/a/data/missing");
    List<String> fresh = waitForLines(file, 1);
    assertTrue(fresh.get(0).contains("/fs123/7/2/a/data/missing 200"), fresh.get(0));
    assertEquals(2, Files.readAllLines(rotated).size(), "the rotated file is left alone");
  }

  static List<String> waitForLines(Path file, int n) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      if (lines.size() >= n) {
        return lines;
      }
      assertTrue(System.nanoTime() < deadline, "expected " + n + " lines in " + file + ", have " + lines);
      Thread.sleep(20);
    }
  }
}
