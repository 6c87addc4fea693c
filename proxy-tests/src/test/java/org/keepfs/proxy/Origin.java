package org.keepfs.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepAccess;
import org.keepfs.gateway.keep.KeepBlockHandler;
import org.keepfs.gateway.server.AccessLog;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.locator.Locator;
import org.keepfs.store.StoreChain;
import org.keepfs.store.local.LocalDirectoryBlockStore;

/**
 * The origin behind the proxies: a real gateway on 127.0.0.1 serving the directory {@link #exportDir}
 * as the fs123 export {@code /data} and a local block store under {@code /keep/}, with an access log.
 * What reached it is read from its own Prometheus counters and its access log.
 */
final class Origin implements AutoCloseable {
  /** Reads of files under a directory of this name take {@link SlowTree#DELAY} (see the collapse test). */
  static final String SLOW_DIR = "slow";

  /** Requests and body bytes that reached the gateway. */
  record Traffic(long requests, long bytes) {
    Traffic minus(Traffic earlier) {
      return new Traffic(requests - earlier.requests, bytes - earlier.bytes);
    }
  }

  final Path exportDir;
  private final Path accessLogFile;
  private final PosixExportTree export;
  private final LocalDirectoryBlockStore blocks;
  private final StoreChain chain;
  private final GatewayServer server;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicLong syncMarks = new AtomicLong();

  Origin(Path dir) throws Exception {
    exportDir = Files.createDirectories(dir.resolve("export"));
    Files.createDirectories(exportDir.resolve(SLOW_DIR));
    accessLogFile = dir.resolve("gateway-access.log");
    ExportSettings settings = ExportSettings.defaults();
    export = new PosixExportTree("data", exportDir, settings);
    Instant now = Instant.now();
    CompositeTree root = new CompositeTree(Map.of("data", export), settings.defaultCacheControl(),
        now.getEpochSecond() * 1_000_000_000L + now.getNano());
    blocks = new LocalDirectoryBlockStore("local", Files.createDirectories(dir.resolve("blocks")));
    chain = new StoreChain(List.of(blocks), List.of(blocks), Optional.empty(), blocks.tmpDir());
    server = GatewayServer.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .tree(new SlowTree(root, "/" + SLOW_DIR + "/"))
        .mount("/keep", new KeepBlockHandler(chain, KeepAccess.readOnlyOpen()))
        .meterRegistry(registry)
        .accessLog(new AccessLog(accessLogFile))
        .build();
    server.start();
  }

  int port() {
    return server.port();
  }

  URI uri() {
    return server.uri();
  }

  /** Stores {@code content} as a block and returns its locator. */
  Locator putBlock(Path content) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream in = Files.newInputStream(content)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md5.update(buf, 0, n);
      }
    }
    Locator locator = Locator.of(HexFormat.of().formatHex(md5.digest()), Files.size(content));
    blocks.put(locator, content);
    return locator;
  }

  /** fs123 requests and reply bytes so far, from the gateway's own Prometheus counters. */
  Traffic fs123() {
    long requests = 0;
    for (Counter c : registry.find("keepfs.fs123.requests").counters()) {
      requests += (long) c.count();
    }
    long bytes = 0;
    for (Counter c : registry.find("keepfs.fs123.reply.bytes").counters()) {
      bytes += (long) c.count();
    }
    return new Traffic(requests, bytes);
  }

  /**
   * Requests and response bytes of the handler mounted at {@code route} (for example {@code /keep}) so
   * far, from the gateway's Prometheus counters. They are recorded as a reply completes, just before
   * its access-log line, so read them after {@link #logged} has synchronised with the log.
   */
  Traffic route(String route) {
    long requests = 0;
    for (Counter c : registry.find("keepfs.http.requests").tag("route", route).counters()) {
      requests += (long) c.count();
    }
    long bytes = 0;
    for (Counter c : registry.find("keepfs.http.response.bytes").tag("route", route).counters()) {
      bytes += (long) c.count();
    }
    return new Traffic(requests, bytes);
  }

  /** fs123 requests with this HTTP status so far, from the gateway's Prometheus counters. */
  long fs123Status(int status) {
    long n = 0;
    for (Counter c : registry.find("keepfs.fs123.requests").tag("status", Integer.toString(status)).counters()) {
      n += (long) c.count();
    }
    return n;
  }

  /** The Prometheus text the gateway serves at /metrics (read directly, not through a proxy). */
  String metricsText() throws IOException, InterruptedException {
    return direct.send(HttpRequest.newBuilder(uri().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Access-log requests and bytes whose path and query match {@code which}, once every earlier line is written. */
  Traffic logged(Predicate<String> which) throws IOException, InterruptedException {
    List<String> lines = syncedLogLines();
    long requests = 0;
    long bytes = 0;
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length >= 7 && which.test(f[3])) {
        requests++;
        bytes += Long.parseLong(f[5]);
      }
    }
    return new Traffic(requests, bytes);
  }

  /** Access-log lines for exactly this path and query. */
  long loggedExactly(String pathQuery) throws IOException, InterruptedException {
    return logged(pathQuery::equals).requests();
  }

  /**
   * The access log once a fresh marker request has been logged. A line is written when its reply is
   * complete, so without the marker a line for a reply the proxy already forwarded could still be missing.
   */
  private List<String> syncedLogLines() throws IOException, InterruptedException {
    String mark = "/healthz?sync=" + syncMarks.incrementAndGet();
    direct.send(HttpRequest.newBuilder(uri().resolve(mark)).build(), HttpResponse.BodyHandlers.discarding());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<String> lines = Files.readAllLines(accessLogFile, StandardCharsets.UTF_8);
      if (lines.stream().anyMatch(l -> l.contains(" " + mark + " "))) {
        return lines;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the access log " + accessLogFile + " never showed " + mark);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      export.close();
      chain.close();
    }
  }
}
