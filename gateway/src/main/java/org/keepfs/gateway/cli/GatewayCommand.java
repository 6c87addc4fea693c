package org.keepfs.gateway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.Fs123Protocol;
import org.keepfs.gateway.collectiontree.ByIdTree;
import org.keepfs.gateway.collectiontree.ManifestCache;
import org.keepfs.gateway.collectiontree.NamedCollectionsTree;
import org.keepfs.gateway.collectiontree.SegmentReader;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
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

/**
 * {@code keepfs gateway}: serves POSIX directory exports and Keep collections over fs123 7.2, and the
 * Keep block service and collections API, until SIGTERM or SIGINT.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Serve read-only POSIX directories and Keep collections over the fs123 protocol 7.2 (unencrypted),"
          + " so the stock fs123 client and the keepfs client can mount them; Keep blocks under /keep/,"
          + " the collections API under /collections/ and /by_id/<pdh>/manifest; /metrics and /healthz.",
      "",
      "The Keep side runs when any of its options is given (--data, --s3-bucket, ...) or when no export"
          + " is; without --data it keeps its data in $XDG_DATA_HOME/keepfs or ~/.local/share/keepfs.",
      "The fs123 root lists the exports plus by_id/ and collections/.",
      "",
      "Example: keepfs gateway --data /srv/keep --write-token-file tokens --export data=/srv/data",
      "then:    curl -i http://127.0.0.1:8123/fs123/7/2/d/data?128;1;0",
    })
public final class GatewayCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);

  private CommandLine.Model.CommandSpec spec;

  /** Enum values such as {@code --collection-store local} are accepted in any case, however the command is run. */
  @Spec
  void spec(CommandLine.Model.CommandSpec spec) {
    this.spec = spec;
    spec.parser().caseInsensitiveEnumValuesAllowed(true);
  }
  @Mixin ListenOptions listen = new ListenOptions();
  @Mixin ProcessOptions process = new ProcessOptions();
  @Mixin ExportOptions exports = new ExportOptions();
  @Mixin KeepOptions keep = new KeepOptions();
  @Mixin CollectionTreeOptions collectionTrees = new CollectionTreeOptions();

  /** The names the collection trees take at the fs123 root. */
  static final String BY_ID = "by_id";
  static final String COLLECTIONS = "collections";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private KeepService keepService;
  private boolean collectionTreesServed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Serving serving = serve();
    Runtime.getRuntime().addShutdownHook(new Thread(serving::close, "gateway-shutdown"));
    serving.server().join();
    return 0;
  }

  /** A started gateway; closing it stops the server, closes the stores and removes the pid and port files. */
  public final class Serving implements AutoCloseable {
    private final GatewayServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Serving(GatewayServer server) {
      this.server = server;
    }

    public GatewayServer server() {
      return server;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        shutdown(server);
      }
    }
  }

  /**
   * Builds and starts what the parsed options describe, writes the port and pid files and prints the
   * serving line. {@link #call} serves until a signal; tests call this and close the result.
   */
  public Serving serve() throws Exception {
    GatewayServer server;
    try {
      server = assemble().build();
    } catch (IllegalArgumentException | ErrnoException e) {
      closeResources();
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      server.start();
    } catch (Exception e) {
      closeResources();
      throw e;
    }
    Serving serving = new Serving(server);
    writeAtomically(process.portfile, Integer.toString(server.port()));
    writeAtomically(process.pidfile, Long.toString(ProcessHandle.current().pid()));
    PrintWriter out = spec.commandLine().getOut();
    out.println("keepfs gateway: serving " + server.uri() + Fs123Protocol.VERSION_PATH + "/ (" + describe() + ")");
    out.flush();
    return serving;
  }

  /**
   * Everything the options describe, ready to build: the fs123 tree, the access log, the listen address.
   * New features add their handlers here with {@link GatewayServer.Builder#mount}.
   */
  GatewayServer.Builder assemble() throws IOException, ErrnoException {
    InetSocketAddress unresolved = listen.address();
    GatewayServer.Builder b = GatewayServer.builder()
        .listen(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()));
    if (keepRequested()) {
      keepService = openKeep();
      for (KeepService.Route r : keepService.routes()) {
        String prefix = r.prefix().endsWith("/") ? r.prefix().substring(0, r.prefix().length() - 1) : r.prefix();
        b.mount(prefix, r.handler());
      }
    }
    b.tree(tree()).replyCacheControl(exports.replyCacheControl());
    if (process.accessLog != null) {
      AccessLog log = new AccessLog(process.accessLog);
      reopenOnSignal(log, "HUP");
      reopenOnSignal(log, "USR1");
      b.accessLog(log);
    }
    return b;
  }

  /** The Keep side runs when one of its options is given, or when there is nothing else to serve. */
  private boolean keepRequested() {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    boolean keepOption = spec.mixins().get("keep").options().stream().anyMatch(parsed::hasMatchedOption);
    return keepOption || (exports.exports.isEmpty() && exports.exportRoot == null);
  }

  private KeepService openKeep() throws IOException {
    if (!spec.commandLine().getParseResult().hasMatchedOption("--data")) {
      keep.data = EmbeddedDataDirectory.of(System.getenv(), System.getProperty("user.home"));
      // On the command's own output, like the serving line, whatever the logging configuration.
      PrintWriter out = spec.commandLine().getOut();
      out.println("keepfs gateway: no --data given: keeping blocks and collections in the embedded default data directory "
          + keep.data);
      out.flush();
    }
    KeepService service;
    try {
      service = KeepService.open(keep, Clock.systemUTC());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the Keep stores in --data " + keep.data + ": " + e.getMessage(), e);
    }
    resources.add(service);
    return service;
  }

  private Fs123Tree tree() throws ErrnoException {
    ExportSettings settings = exports.settings();
    List<ExportOptions.Export> named = exports.parsedExports();
    if (exports.exportRoot != null && !named.isEmpty()) {
      throw new IllegalArgumentException("use either --export-root DIR or --export NAME=DIR, not both");
    }
    if (exports.exportRoot != null) {
      if (keepService != null) {
        LOG.info("--export-root makes one directory the whole fs123 tree, so collections are not served over fs123"
            + " (use --export NAME=DIR to serve them beside it)");
      }
      return open("the export root", exports.exportRoot, settings);
    }
    Map<String, Fs123Tree> children = new LinkedHashMap<>();
    for (ExportOptions.Export e : named) {
      children.put(e.name(), open(e.name(), e.directory(), settings));
    }
    if (keepService != null) {
      addCollectionTrees(children);
    }
    Instant now = Instant.now();
    return new CompositeTree(children, settings.defaultCacheControl(), now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }

  /**
   * Adds {@code by_id} and {@code collections}. fs123 requests carry no token, so when reads need one
   * (or a permission signature) collections are only served through the token-checked HTTP API.
   */
  private void addCollectionTrees(Map<String, Fs123Tree> children) {
    for (String taken : List.of(BY_ID, COLLECTIONS)) {
      if (children.containsKey(taken)) {
        throw new IllegalArgumentException("--export " + taken + "=...: the name " + taken
            + " is where the gateway serves collections; export the directory under another name");
      }
    }
    if (keepService.access().readTokens().isPresent() || keepService.access().signer().isPresent()) {
      LOG.info("reads need a token or a permission signature (--read-token-file, --blob-signing-key-file), which fs123"
          + " requests cannot carry: collections are served through /collections/ and /keep/ only, not over fs123");
      return;
    }
    ManifestCache manifests = new ManifestCache(keepService.collections(), collectionTrees.manifestCacheBytes());
    SegmentReader reader = new SegmentReader(keepService.blocks());
    CacheControl named = collectionTrees.collectionCacheControl();
    children.put(BY_ID, new ByIdTree(manifests, reader, named));
    children.put(COLLECTIONS, new NamedCollectionsTree(keepService.collections(), manifests, reader, named,
        CollectionTreeOptions.NAMES_TTL));
    collectionTreesServed = true;
  }

  private PosixExportTree open(String name, Path dir, ExportSettings settings) throws ErrnoException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("export " + name + ": " + dir + " is not a directory");
    }
    PosixExportTree t = new PosixExportTree(name, dir, settings);
    resources.add(t);
    return t;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    if (exports.exportRoot != null) {
      b.append("root=").append(exports.exportRoot.toAbsolutePath());
    }
    for (ExportOptions.Export e : exports.parsedExports()) {
      b.append(b.isEmpty() ? "" : ", ").append('/').append(e.name()).append('=').append(e.directory().toAbsolutePath());
    }
    if (collectionTreesServed) {
      b.append(b.isEmpty() ? "" : ", ").append("/" + BY_ID + ", /" + COLLECTIONS);
    }
    if (keepService != null) {
      b.append(b.isEmpty() ? "" : "; ").append("Keep blocks and collections API from ")
          .append(keep.noLocalBlocks ? "remote stores" : keep.data.toAbsolutePath());
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

  private void closeResources() {
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
