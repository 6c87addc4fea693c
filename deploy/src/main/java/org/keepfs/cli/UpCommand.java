package org.keepfs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.FusePrerequisites;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.mount.ClientConfig;
import org.keepfs.client.mount.ClientSetup;
import org.keepfs.client.writable.MountedCollection;
import org.keepfs.client.writable.SpoolDirectory;
import org.keepfs.client.writable.WritableMount;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keepfs up MOUNTPOINT}: a gateway on the embedded data directory, in this process, and the
 * collection {@code home} (or {@code --collection NAME}) mounted read-write on MOUNTPOINT until Ctrl-C,
 * which commits before it unmounts. With {@code --read-only} the whole gateway is mounted read-only
 * instead. The data directory holds {@code files/} (served as the export {@code files}), the blocks
 * and collections of the Keep API, and {@code write-token} (the token this gateway accepts for writes).
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start everything on this machine: a gateway on a local data directory (default:",
      "$XDG_DATA_HOME/keepfs) and the collection 'home' mounted read-write on MOUNTPOINT. Ctrl-C commits,",
      "unmounts and stops (so do keepfs unmount MOUNTPOINT and writing to MOUNTPOINT/.arv/commit).",
      "With --read-only: the whole gateway read-only instead; files put in DATA/files appear under",
      "MOUNTPOINT/files, collections under by_id/ and collections/.",
    })
public final class UpCommand implements Callable<Integer> {
  static final String EXPORT_NAME = "files";
  static final String DEFAULT_COLLECTION = "home";
  /** The token this gateway accepts for writes, made at the first start; only the local mount uses it. */
  static final String WRITE_TOKEN_FILE = "write-token";

