package org.keepfs.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.keepfs.client.fuse.FuseApi;
import org.keepfs.client.fuse.FuseMount;
import org.keepfs.client.fuse.MountInfo;
import org.keepfs.client.fuse.MountOptions;
import org.keepfs.client.fuse.MountTable;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.client.mount.ClientConfig;
import org.keepfs.client.mount.ClientSetup;
import org.keepfs.client.writable.OpenCollections;
import org.keepfs.client.writable.SpoolDirectory;
import org.keepfs.client.writable.WritableMount;
import org.keepfs.client.write.commit.WriterSettings;
import org.keepfs.collection.CollectionName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keepfs mount GATEWAY_URL MOUNTPOINT}: mounts a gateway (or an fs123 exportd) read-only, with
 * {@code --read-write --collection NAME} one collection for writing, or with {@code --read-write} alone
 * the gateway with every {@code collections/NAME} writable.
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    description = {
      "Mounts a keepfs gateway (or any fs123 7.2 server) read-only with FUSE, with a persistent block and",
      "reply cache. Exports appear at the root; collections under by_id/PDH and collections/NAME.",
      "Without --foreground or --exec the mount runs in a background process and this command returns",
      "once it is up. End it with: keepfs unmount MOUNTPOINT. Counters: MOUNTPOINT/.keepfs/stats.",
      "",
      "With --read-write --collection NAME the mount is that collection, writable (created at the first",
      "commit if missing). Commits happen at unmount, when --exec's command exits, after --commit-idle,",
      "at fsync with --commit-on-fsync, and when anything is written to MOUNTPOINT/.arv/commit.",
      "With --read-write alone, the whole gateway is mounted and every collections/NAME is writable, each",
      "committed on its own (its control files in collections/NAME/.arv/); mkdir collections/NEW makes a",
      "new collection. by_id/ and the exports stay read-only.",
      "",
      "Example: keepfs mount http://127.0.0.1:8123 /mnt/keepfs",
      "         keepfs mount http://gw:8123 /mnt/k --subdir by_id/PDH --exec md5sum /mnt/k/file",
      "         keepfs mount --read-write --collection results http://gw:8123 /mnt/out --exec ./job /mnt/out",
      "         keepfs mount --read-write http://gw:8123 /mnt/k --exec ./job /mnt/k/collections/results",
    })
public final class MountCommand implements Callable<Integer> {
  static final String CHILD_MARKER = "KEEPFS_MOUNT_CHILD";
  /** The smallest --memory-limit: a few of the buffers' first chunks and one full upload in flight need room. */
  private static final long WRITE_BUFFER_MINIMUM = 16L << 20;
  static final Duration MOUNT_WAIT = Duration.ofSeconds(60);

  @Parameters(index = "0", paramLabel = "GATEWAY_URL", description = "http://HOST:PORT[/PREFIX] of the gateway.")
  URI gateway;

  @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing, empty directory.")
  Path mountPoint;

  @Option(names = "--read-only", defaultValue = "true", description = "Mount read-only (the default).")
  boolean readOnly;

  @Option(names = "--read-write",
      description = "Mount for writing: the collection --collection NAME, or without it every collections/NAME of the gateway.")
  boolean readWrite;

  @Option(names = "--collection", paramLabel = "NAME",
      description = "With --read-write: mount only this collection (created if missing) instead of the whole gateway.")
  String collection;

  @Option(names = "--memory-limit", paramLabel = "SIZE", defaultValue = "256M",
      description = "With --read-write: native memory for write buffers, outside the Java heap (per collection open for writing); beyond it they spill to the"
          + " spool (default: ${DEFAULT-VALUE}).")
  String memoryLimit;

  @Option(names = "--spool-dir", paramLabel = "DIR",
      description = "With --read-write: the spool; without --collection the directory of one spool per collection"
          + " (default: $XDG_STATE_HOME/keepfs/spool/KEY, or CACHE_DIR/spool/KEY; one per gateway and collection).")
  Path spoolDir;

  @Option(names = "--commit-idle", paramLabel = "SECONDS",
      description = "With --read-write: commit after SECONDS without changes (default: only at the other triggers).")
  Long commitIdleSeconds;

