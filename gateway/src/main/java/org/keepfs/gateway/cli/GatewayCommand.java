package org.keepfs.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.keepfs.fs123.Fs123Protocol;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.server.AccessLog;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.posix.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code keepfs gateway}: serves POSIX directory exports over fs123 7.2 until SIGTERM or SIGINT. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Serve read-only POSIX directories over the fs123 protocol 7.2 (unencrypted), so the stock fs123"
          + " client and the keepfs client can mount them, with /metrics and /healthz beside them.",
      "",
      "Example: keepfs gateway --export data=/srv/data --listen 127.0.0.1:8123",
      "then:    curl -i 'http://127.0.0.1:8123/fs123/7/2/d/data?128;1;0'",
    })
public final class GatewayCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ListenOptions listen = new ListenOptions();
  @Mixin ProcessOptions process = new ProcessOptions();
  @Mixin ExportOptions exports = new ExportOptions();

  private final List<AutoCloseable> resources = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    GatewayServer server;
    try {
      server = assemble().build();
    } catch (IllegalArgumentException | ErrnoException e) {
      closeResources();
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      server.start();
    } catch (java.io.IOException e) {
      server.close();
      closeResources();
      throw new CommandLine.ParameterException(spec.commandLine(),
          "cannot listen on " + listen.listen + ": " + e.getMessage() + " (pick another --listen address or port)");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server), "gateway-shutdown"));
    writeAtomically(process.portfile, Integer.toString(server.port()));
    writeAtomically(process.pidfile, Long.toString(ProcessHandle.current().pid()));
    PrintWriter out = spec.commandLine().getOut();
    out.println("keepfs gateway: serving " + server.uri() + Fs123Protocol.VERSION_PATH + "/ (" + describeExports() + ")");
    out.flush();
    server.join();
    return 0;
  }

  /**
   * Everything the options describe, ready to build: the fs123 tree, the access log, the listen address.
   * New features add their handlers here with {@link GatewayServer.Builder#mount}.
   */
  GatewayServer.Builder assemble() throws IOException, ErrnoException {
    InetSocketAddress unresolved = listen.address();
    GatewayServer.Builder b = GatewayServer.builder()
        .listen(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()))
        .tree(tree())
        .replyCacheControl(exports.replyCacheControl());
    if (process.accessLog != null) {
      AccessLog log = new AccessLog(process.accessLog);
      reopenOnSignal(log, "HUP");
      reopenOnSignal(log, "USR1");
      b.accessLog(log);
    }
    return b;
  }

  /**
   * The fs123 tree: with {@code --export-root}, that one directory; otherwise a {@link CompositeTree} whose
   * top-level names are the exports. Trees of other kinds (collections by PDH, named collections) join the
   * same root by adding their name and tree to {@code children} here.
   */
  private Fs123Tree tree() throws ErrnoException {
    ExportSettings settings = exports.settings();
    List<ExportOptions.Export> named = exports.parsedExports();
    if (exports.exportRoot != null && !named.isEmpty()) {
      throw new IllegalArgumentException("use either --export-root DIR or --export NAME=DIR, not both");
    }
    if (exports.exportRoot != null) {
      return open("the export root", exports.exportRoot, settings);
    }
    if (named.isEmpty()) {
      throw new IllegalArgumentException("nothing to serve: give --export NAME=DIR (repeatable) or --export-root DIR");
    }
    Map<String, Fs123Tree> children = new LinkedHashMap<>();
    for (ExportOptions.Export e : named) {
      children.put(e.name(), open(e.name(), e.directory(), settings));
    }
    Instant now = Instant.now();
    return new CompositeTree(children, settings.defaultCacheControl(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  private PosixExportTree open(String name, Path dir, ExportSettings settings) throws ErrnoException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("export " + name + ": " + dir + " is not a directory");
    }
    PosixExportTree t = new PosixExportTree(name, dir, settings);
    resources.add(t);
    return t;
  }

  private String describeExports() {
    if (exports.exportRoot != null) {
      return "root=" + exports.exportRoot.toAbsolutePath();
    }
    StringBuilder b = new StringBuilder();
    for (ExportOptions.Export e : exports.parsedExports()) {
      b.append(b.isEmpty() ? "" : ", ").append('/').append(e.name()).append('=').append(e.directory().toAbsolutePath());
    }
    return b.toString();
  }

  private static void reopenOnSignal(AccessLog log, String signal) {
    try {
      Signal.handle(new Signal(signal), s -> {
        try {
          log.reopen();
        } catch (IOException e) {
          LOG.warn("cannot reopen the access log {}: {}", log.path(), e.getMessage());
        }
      });
    } catch (IllegalArgumentException e) {
      LOG.warn("SIG{} is not available to reopen the access log: {}", signal, e.getMessage());
    }
  }

  private void shutdown(GatewayServer server) {
    try {
      server.close();
    } catch (Exception e) {
      LOG.warn("stopping the server: {}", e.toString());
    }
    closeResources();
    deleteQuietly(process.portfile);
    deleteQuietly(process.pidfile);
  }

  /** Closes what {@link #assemble} opened (the exports' root descriptors). */
  void closeResources() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", r, e.toString());
      }
    }
    resources.clear();
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    if (file == null) {
      return;
    }
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, content + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", file, e.getMessage());
      }
    }
  }
}