  @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "An empty directory (created if missing).")
  Path mountPoint;

  @Option(names = "--data", paramLabel = "DIR", description = "The data directory (default: $XDG_DATA_HOME/keepfs).")
  Path data;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "The client's cache (default: $XDG_CACHE_HOME/keepfs).")
  Path cacheDir;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Gateway port on 127.0.0.1 (default: any free port).")
  int port;

  @Option(names = "--collection", paramLabel = "NAME", defaultValue = DEFAULT_COLLECTION,
      description = "The collection to mount read-write (default: ${DEFAULT-VALUE}).")
  String collection;

  @Option(names = "--read-only", description = "Mount the whole gateway read-only instead of one collection read-write.")
  boolean readOnly;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    List<String> missing = FusePrerequisites.missing();
    if (!missing.isEmpty()) {
      err.println("keepfs up: FUSE is not usable here, so nothing can be mounted:");
      missing.forEach(m -> err.println("  - " + m));
      return 1;
    }
    Map<String, String> env = System.getenv();
    Path dataDir = data != null ? data : xdg(env, "XDG_DATA_HOME", ".local/share");
    Path cache = cacheDir != null ? cacheDir : xdg(env, "XDG_CACHE_HOME", ".cache");
    Path files = Files.createDirectories(dataDir.resolve(EXPORT_NAME));
    Path mp = mountPoint.toAbsolutePath().normalize();
    Files.createDirectories(mp);

    Path tokenFile = writeToken(dataDir);
    KeepOptions keepOptions = new KeepOptions();
    new CommandLine(new Object() {
      @CommandLine.Mixin KeepOptions k = keepOptions;
    }).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", dataDir.toString(),
        "--write-token-file", tokenFile.toString());
    KeepService keep = KeepService.open(keepOptions, Clock.systemUTC());
    PosixExportTree export = new PosixExportTree(EXPORT_NAME, files, ExportSettings.defaults());
    Instant now = Instant.now();
    GatewayServer.Builder b = GatewayServer.builder()
        .listen(new InetSocketAddress("127.0.0.1", port))
        .tree(new CompositeTree(Map.of(EXPORT_NAME, export), ExportSettings.EXPORTD_DEFAULT_CACHE_CONTROL,
            now.getEpochSecond() * 1_000_000_000L + now.getNano()));
    for (KeepService.Route r : keep.routes()) {
      b.mount(r.prefix(), r.handler());
    }
    GatewayServer server = b.build();
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.port());
    if (!readOnly) {
      return upReadWrite(url, Files.readString(tokenFile, StandardCharsets.UTF_8).strip(), dataDir, cache, mp,
          new AutoCloseable[] {server, export, keep});
    }
    ClientSetup client = null;
    FuseMount mount = null;
    try {
      // One machine, one gateway: short lifetimes would only slow the mount, and there is nothing to fall back to.
      client = ClientSetup.open(new ClientConfig(HttpOptions.of(url), cache, 10L << 30, false, Duration.ofDays(10), "",
          Duration.ofSeconds(1)));
      client.checkRoot();
      mount = FuseMount.mount(client.fileSystem(), mp, MountOptions.defaults("keepfs:up"), Duration.ofSeconds(60));
    } catch (IOException e) {
      err.println("keepfs up: " + e.getMessage());
      closeAll(mount, client, server, export, keep);
      return 1;
    }
    ClientSetup c = client;
    FuseMount m = mount;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(m, c, server, export, keep), "keepfs-up-stop"));
    out.println("keepfs up: gateway " + url + " serving " + dataDir + ", mounted read-only on " + mp);
    out.println("  put files in " + files + " and find them in " + mp.resolve(EXPORT_NAME));
    out.println("  press Ctrl-C (or run: keepfs unmount " + mp + ") to stop");
    out.flush();
    while (m.isServing()) {
      Thread.sleep(200);
    }
    closeAll(m, c, server, export, keep);
    return 0;
  }

  /**
   * The read-write mode: the collection mounted like {@code keepfs mount --read-write}, spooled under
   * the cache directory in a spool named after the data directory (the gateway's port changes from run
   * to run), so the next {@code keepfs up} on the same data recovers what a killed one left.
   */
  private int upReadWrite(URI url, String token, Path dataDir, Path cache, Path mp, AutoCloseable[] gateway)
      throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Path spool = SpoolDirectory.defaultFor(System.getenv(), cache, dataDir.toAbsolutePath().toUri(), collection);
    ClientSetup client = null;
    WritableMount writable = null;
    FuseMount mount;
    try {
      client = ClientSetup.open(new ClientConfig(HttpOptions.of(url).withToken(Optional.of(token)), cache, 10L << 30, false,
          Duration.ofDays(10), "", Duration.ofSeconds(1)));
      writable = WritableMount.open(new WritableMount.Settings(WriterSettings.of(url, Optional.of(token), collection, spool),
          Optional.empty(), false), Optional.of(client.blocks()));
      mount = FuseMount.mount(writable.fileSystem(), mp, MountOptions.defaults("keepfs:up").withReadOnly(false),
          Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      err.println("keepfs up: " + e.getMessage());
      closeAll(writable, client);
      closeAll(gateway);
      return 1;
    }
    MountedCollection mounted = new MountedCollection(writable, mount, client, err);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mounted.finish();
      closeAll(gateway);
    }, "keepfs-up-stop"));
    out.println("keepfs up: gateway " + url + " serving " + dataDir + "; collection '" + collection
        + "' mounted read-write on " + mp);
    out.println("  press Ctrl-C (or run: keepfs unmount " + mp + ") to commit and stop; "
        + mp.resolve(".arv/commit") + " commits at any time");
    out.flush();
    while (mount.isServing()) {
      Thread.sleep(200);
    }
    boolean committed = mounted.finish();
    closeAll(gateway);
    return committed ? 0 : 1;
  }

  /** DATA/write-token, made with a random token (readable only by its owner) when it is missing. */
  static Path writeToken(Path dataDir) throws IOException {
    Path f = dataDir.resolve(WRITE_TOKEN_FILE);
    if (!Files.exists(f)) {
      Files.createDirectories(dataDir);
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      Path tmp = Files.createTempFile(dataDir, WRITE_TOKEN_FILE, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
    }
    return f;
  }

  private static synchronized void closeAll(AutoCloseable... all) {
    for (AutoCloseable a : all) {
      if (a == null) {
        continue;
      }
      try {
        a.close();
      } catch (Exception e) {
        System.err.println("keepfs up: stopping " + a.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  static Path xdg(Map<String, String> env, String variable, String fallbackUnderHome) {
    String v = env.get(variable);
    if (v != null && !v.isBlank()) {
      return Path.of(v, "keepfs");
    }
    return Path.of(System.getProperty("user.home"), fallbackUnderHome, "keepfs");
  }
}
