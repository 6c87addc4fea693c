package org.keepfs.gateway.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.server.AccessLog;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the parsed options into a {@link GatewayServer.Builder}: the listen address, one meter registry,
 * the Keep service's routes, the fs123 tree and the access log. Owns what it opens (stores, export
 * descriptors, the access log) until {@link #close}. A new feature mounts its handlers in {@link #builder}.
 */
final class GatewayAssembly implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayAssembly.class);

  /** What the command line said, beyond the option values themselves. */
  record Choices(boolean keepRequested, boolean dataGiven, PrintWriter out) {}

  private final ListenOptions listen;
  private final ProcessOptions process;
  private final ExportOptions exports;
  private final KeepOptions keep;
  private final Choices choices;
  private final TreeAssembly trees;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private KeepService keepService;

  GatewayAssembly(ListenOptions listen, ProcessOptions process, ExportOptions exports, KeepOptions keep,
      CollectionTreeOptions collectionTrees, Choices choices) {
    this.listen = listen;
    this.process = process;
    this.exports = exports;
    this.keep = keep;
    this.choices = choices;
    this.trees = new TreeAssembly(exports, collectionTrees, resources);
  }

  /**
   * Opens the stores and exports and returns the server, ready to build.
   *
   * @throws IllegalArgumentException for options that do not fit together, naming them
   */
  GatewayServer.Builder builder() throws IOException, ErrnoException {
    InetSocketAddress unresolved = listen.address();
    // One registry for every meter, so /metrics shows fs123, routes and the Keep stores together.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayServer.Builder b = GatewayServer.builder()
        .listen(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()))
        .meterRegistry(registry);
    if (choices.keepRequested()) {
      keepService = openKeep(registry);
      for (KeepService.Route r : keepService.routes()) {
        String prefix = r.prefix().endsWith("/") ? r.prefix().substring(0, r.prefix().length() - 1) : r.prefix();
        b.mount(prefix, r.handler());
      }
    }
    b.tree(trees.build(keepService)).replyCacheControl(exports.replyCacheControl());
    if (process.accessLog != null) {
      AccessLog log = new AccessLog(process.accessLog);
      AccessLogSignals.reopenOnSignals(log);
      b.accessLog(log);
    }
    return b;
  }

  private KeepService openKeep(PrometheusMeterRegistry registry) throws IOException {
    if (!choices.dataGiven()) {
      keep.data = EmbeddedDataDirectory.of(System.getenv(), System.getProperty("user.home"));
      // On the command's own output, like the serving line, whatever the logging configuration.
      choices.out().println("keepfs gateway: no --data given: keeping blocks and collections in the embedded default"
          + " data directory " + keep.data);
      choices.out().flush();
    }
    KeepService service;
    try {
      service = KeepService.open(keep, Clock.systemUTC(), registry);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the Keep stores in --data " + keep.data + ": " + e.getMessage(), e);
    }
    resources.add(service);
    return service;
  }

  /** What is served, for the serving line: exports, collection trees, where Keep data lives. */
  String describe() {
    StringBuilder b = new StringBuilder();
    if (exports.exportRoot != null) {
      b.append("root=").append(exports.exportRoot.toAbsolutePath());
    }
    for (ExportOptions.Export e : exports.parsedExports()) {
      b.append(b.isEmpty() ? "" : ", ").append('/').append(e.name()).append('=').append(e.directory().toAbsolutePath());
    }
    if (trees.collectionTreesServed()) {
      b.append(b.isEmpty() ? "" : ", ").append("/" + TreeAssembly.BY_ID + ", /" + TreeAssembly.COLLECTIONS);
    }
    if (keepService != null) {
      b.append(b.isEmpty() ? "" : "; ").append("Keep blocks and collections API from ")
          .append(keep.noLocalBlocks ? "remote stores" : keep.data.toAbsolutePath());
    }
    return b.toString();
  }

  /** Closes what {@link #builder} opened; failures are logged, since shutdown goes on regardless. */
  @Override
  public void close() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", r, e.toString());
      }
    }
    resources.clear();
  }
}