  @Option(names = "--commit-on-fsync", description = "With --read-write: every fsync also commits.")
  boolean commitOnFsync;

  @Option(names = "--foreground", description = "Stay in the foreground until unmounted (Ctrl-C unmounts).")
  boolean foreground;

  @Option(names = "--exec", arity = "1..*", paramLabel = "CMD",
      description = "Mount, run CMD [ARGS...], unmount when it exits, and exit with its status. Put it last.")
  List<String> exec;

  @Option(names = "--allow-other", description = "Let other users see the files (needs user_allow_other in /etc/fuse.conf).")
  boolean allowOther;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Block and reply cache (default: $XDG_CACHE_HOME/keepfs).")
  Path cacheDir;

  @Option(names = "--cache-size", paramLabel = "SIZE", defaultValue = "10G", description = "Bound of the caches (default: ${DEFAULT-VALUE}).")
  String cacheSize;

  @Option(names = "--fallback-url", paramLabel = "URL", description = "Another gateway to use when one fails (repeatable).")
  List<URI> fallbackUrls = new ArrayList<>();

  @Option(names = "--proxy", paramLabel = "URL", description = "HTTP proxy for every request (default: $http_proxy, except for loopback).")
  URI proxy;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token for blocks and collections.")
  Path tokenFile;

  @Option(names = "--disconnected", description = "Never contact the gateway: serve what the caches hold.")
  boolean disconnected;

  @Option(names = "--stale-if-error", paramLabel = "DURATION", defaultValue = "10d",
      description = "How long past its max-age a cached reply may stand in for an unreachable gateway (default: ${DEFAULT-VALUE}).")
  String staleIfError;

  @Option(names = "--subdir", paramLabel = "PATH", defaultValue = "",
      description = "Mount only this part: an export path, by_id/PDH or collections/NAME.")
  String subdir;

  @Option(names = "--collection-max-age", paramLabel = "DURATION", defaultValue = "5s",
      description = "How long a named collection's head is used before asking again (default: ${DEFAULT-VALUE}).")
  String headMaxAge;

