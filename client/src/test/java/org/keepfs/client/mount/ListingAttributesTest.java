package org.keepfs.client.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keepfs.client.fs.FileSystem;
import org.keepfs.client.http.HttpOptions;
import org.keepfs.fs123.CacheControl;
import org.keepfs.fs123.StatfsReply;
import org.keepfs.gateway.export.ExportSettings;
import org.keepfs.gateway.export.PosixExportTree;
import org.keepfs.gateway.server.GatewayServer;
import org.keepfs.gateway.tree.CompositeTree;
import org.keepfs.gateway.tree.DirPage;
import org.keepfs.gateway.tree.FileRead;
import org.keepfs.gateway.tree.Fs123Tree;
import org.keepfs.gateway.tree.NodeAttributes;
import org.keepfs.posix.ErrnoException;

/**
 * Listings that carry attributes: {@code ls -l} of a directory is one request, each entry is trusted
 * for its own max-age, a restart answers a whole directory from the stored listing, and a plain fs123
 * server (one that ignores the extension) still works, one {@code /a} per entry.
 */
class ListingAttributesTest {
  static final int FILES = 40;

  @TempDir Path dir;
  Path export;
  GatewayServer server;
  PosixExportTree tree;

  @BeforeEach
  void start() throws Exception {
    export = Files.createDirectories(dir.resolve("export"));
    Files.createDirectories(export.resolve("d/sub"));
    for (int i = 0; i < FILES; i++) {
      Files.writeString(export.resolve("d/f" + i), "x".repeat(i));
    }
    Files.writeString(export.resolve("d/now.live"), "1");
    Files.writeString(export.resolve("d/.fs123_cc_rules"),
        "{\"cc\": \"max-age=120,stale-while-revalidate=120\", \"re-rules\": [{\"re\": \".*\\\\.live\", \"cc\": \"max-age=0\"}]}");
    tree = new PosixExportTree("data", export, ExportSettings.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    tree.close();
  }

  URI serve(Fs123Tree exported) throws Exception {
    Instant now = Instant.now();
    CompositeTree root = new CompositeTree(Map.of("data", exported), CacheControl.maxAge(120),
        now.getEpochSecond() * 1_000_000_000L + now.getNano());
    server = GatewayServer.builder().listen(new InetSocketAddress("127.0.0.1", 0)).tree(root).build();
    server.start();
    return URI.create("http://127.0.0.1:" + server.port());
  }

  ClientSetup client(URI url, boolean disconnected) throws Exception {
    HttpOptions http = HttpOptions.of(url).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(600));
    return ClientSetup.open(new ClientConfig(http, dir.resolve("cache"), 128L << 20, disconnected, Duration.ofDays(10), "",
        Duration.ofSeconds(5)));
  }

  /** {@code ls -l}: list, then look up and stat every entry; returns the sizes seen, by name. */
  static Map<String, Long> lsDashL(FileSystem fs, String path) throws Exception {
    long parent = FsPaths.ino(fs, path);
    Map<String, Long> sizes = new java.util.TreeMap<>();
    for (String name : FsPaths.list(fs, path)) {
      long ino = ((org.keepfs.client.fs.Entry) fs.lookup(parent, name)).ino();
      sizes.put(name, fs.getattr(ino).attributes().size());
    }
    return sizes;
  }

