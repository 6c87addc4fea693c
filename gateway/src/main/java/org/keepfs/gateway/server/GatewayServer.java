package org.keepfs.gateway.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.keepfs.gateway.fs123.Fs123Handler;
import org.keepfs.gateway.fs123.Fs123Metrics;
import org.keepfs.gateway.fs123.ReplyCacheControl;
import org.keepfs.gateway.tree.Fs123Tree;

/**
 * The gateway's HTTP server. Build it, {@link #start}, read {@link #port}, and {@link #close} it:
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (GatewayServer server = GatewayServer.builder()
 *     .listen(new InetSocketAddress("127.0.0.1", 0))
 *     .tree(tree)                                  // served at <prefix>/fs123/7/2/...
 *     .mount("/keep", keepHandler)                 // any Jetty handler, under a path prefix
 *     .meterRegistry(registry)                     // shared by every handler; served at /metrics
 *     .build()) {
 *   server.start();
 * }
 * }</pre>
 *
 * <p>Routing, first match wins: {@code /metrics}, {@code /healthz}, mounted handlers (longest prefix
 * first; each sits in a Jetty {@link ContextHandler}, so {@code Request.getPathInContext} is the path
 * below its prefix), then any path containing {@code /fs123/}, then a 404. Requests to mounted
 * handlers are counted by route (the prefix), method and status, with body bytes in and out.
 *
 * <p>Threads: the routing and fs123 metadata replies run on Jetty's I/O threads without a hand-off;
 * mounted handlers that declare themselves blocking (the default for a Jetty handler) are called on a
 * virtual thread per request, so they may block freely.
 */
public final class GatewayServer implements AutoCloseable {
  /** Request line plus headers, in bytes; larger requests get 431 (exportd allows 2000). */
  public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 8192;

  /**
   * Jetty's default URI checks, except that {@code %25} (a literal '%') and encoded control characters
   * are allowed in paths: the fs123 client percent-encodes every byte of a file name, and names may hold
   * '%', newlines or tabs. The fs123 parser checks its own paths (no '..', '.', '//', NUL, or encoded
   * '/'), and Jetty still rejects encoded '/' and ambiguous segments for everyone.
   */
  private static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("keepfs-gateway",
      UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS);

  /**
   * The largest buffer the shared pool keeps: a 1 MiB reply body plus room for its headers or an fs123
   * netstring. Jetty's default pool keeps nothing above 64 KiB, so every 128 KiB {@code /f} read got a
   * fresh direct buffer that the JVM zeroed first, which was nearly half the CPU of a {@code /f} reply.
   */
  static final int MAX_POOLED_BUFFER_BYTES = 1024 * 1024 + 4096;
  /** Pooled buffer sizes step by this much, so a 128 KiB read plus headroom wastes under 4 KiB. */
  private static final int POOL_BUCKET_STEP_BYTES = 4096;

  /** Selector threads: see {@link #selectorThreads}. */
  private static final int SELECTORS = selectorThreads(Runtime.getRuntime().availableProcessors());

  private final Server server;
  private final ServerConnector connector;
  private final PrometheusMeterRegistry registry;
  private final AccessLog accessLog;

