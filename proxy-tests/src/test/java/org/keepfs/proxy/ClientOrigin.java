package org.keepfs.proxy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.keepfs.fs123.CacheControl;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.locator.Locator;
import picocli.CommandLine;

/**
 * The gateway the client-level proxy tests read from, with the data of issue 7's acceptance figures:
 * an export {@code data} holding a directory of {@link #LISTING_FILES} files ({@code data/many}) and a
 * {@link #EXPORT_FILE_BYTES} file ({@code data/big}), and a collection whose one file {@code big.bin}
 * is {@link #COLLECTION_FILE_BYTES} (1 GiB) in 64 MiB blocks. Built once per test run (see {@link
 * SharedClientOrigin}) because writing a GiB takes a while on a loaded machine.
 *
 * <p>It listens on the address its host name resolves to and is named by that name, not by a loopback
 * literal: clients skip {@code http_proxy} for {@code 127.*} and {@code localhost}, as curl and Go do.
 */
final class ClientOrigin implements AutoCloseable {
  static final int LISTING_FILES = 20_000;
  static final long COLLECTION_FILE_BYTES = 1L << 30;
  static final long EXPORT_FILE_BYTES = 128L << 20;
  private static final int BLOCK_BYTES = 64 << 20;

  /** Requests and reply body bytes the gateway served, from its own /metrics. */
  record Traffic(long requests, long bytes) {
    Traffic minus(Traffic earlier) {
      return new Traffic(requests - earlier.requests, bytes - earlier.bytes);
    }
  }

  final Path work;
  final String host;
  final String pdh;
  final String collectionFileMd5;
  final String exportFileMd5;
  private final GatewayServer server;
  private final KeepService keep;
  private final PosixExportTree export;
  private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ClientOrigin() throws Exception {
    // Under /tmp (not a private @TempDir): proxies that drop privileges must reach their work directories.
    work = Files.createTempDirectory("keepfs-client-proxy-");
    Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    host = hostName();
    Path exportDir = Files.createDirectories(work.resolve("export"));
    Path many = Files.createDirectories(exportDir.resolve("many"));
    for (String name : listingNames()) {
      Files.createFile(many.resolve(name));
    }
    exportFileMd5 = writeRandom(exportDir.resolve("big"), EXPORT_FILE_BYTES, 11);

    KeepCommandLine options = new KeepCommandLine();
    new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", Files.createDirectories(work.resolve("gateway-data")).toString());
    keep = KeepService.open(options.keep, Clock.systemUTC());
    MessageDigest whole = MessageDigest.getInstance("MD5");
    List<Locator> blocks = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(12);
    for (long done = 0; done < COLLECTION_FILE_BYTES; done += BLOCK_BYTES) {
      byte[] block = new byte[BLOCK_BYTES];
      random.nextBytes(block);
      whole.update(block);
      // A new file each time: the store may link the file it is given rather than copy it.
      Path blockFile = Files.createTempFile(work, "block", ".tmp");
      Files.write(blockFile, block);
      Locator l = Locator.of(md5(block), block.length);
      keep.blocks().put(l, blockFile);
      Files.deleteIfExists(blockFile);
      blocks.add(l);
    }
    collectionFileMd5 = HexFormat.of().formatHex(whole.digest());
    StringBuilder manifest = new StringBuilder(".");
    blocks.forEach(l -> manifest.append(' ').append(l));
    manifest.append(" 0:").append(COLLECTION_FILE_BYTES).append(":big.bin\n");
    pdh = keep.collections().putManifest(manifest.toString()).toString();

    // An hour, as for a released tree: between the two clients of a test lies a GiB of reading on a
    // loaded machine, longer than the default 120 s, and a revalidation would be an origin request.
    ExportSettings settings = ExportSettings.defaults()
        .withDefaultCacheControl(CacheControl.maxAge(3600).withStaleWhileRevalidate(3600));
    export = new PosixExportTree("data", exportDir, settings);
    Instant now = Instant.now();
    CompositeTree tree = new CompositeTree(Map.of("data", export), settings.defaultCacheControl(),
        now.getEpochSecond() * 1_000_000_000L + now.getNano());
    GatewayServer.Builder b = GatewayServer.builder()
        .listen(new InetSocketAddress(InetAddress.getByName(host), 0))
        .tree(tree)
        .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    for (KeepService.Route r : keep.routes()) {
      b.mount(r.prefix(), r.handler());
    }
    server = b.build();
    server.start();
  }

  /** The names in data/many, sorted. */
  static List<String> listingNames() {
    return java.util.stream.IntStream.range(0, LISTING_FILES).mapToObj(i -> String.format("file-%05d", i)).toList();
  }

  /** A new directory under {@link #work} that a proxy dropping its privileges can enter. */
  Path newDirectory(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(work, prefix);
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  /** The IP address the gateway listens on, for a reverse proxy's backend line. */
  String address() throws UnknownHostException {
    return InetAddress.getByName(host).getHostAddress();
  }

  int port() {
    return server.port();
  }

  /** http://HOST:PORT with the host's name (see the class comment). */
  URI uri() {
    return URI.create("http://" + host + ":" + server.port());
  }

  /**
   * What the gateway has served so far, read from its {@code /metrics} (asked directly): fs123
   * requests and reply bytes plus the requests and response bytes of the Keep, collection and
   * manifest routes.
   */
  Traffic traffic() throws IOException, InterruptedException {
    String text = direct.send(HttpRequest.newBuilder(uri().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    long requests = 0;
    long bytes = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      String name = line.split("[{ ]", 2)[0];
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      switch (name) {
        case "keepfs_fs123_requests_total", "keepfs_http_requests_total" -> requests += (long) value;
        case "keepfs_fs123_reply_bytes_total", "keepfs_http_response_bytes_total" -> bytes += (long) value;
        default -> { }
      }
    }
    return new Traffic(requests, bytes);
  }

  private static String hostName() throws UnknownHostException {
    String name = InetAddress.getLocalHost().getHostName();
    if (name.equals("localhost") || name.startsWith("127.") || name.contains(":")) {
      throw new UnknownHostException("this host's name is '" + name + "'; the proxy tests need a name other than "
          + "localhost or a loopback literal that resolves to a local address (set it in /etc/hosts)");
    }
    return name;
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  private static String writeRandom(Path file, long size, long seed) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += buf.length) {
        random.nextBytes(buf);
        md5.update(buf);
        out.write(buf);
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      try {
        export.close();
        keep.close();
      } finally {
        try (Stream<Path> all = Files.walk(work)) {
          all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** The gateway's Keep options, parsed the way {@code keepfs gateway} parses them. */
  @CommandLine.Command(name = "gateway")
  static final class KeepCommandLine {
    @CommandLine.Mixin KeepOptions keep;
  }
}