  @Test
  void lsDashLOfADirectoryIsOneRequestAndShowsTheRightSizes() throws Exception {
    URI url = serve(tree);
    try (ClientSetup c = client(url, false)) {
      FsPaths.ino(c.fileSystem(), "data/d");
      long before = c.requestCount();
      Map<String, Long> sizes = lsDashL(c.fileSystem(), "data/d");
      assertEquals(FILES + 3, sizes.size());
      for (int i = 0; i < FILES; i++) {
        assertEquals(i, sizes.get("f" + i), "f" + i);
      }
      // One /d for the listing; now.live's own max-age of 0 makes its listed attributes unusable, so its
      // lookup and its getattr each ask /a; and the listing of the subdirectory sub is fetched ahead.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (c.requestCount() - before < 4 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(50);
      assertEquals(4, c.requestCount() - before, "requests for ls -l of " + (FILES + 3) + " entries");
      String stats = new String(FsPaths.read(c.fileSystem(), ".keepfs/stats"), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(stats.contains("attribute_cache.hits "), stats);
    }
  }

  @Test
  void aTreeWalkFindsEachSubdirectoryListingFetchedAheadAndNothingIsFetchedTwice() throws Exception {
    int subdirectories = 30;
    for (int i = 0; i < subdirectories; i++) {
      Files.createDirectories(export.resolve("walk/s" + i));
      Files.writeString(export.resolve("walk/s" + i + "/file"), "s" + i);
    }
    Files.writeString(export.resolve("walk/plain"), "not a directory");
    URI url = serve(tree);
    try (ClientSetup c = client(url, false)) {
      FileSystem fs = c.fileSystem();
      FsPaths.ino(fs, "data/walk");
      long before = c.requestCount();
      assertEquals(subdirectories + 1, FsPaths.list(fs, "data/walk").size());
      // One /d of walk, then one /d per subdirectory from the workers, with nobody asking yet.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (c.requestCount() - before < 1 + subdirectories && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1 + subdirectories, c.requestCount() - before);
      for (int i = 0; i < subdirectories; i++) {
        assertEquals(List.of("file"), FsPaths.list(fs, "data/walk/s" + i));
        assertEquals((long) ("s" + i).length(), lsDashL(fs, "data/walk/s" + i).get("file"), "s" + i);
      }
      assertEquals(1 + subdirectories, c.requestCount() - before, "the walk itself needed no request");
    }
  }

  @Test
  void anEntryIsTrustedOnlyForItsOwnMaxAge() throws Exception {
    URI url = serve(tree);
    try (ClientSetup c = client(url, false)) {
      FileSystem fs = c.fileSystem();
      assertEquals(1L, lsDashL(fs, "data/d").get("now.live"));
      Files.writeString(export.resolve("d/now.live"), "changed");
      Files.writeString(export.resolve("d/f3"), "changed but cached");
      Map<String, Long> again = lsDashL(fs, "data/d");
      assertEquals(7L, again.get("now.live"), "max-age 0: asked again");
      assertEquals(3L, again.get("f3"), "max-age 120: still the listed size");
    }
  }

  @Test
  void aRestartAnswersAWholeDirectoryFromTheStoredListing() throws Exception {
    URI url = serve(tree);
    Map<String, Long> first;
    try (ClientSetup c = client(url, false)) {
      first = lsDashL(c.fileSystem(), "data/d");
    }
    first.remove("now.live");
    server.close();
    server = null;
    // Disconnected: no network at all, and no /a of any f<n> was ever fetched, so only the listing can answer.
    try (ClientSetup c = client(url, true)) {
      long parent = FsPaths.ino(c.fileSystem(), "data/d");
      for (Map.Entry<String, Long> e : first.entrySet()) {
        long ino = ((org.keepfs.client.fs.Entry) c.fileSystem().lookup(parent, e.getKey())).ino();
        assertEquals(e.getValue(), c.fileSystem().getattr(ino).attributes().size(), e.getKey());
      }
      assertEquals(0, c.requestCount());
    }
  }

  @Test
  void aPlainFs123ServerStillWorksWithOneAttrRequestPerEntry() throws Exception {
    URI url = serve(new PlainTree(tree));
    try (ClientSetup c = client(url, false)) {
      FsPaths.ino(c.fileSystem(), "data/d");
      Map<String, Long> sizes = lsDashL(c.fileSystem(), "data/d");
      assertEquals(FILES + 3, sizes.size());
      for (int i = 0; i < FILES; i++) {
        assertEquals(i, sizes.get("f" + i), "f" + i);
      }
      assertTrue(c.requestCount() > FILES, "one /a per entry: " + c.requestCount());
    }
  }

  /** An export as a server without the listing extension serves it: every call but that one passed on. */
  record PlainTree(Fs123Tree inner) implements Fs123Tree {
    @Override
    public NodeAttributes attributes(String path) throws ErrnoException {
      return inner.attributes(path);
    }

    @Override
    public DirPage list(String path, boolean begin, long offset, int budgetBytes) throws ErrnoException {
      return inner.list(path, begin, offset, budgetBytes);
    }

    @Override
    public FileRead read(String path, long offset, ByteBuffer into) throws ErrnoException {
      return inner.read(path, offset, into);
    }

    @Override
    public byte[] readlink(String path) throws ErrnoException {
      return inner.readlink(path);
    }

    @Override
    public StatfsReply statfs(String path) throws ErrnoException {
      return inner.statfs(path);
    }

    @Override
    public CacheControl cacheControl(String path, boolean directory) {
      return inner.cacheControl(path, directory);
    }
  }
}