  private GatewayServer(Builder b) {
    registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    accessLog = b.accessLog;
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("gateway");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    // Memory bounds 0: Jetty's heuristic (an eighth of the maximum heap for each of heap and direct).
    server = new Server(threads, null,
        new ArrayByteBufferPool(0, POOL_BUCKET_STEP_BYTES, MAX_POOLED_BUFFER_BYTES, -1, 0, 0));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(b.maxRequestHeaderBytes);
    http.setResponseHeaderSize(16 * 1024);
    http.setUriCompliance(URI_COMPLIANCE);
    connector = new ServerConnector(server, 1, SELECTORS, new HttpConnectionFactory(http));
    connector.setHost(b.address.getHostString());
    connector.setPort(b.address.getPort());
    server.addConnector(connector);

    List<Handler> handlers = new ArrayList<>();
    handlers.add(new TextHandlers.Metrics(registry));
    handlers.add(new TextHandlers.Health());
    List<Map.Entry<String, Handler>> mounts = new ArrayList<>(b.mounts.entrySet());
    mounts.sort(Comparator.comparingInt((Map.Entry<String, Handler> e) -> e.getKey().length()).reversed());
    for (Map.Entry<String, Handler> m : mounts) {
      Handler counted = new RouteMetrics(m.getKey(), registry, new VirtualThreadDispatch(m.getValue()));
      ContextHandler context = new ContextHandler(counted, m.getKey());
      context.setAllowNullPathInContext(true);
      handlers.add(context);
    }
    if (b.tree != null) {
      handlers.add(new Fs123Handler(b.tree, b.replyCacheControl, new Fs123Metrics(registry)));
    }
    handlers.add(new TextHandlers.NotFound());
    Handler root = new Handler.Sequence(handlers.toArray(new Handler[0]));
    // Graceful: on stop, requests already being handled finish (up to the stop timeout) before exit.
    server.setHandler(new GracefulHandler(accessLog == null ? root : new AccessLogHandler(accessLog, root)));
    server.setStopTimeout(b.stopTimeoutMillis);
    server.setStopAtShutdown(false);
  }

  /**
   * One selector per CPU. Metadata replies run on the selector thread that read the request, so the
   * selectors are the threads that do the work: Jetty's default (half the CPUs, at least one) left a
   * 2-CPU machine answering every /a and /d on a single thread.
   */
  static int selectorThreads(int cpus) {
    return Math.max(1, Math.min(cpus, 8));
  }

  public static Builder builder() {
    return new Builder();
  }

  public void start() throws Exception {
    server.start();
  }

  /** The bound port (the real one when 0 was asked for); valid after {@link #start}. */
  public int port() {
    return connector.getLocalPort();
  }

  public URI uri() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting, lets requests in flight finish (up to the stop timeout), and releases the port. */
  @Override
  public void close() throws Exception {
    server.stop();
    if (accessLog != null) {
      accessLog.close();
    }
  }

  /** Options for a {@link GatewayServer}; each setter replaces any earlier value. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    private Fs123Tree tree;
    private ReplyCacheControl replyCacheControl = ReplyCacheControl.defaults();
    private final Map<String, Handler> mounts = new LinkedHashMap<>();
    private PrometheusMeterRegistry registry;
    private AccessLog accessLog;
    private int maxRequestHeaderBytes = DEFAULT_MAX_REQUEST_HEADER_BYTES;
    private long stopTimeoutMillis = 5000;

    private Builder() {}

    public Builder listen(InetSocketAddress address) {
      this.address = address;
      return this;
    }

    /** The tree served over fs123; without one, only mounts, /metrics and /healthz are served. */
    public Builder tree(Fs123Tree tree) {
      this.tree = tree;
      return this;
    }

    public Builder replyCacheControl(ReplyCacheControl rcc) {
      this.replyCacheControl = rcc;
      return this;
    }

    /**
     * Serves {@code handler} for every path under {@code prefix} (for example {@code "/keep"}).
     *
     * @throws IllegalArgumentException if the prefix is not "/name[/name...]" or is already mounted
     */
    public Builder mount(String prefix, Handler handler) {
      if (!prefix.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw new IllegalArgumentException("a mount prefix looks like /name or /a/b, not '" + prefix + "'");
      }
      if (prefix.equals("/metrics") || prefix.equals("/healthz") || prefix.contains("/fs123")) {
        throw new IllegalArgumentException("the prefix " + prefix + " is reserved by the gateway");
      }
      if (mounts.putIfAbsent(prefix, handler) != null) {
        throw new IllegalArgumentException("the prefix " + prefix + " is already mounted");
      }
      return this;
    }

    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder accessLog(AccessLog log) {
      this.accessLog = log;
      return this;
    }

    public Builder maxRequestHeaderBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("a request header limit below 1024 bytes is unusable: " + bytes);
      }
      this.maxRequestHeaderBytes = bytes;
      return this;
    }

    public Builder stopTimeoutMillis(long millis) {
      this.stopTimeoutMillis = millis;
      return this;
    }

    public GatewayServer build() {
      return new GatewayServer(this);
    }
  }
}
