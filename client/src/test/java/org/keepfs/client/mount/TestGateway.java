package org.keepfs.client.mount;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keepfs.collection.CollectionStore;
import org.keepfs.fs123.CacheControl;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.keep.KeepOptions;
import org.keepfs.gateway.keep.KeepService;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.locator.Locator;
import org.keepfs.manifest.PortableDataHash;
import picocli.CommandLine;

/** A real gateway on 127.0.0.1: one export called {@code data} and the Keep block and collection API on a local directory. */
final class TestGateway implements AutoCloseable {
  @CommandLine.Command(name = "gateway")
  static final class Options {
    @CommandLine.Mixin KeepOptions keep;
  }

  private final GatewayServer server;
  private final KeepService keep;
  private final PosixExportTree export;
  private final Path dataDir;

  private TestGateway(GatewayServer server, KeepService keep, PosixExportTree export, Path dataDir) {
    this.server = server;
    this.keep = keep;
    this.export = export;
    this.dataDir = dataDir;
  }

  static TestGateway start(Path exportDir, Path dataDir, int port, CacheControl cc) throws Exception {
    return start(exportDir, dataDir, port, cc, "--data", dataDir.toString());
  }

  /** As {@link #start}, accepting writes of blocks and collections with the bearer token {@code token}. */
  static TestGateway startWritable(Path exportDir, Path dataDir, String token) throws Exception {
    Path tokens = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-write-tokens"), token + "\n");
    return start(exportDir, dataDir, 0, CacheControl.maxAge(1), "--data", dataDir.toString(), "--write-token-file",
        tokens.toString());
  }

  private static TestGateway start(Path exportDir, Path dataDir, int port, CacheControl cc, String... keepArgs)
      throws Exception {
    Options o = new Options();
    new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(keepArgs);
    KeepService keep = KeepService.open(o.keep, Clock.systemUTC());
    PosixExportTree export = new PosixExportTree("data", exportDir, ExportSettings.defaults().withDefaultCacheControl(cc));
    Instant now = Instant.now();
    CompositeTree tree = new CompositeTree(Map.of("data", export), cc, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    GatewayServer.Builder b = GatewayServer.builder().listen(new InetSocketAddress("127.0.0.1", port)).tree(tree);
    for (KeepService.Route r : keep.routes()) {
      // The routes name their prefix with a trailing slash; the server's mount table takes it without.
      b.mount(r.prefix(), r.handler());
    }
    GatewayServer server = b.build();
    server.start();
    return new TestGateway(server, keep, export, dataDir);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  int port() {
    return server.port();
  }

  CollectionStore collections() {
    return keep.collections();
  }

  /** Stores {@code data} as blocks of at most {@code blockSize} bytes; returns their locators. */
  List<Locator> putBlocks(byte[] data, int blockSize) throws Exception {
    List<Locator> out = new ArrayList<>();
    for (int off = 0; off < data.length; off += blockSize) {
      int n = Math.min(blockSize, data.length - off);
      byte[] part = java.util.Arrays.copyOfRange(data, off, off + n);
      Locator l = Locator.of(md5(part), n);
      Path tmp = Files.createTempFile(dataDir, "put", ".blk");
      Files.write(tmp, part);
      keep.blocks().put(l, tmp);
      Files.deleteIfExists(tmp);
      out.add(l);
    }
    return out;
  }

  /** Stores a manifest and points {@code name} at it; returns its PDH. */
  String putCollection(String name, String manifestText) throws Exception {
    PortableDataHash pdh = keep.collections().putManifest(manifestText);
    var head = keep.collections().head(name);
    keep.collections().swapHead(name, head.map(h -> h.pdh()), pdh);
    return pdh.toString();
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  void stop() throws Exception {
    server.close();
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      export.close();
      keep.close();
    }
  }

  static Optional<Void> none() {
    return Optional.empty();
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