  @Option(names = "--retry-for", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long a failing request is retried before the program sees EIO (default: ${DEFAULT-VALUE}).")
  String retryFor;

  @Option(names = "--fuse-api", paramLabel = "API", defaultValue = FuseApi.DEFAULT_NAME,
      description = "FUSE binding: lowlevel (libfuse 3: per-reply cache lifetimes, readdirplus, 1 MiB requests) or"
          + " highlevel (libfuse 2 through jnr-fuse) (default: ${DEFAULT-VALUE}).")
  String fuseApi;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ClientConfig config;
    WritableMount.Settings writeSettings = null;
    Function<String, WritableMount.Settings> collectionSettings = null;
    try {
      config = config();
      fuseApi();
      if (readWrite && collection == null) {
        collectionSettings = collectionSettings(config);
      } else if (readWrite) {
        writeSettings = writeSettings(config);
      } else if (collection != null || spoolDir != null || commitIdleSeconds != null || commitOnFsync) {
        throw new IllegalArgumentException("--collection, --spool-dir, --commit-idle and --commit-on-fsync need --read-write");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path mp = mountPoint.toAbsolutePath().normalize();
    if (!foreground && exec == null && System.getenv(CHILD_MARKER) == null) {
      return startInBackground(mp, err);
    }
    ClientSetup client = ClientSetup.open(config);
    if (writeSettings != null) {
      return writableRun().oneCollection(client, writeSettings, mp);
    }
    if (collectionSettings != null) {
      return writableRun().wholeGateway(client, collectionSettings, spoolBase(config), mp);
    }
    FuseMount mount;
    try {
      client.checkRoot();
      mount = FuseMount.mount(client.fileSystem(), mp, mountOptions(), MOUNT_WAIT);
    } catch (IOException e) {
      client.close();
      err.println("keepfs mount: " + e.getMessage());
      return 1;
    }
    if (exec != null) {
      return runThenUnmount(client, mount, err);
    }
    Thread hook = new Thread(() -> closeQuietly(client, mount), "keepfs-unmount");
    Runtime.getRuntime().addShutdownHook(hook);
    spec.commandLine().getOut().println("keepfs mount: " + gateway + " on " + mp);
    spec.commandLine().getOut().flush();
    while (mount.isServing()) {
      Thread.sleep(200);
    }
    closeQuietly(client, mount);
    return 0;
  }

  private WritableMountRun writableRun() {
    return new WritableMountRun(gateway, mountOptions().withReadOnly(false), Optional.ofNullable(exec),
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  WritableMount.Settings writeSettings(ClientConfig config) throws IOException {
    try {
      CollectionName.check(collection);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--collection '" + collection + "': " + e.getMessage());
    }
    if (!subdir.isEmpty()) {
      throw new IllegalArgumentException("--subdir cannot be combined with --read-write: the mount is the collection");
    }
    Path spool = spoolDir != null ? spoolDir.toAbsolutePath().normalize()
        : SpoolDirectory.defaultFor(System.getenv(), config.cacheDir(), gateway, collection);
    return settingsFor(config, collection, spool);
  }

  /** The settings of each collection of a full read-write mount: its own spool below {@link #spoolBase}. */
  Function<String, WritableMount.Settings> collectionSettings(ClientConfig config) throws IOException {
    if (!subdir.isEmpty()) {
      throw new IllegalArgumentException("--subdir cannot be combined with --read-write without --collection:"
          + " the writable collections are those under collections/ of the whole gateway");
    }
    Path base = spoolBase(config);
    settingsFor(config, "check", base);
    return name -> {
      try {
        return settingsFor(config, name, SpoolDirectory.in(base, gateway, name));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  /** Where a full read-write mount keeps one spool per collection. */
  Path spoolBase(ClientConfig config) {
    return spoolDir != null ? spoolDir.toAbsolutePath().normalize() : SpoolDirectory.defaultBase(System.getenv(), config.cacheDir());
  }

  private WritableMount.Settings settingsFor(ClientConfig config, String name, Path spool) throws IOException {
    if (disconnected) {
      throw new IllegalArgumentException("--disconnected cannot be combined with --read-write: commits need the gateway");
    }
    long memory = Quantities.bytes("--memory-limit", memoryLimit);
    if (memory < WRITE_BUFFER_MINIMUM) {
      throw new IllegalArgumentException("--memory-limit " + memoryLimit + " is too small: at least 16M");
    }
    if (commitIdleSeconds != null && commitIdleSeconds <= 0) {
      throw new IllegalArgumentException("--commit-idle must be a positive number of seconds, got " + commitIdleSeconds);
    }
    WriterSettings w = WriterSettings.of(gateway, config.http().token(), name, spool).withMemoryLimit(memory);
    return new WritableMount.Settings(w, Optional.ofNullable(commitIdleSeconds).map(Duration::ofSeconds), commitOnFsync);
  }

  private int runThenUnmount(ClientSetup client, FuseMount mount, PrintWriter err) throws InterruptedException {
    int status;
    try {
      Process p = new ProcessBuilder(exec).inheritIO().start();
      status = p.waitFor();
    } catch (IOException e) {
      err.println("keepfs mount: cannot run " + String.join(" ", exec) + ": " + e.getMessage());
      status = 127;
    }
    closeQuietly(client, mount);
    return status;
  }

  private static void closeQuietly(ClientSetup client, FuseMount mount) {
    try {
      mount.close();
    } catch (IOException e) {
      System.err.println("keepfs mount: unmounting " + mount.mountPoint() + ": " + e.getMessage());
    }
    try {
      client.close();
    } catch (IOException e) {
      System.err.println("keepfs mount: closing the client: " + e.getMessage());
    }
  }

  /** Runs this same command in a child process with the same arguments, and waits until its mount is up. */
  private int startInBackground(Path mp, PrintWriter err) throws IOException, InterruptedException {
    Path log = Files.createTempFile("keepfs-mount-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    String launched = System.getProperty("sun.java.command", "");
    String first = launched.split(" ", 2)[0];
    if (first.endsWith(".jar")) {
      command.add("-jar");
      command.add(first);
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(first);
    }
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    List<String> path = originalCommandPath();
    // The parse result holds the whole command line when this runs as a subcommand, only our own arguments otherwise.
    if (!original.isEmpty() && !path.isEmpty() && original.getFirst().equals(path.getFirst())) {
      path = List.of();
    }
    command.addAll(path);
    command.addAll(original);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put(CHILD_MARKER, "1");
    Process child = pb.start();
    Instant deadline = Instant.now().plus(MOUNT_WAIT);
    while (Instant.now().isBefore(deadline)) {
      if (MountTable.find(mp).filter(MountInfo::isFuse).isPresent()) {
        spec.commandLine().getOut().println("keepfs mount: " + gateway + " on " + mp + " (process " + child.pid()
            + ", log " + log + "); end it with: keepfs unmount " + mp);
        return 0;
      }
      if (!child.isAlive()) {
        err.print(Files.readString(log, StandardCharsets.UTF_8));
        err.println("keepfs mount: the mount process exited with status " + child.exitValue() + " before " + mp + " was mounted");
        return 1;
      }
      Thread.sleep(50);
    }
    child.destroy();
    err.println("keepfs mount: " + mp + " was not mounted within " + MOUNT_WAIT.toSeconds() + " s; see " + log);
    return 1;
  }

  /** The subcommand names above this one ("mount" under "keepfs"), which the child needs in front of the arguments. */
  private List<String> originalCommandPath() {
    List<String> names = new ArrayList<>();
    for (CommandLine c = spec.commandLine(); c.getParent() != null; c = c.getParent()) {
      names.addFirst(c.getCommandName());
    }
    return names;
  }

  MountOptions mountOptions() {
    return MountOptions.defaults(gateway.getHost() == null ? "keepfs" : "keepfs:" + gateway.getHost())
        .withReadOnly(true)
        .withAllowOther(allowOther)
        .withApi(fuseApi());
  }

  FuseApi fuseApi() {
    if (fuseApi == null) {
      return MountOptions.DEFAULT_API;
    }
    try {
      return FuseApi.parse(fuseApi);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--fuse-api: " + e.getMessage(), e);
    }
  }

  ClientConfig config() throws IOException {
    HttpOptions http = HttpOptions.of(gateway)
        .withFallbacks(fallbackUrls)
        .withProxy(Optional.ofNullable(proxy).or(() -> environmentProxy(gateway, System.getenv())))
        .withToken(readToken())
        .withStaleIfError(Quantities.duration("--stale-if-error", staleIfError));
    http = http.withTimeouts(http.connectTimeout(), http.responseTimeout(), Quantities.duration("--retry-for", retryFor));
    return new ClientConfig(http, cacheDir != null ? cacheDir : defaultCacheDir(System.getenv()),
        Quantities.bytes("--cache-size", cacheSize), disconnected, Quantities.duration("--stale-if-error", staleIfError),
        subdir, Quantities.duration("--collection-max-age", headMaxAge));
  }

  private Optional<String> readToken() {
    return Optional.ofNullable(tokenFile).map(TokenFile::read);
  }

  /** {@code http_proxy} (or {@code HTTP_PROXY}), unless the gateway is on loopback or listed in {@code no_proxy}. */
  static Optional<URI> environmentProxy(URI gateway, Map<String, String> env) {
    String value = env.getOrDefault("http_proxy", env.get("HTTP_PROXY"));
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String host = gateway.getHost();
    if (host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")) {
      return Optional.empty();
    }
    String noProxy = env.getOrDefault("no_proxy", env.getOrDefault("NO_PROXY", ""));
    for (String n : noProxy.split(",")) {
      String s = n.trim();
      if (!s.isEmpty() && (s.equals("*") || host.equals(s) || host.endsWith(s.startsWith(".") ? s : "." + s))) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(URI.create(value.contains("://") ? value.trim() : "http://" + value.trim()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("http_proxy '" + value + "' is not a URL");
    }
  }

  static Path defaultCacheDir(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "keepfs");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "keepfs");
  }
}
