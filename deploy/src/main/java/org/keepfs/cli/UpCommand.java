package org.keepfs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
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
 * {@code keepfs up MOUNTPOINT}: a gateway on the embedded data directory, in this process, mounted on
 * MOUNTPOINT until Ctrl-C. The data directory holds {@code files/} (served as the export {@code files})
 * and the blocks and collections of the Keep API.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start everything on this machine: a gateway on a local data directory (default:",
      "$XDG_DATA_HOME/keepfs) and a read-only mount of it on MOUNTPOINT. Ctrl-C unmounts and stops.",
      "Files put in DATA/files appear under MOUNTPOINT/files; collections under by_id/ and collections/.",
    })
public final class UpCommand implements Callable<Integer> {
  static final String EXPORT_NAME = "files";

  @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "An empty directory (created if missing).")
  Path mountPoint;

  @Option(names = "--data", paramLabel = "DIR", description = "The data directory (default: $XDG_DATA_HOME/keepfs).")
  Path data;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "The client's cache (default: $XDG_CACHE_HOME/keepfs).")
  Path cacheDir;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Gateway port on 127.0.0.1 (default: any free port).")
  int port;

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

    KeepOptions keepOptions = new KeepOptions();
    new CommandLine(new Object() {
      @CommandLine.Mixin KeepOptions k = keepOptions;
    }).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", dataDir.toString());
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
      close(mount, client, server, export, keep);
      return 1;
    }
    ClientSetup c = client;
    FuseMount m = mount;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(m, c, server, export, keep), "keepfs-up-stop"));
    out.println("keepfs up: gateway " + url + " serving " + dataDir + ", mounted read-only on " + mp);
    out.println("  put files in " + files + " and find them in " + mp.resolve(EXPORT_NAME));
    out.println("  press Ctrl-C (or run: keepfs unmount " + mp + ") to stop");
    out.flush();
    while (m.isServing()) {
      Thread.sleep(200);
    }
    close(m, c, server, export, keep);
    return 0;
  }

  private static synchronized void close(FuseMount mount, ClientSetup client, GatewayServer server, PosixExportTree export,
      KeepService keep) {
    for (AutoCloseable a : new AutoCloseable[] {mount, client, server, export, keep}) {
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
